"""The beheerder's console in Chromium (issue #18): users across teams (deactivate, reset a second
factor), the audit log with its filters, and the installation's retention bounds; at 320 and 360 px
and 1280×800, without horizontal scrolling or serious axe violations."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in, screenshot

pytestmark = pytest.mark.browser

SIZES = ((320, 640), (360, 640), (1280, 800))


@pytest.fixture
def installation(app, make_team, make_user):
    from server.extensions import db
    from server.models import User

    noord, zuid = make_team("Wijkteam Noord"), make_team("Wijkteam Zuid-Oost Jeugd en Gezin")
    people = {
        "admin": make_user(noord, "beheerder", name="Bea Beheerder", email="bea@beheer.test"),
        "lead": make_user(noord, "teamleider", name="Lars Leider"),
        "sanne": make_user(noord, "medewerker", name="Sanne de Vries-van Oostenbrugge"),
        "karim": make_user(
            zuid, "medewerker", name="Karim", mfa_enabled=True, totp_secret=pyotp.random_base32()
        ),
    }
    with app.app_context():
        db.session.get(User, people["sanne"]).email = "sanne.devries-vanoostenbrugge@wijkteam-zuidoost.test"
        db.session.commit()
    return people | {"noord": noord, "zuid": zuid}


def _fits(page, name):
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function("() => document.fonts.ready.then(() => true)")
        screenshot(page, f"70-beheer-{name}-{width}")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "(w) => [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > w)"
            ".map((el) => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"
            ".slice(0, 8)",
            width,
        )
        assert scroll <= width, f"{name} at {width} px is {scroll} px wide: {wide}"
    page.set_viewport_size({"width": 360, "height": 640})
    assert axe_violations(page) == []


def _user(app, user_id):
    from server.extensions import db
    from server.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        return {"active": user.active, "mfa_enabled": user.mfa_enabled, "enrol": user.mfa_enrol_required}


def test_the_beheerder_console(app, page, installation):
    log_in(page, "bea@beheer.test")
    page.get_by_role("link", name="Beheer").click()
    expect(page.get_by_role("heading", name="Beheer", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Gebruikers")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Accounts: 4")).to_be_visible()
    sanne = page.locator(".b-user", has_text="Sanne de Vries")
    expect(sanne).to_contain_text("Wijkteam Noord · Medewerker")
    expect(page.locator(".b-user", has_text="Bea Beheerder")).to_contain_text("(jij)")
    expect(page.locator(".b-user", has_text="Bea Beheerder").get_by_role("button")).to_have_count(0)
    _fits(page, "gebruikers")

    # Deactivate: asks first, then logs Sanne out everywhere.
    sanne.get_by_role("button", name="Account uitzetten").click()
    expect(sanne.get_by_text("wordt meteen overal uitgelogd")).to_be_visible()
    screenshot(page, "70-beheer-bevestigen-360")
    sanne.get_by_role("button", name="Ja, doorgaan").click()
    expect(sanne.get_by_role("status")).to_have_text(
        "Sanne de Vries-van Oostenbrugge is uitgezet en overal uitgelogd."
    )
    expect(sanne.get_by_text("uitgezet", exact=True)).to_be_visible()
    assert _user(app, installation["sanne"])["active"] is False

    karim = page.locator(".b-user", has_text="Karim")
    expect(karim).to_contain_text("Tweede factor: ingesteld")
    karim.get_by_role("button", name="Tweede factor opnieuw instellen").click()
    karim.get_by_role("button", name="Ja, doorgaan").click()
    expect(karim).to_contain_text("Tweede factor: moet opnieuw worden ingesteld")
    assert _user(app, installation["karim"]) == {"active": True, "mfa_enabled": False, "enrol": True}

    # Filter by team: only Karim's team.
    page.get_by_label("Team").select_option(label="Wijkteam Zuid-Oost Jeugd en Gezin")
    expect(page.get_by_text("Accounts: 1", exact=True)).to_be_visible()

    # The audit log: what Bea did to Sanne, found by person; read-only, with names, no content.
    page.get_by_role("link", name="Auditlog").click()
    expect(page.get_by_role("link", name="Auditlog")).to_have_attribute("aria-current", "page")
    expect(page.locator(".audit-row").first).to_be_visible()
    page.get_by_label("Persoon").select_option(
        label="Sanne de Vries-van Oostenbrugge (sanne.devries-vanoostenbrugge@wijkteam-zuidoost.test)"
    )
    page.get_by_role("button", name="Toon").click()
    row = page.locator(".audit-row", has_text="Account uitgezet")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Bea Beheerder")
    expect(row).to_contain_text("Over: Sanne de Vries-van Oostenbrugge")
    expect(page.locator(".audit-row")).to_have_count(1)
    assert page.locator(".audit-rows input, .audit-rows button, .audit-rows textarea").count() == 0
    _fits(page, "auditlog")
    page.get_by_label("Persoon").select_option(label="Iedereen")
    page.get_by_label("Soort").select_option(label="account")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator(".audit-row", has_text="Tweede factor opnieuw ingesteld")).to_be_visible()
    page.get_by_label("Vanaf").fill("2030-01-02")
    page.get_by_label("Tot en met").fill("2030-01-01")
    page.get_by_role("button", name="Toon").click()
    expect(page.get_by_text("De einddatum ligt voor de begindatum.")).to_be_visible()

    # Retention bounds: narrower bounds move the teams inside them.
    page.get_by_role("link", name="Bewaren").click()
    expect(page.get_by_role("heading", name="Wat elk team nu bewaart")).to_be_visible()
    _fits(page, "bewaren")
    page.get_by_label("Maximaal (dagen)").fill("14")
    page.get_by_label("Maximaal (maanden)").fill("12")
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(
        page.get_by_text("Aangepast aan de grenzen: Wijkteam Noord, Wijkteam Zuid-Oost Jeugd en Gezin.")
    ).to_be_visible()
    expect(page.locator("table.b-table tbody tr", has_text="Wijkteam Noord")).to_contain_text("14")
    page.get_by_label("Minimaal (dagen)").fill("20")
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.get_by_text("Het minimum is hoger dan het maximum.")).to_be_visible()
    screenshot(page, "70-beheer-bewaren-fout-360")


def test_the_beheerder_makes_a_gemeente_and_invites_its_beleidsmedewerker(app, page, installation):
    """Issue #20: a gemeente and its beleidsmedewerker are set up from the console, not only the API;
    the invitation link (shown once) opens the gemeente's invitation screen."""
    log_in(page, "bea@beheer.test")
    page.goto("/app/#/beheer/gemeenten")
    expect(page.get_by_role("link", name="Gemeenten")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Nog geen gemeente.")).to_be_visible()
    page.get_by_role("button", name="Gemeente maken").click()
    expect(page.locator("[data-error-for=name]")).to_be_visible()  # a name is required

    page.get_by_label("Naam van de gemeente").fill("Gemeente Rivierstad")
    page.get_by_label("Wijkteam Noord").check()
    page.get_by_role("button", name="Gemeente maken").click()
    card = page.locator(".b-org", has_text="Gemeente Rivierstad")
    expect(card).to_contain_text("Teams: Wijkteam Noord")
    expect(page.get_by_text("Nog geen gemeente.")).to_have_count(0)

    card.get_by_label("E-mailadres van de beleidsmedewerker").fill("geen-adres")
    card.get_by_role("button", name="Uitnodigen").click()
    expect(card.locator("[data-error-for=email]")).to_be_visible()
    card.get_by_label("E-mailadres van de beleidsmedewerker").fill("beleid@rivierstad.test")
    card.get_by_role("button", name="Uitnodigen").click()
    link = card.locator(".readable-link")
    expect(link).to_contain_text("/app/#/gemeente-uitnodiging/")
    _fits(page, "gemeenten")

    url = link.inner_text()
    page.goto(url[url.index("/app/") :])
    expect(page.get_by_text("Gemeente Rivierstad nodigt je uit als beleidsmedewerker")).to_be_visible()


def test_the_console_is_for_beheerders_only(page, installation, app):
    from server.extensions import db
    from server.models import User

    with app.app_context():
        email = db.session.get(User, installation["lead"]).email
    log_in(page, email)
    expect(page.get_by_role("link", name="Team", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Beheer")).to_have_count(0)
    page.goto("/app/#/beheer/auditlog")
    expect(page).to_have_url(re.compile(r"/app/#/$"))
    expect(page.get_by_role("heading", name="Beheer")).to_have_count(0)
