"""The link a beheerder sends a beleidsmedewerker, in Chromium: from a real invitation (made through
the API) past the second factor to the gemeente's overview; and the links that no longer work."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, dump, screenshot

pytestmark = pytest.mark.browser

TODAY = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
BUTTON = "Account maken en naar de cijfers"
PASSWORD_LABEL = "Wachtwoord (minstens 10 tekens)"


def _invite(admin, organisation_id, email: str) -> str:
    """The app path of a fresh invitation, as the beheerder would pass it on."""
    answer = admin.post(f"/api/v1/organisations/{organisation_id}/invitations", json={"email": email})
    assert answer.status_code == 201, answer.get_json()
    url = answer.get_json()["invite_url"]
    assert "/app/#/gemeente-uitnodiging/" in url
    return url[url.index("/app/") :]


def test_an_invited_beleidsmedewerker_sets_a_password_and_a_second_factor_and_sees_the_overview(
    app, page, clock, make_team, make_user, login
):
    from server.demo import seed_demo
    from server.demo.organisation import ORGANISATION_ID

    clock(TODAY)
    with app.app_context():
        seed_demo()
    admin = login(make_user(make_team("Beheer"), "beheerder"))
    path = _invite(admin, ORGANISATION_ID, "Nieuwe.Beleid@Horstdam.nl")
    app.config["MFA_REQUIRED_ROLES"] = ("teamleider", "beheerder", "beleidsmedewerker")  # as in production
    try:
        for width, height in ((320, 640), (360, 640), (1280, 800)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(path)
            expect(page.get_by_role("heading", name="Uitnodiging van je gemeente")).to_be_visible()
            expect(
                page.get_by_text("Gemeente Horstdam (demo) nodigt je uit als beleidsmedewerker in Leerlus.")
            ).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(page, f"64-gemeente-uitnodiging-{width}")
        # What the role may see, what the figures are for, and that a second factor follows.
        expect(page.get_by_role("heading", name="Wat je ziet")).to_be_visible()
        expect(page.get_by_text("Nooit wat medewerkers schreven")).to_be_visible()
        expect(page.get_by_text("niet om medewerkers te beoordelen")).to_be_visible()
        expect(page.get_by_text("Daarna stel je een tweede factor in")).to_be_visible()
        expect(page.get_by_text("Je logt in met nieuwe.beleid@horstdam.nl.")).to_be_visible()
        violations = axe_violations(page)
        assert violations == [], dump(violations)

        # The server's password rule shows next to the field; nothing is accepted yet.
        page.get_by_label(PASSWORD_LABEL).fill("kort")
        page.get_by_role("button", name=BUTTON).click()
        expect(page.get_by_text("minstens 10 tekens").last).to_be_visible()
        page.get_by_label("Je naam").fill("Nina Beleid")
        page.get_by_label(PASSWORD_LABEL).fill("een lang wachtwoord voor de gemeente")
        page.get_by_role("button", name=BUTTON).click()

        # Held at enrolment until the second factor is on (the router's mustEnrol), then the figures.
        page.get_by_role("button", name="Tweede factor instellen").click()
        expect(page.get_by_role("img", name="QR-code voor je authenticator-app")).to_be_visible()
        secret = page.locator("code.secret").inner_text()
        page.get_by_label("Code (6 cijfers)").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Code controleren en aanzetten").click()
        expect(page.get_by_text("Bewaar deze herstelcodes")).to_be_visible()
        page.get_by_role("link", name="Ik heb ze bewaard").click()
        expect(page.get_by_role("heading", name="Gemeente: Gemeente Horstdam (demo)")).to_be_visible()
        themes = page.get_by_role("table", name="Thema's: aantal medewerkers")
        expect(themes).to_be_visible()
        # A table, not the board's grid of figures (both use the class "figures").
        assert themes.evaluate("el => getComputedStyle(el).display") == "table"
        expect(page.get_by_text("niet voor het beoordelen van medewerkers")).to_be_visible()
        screenshot(page, "65-gemeente-na-uitnodiging-1280")
    finally:
        app.config["MFA_REQUIRED_ROLES"] = ()

    # The link is spent: opening it again says so, in words, with the way to log in.
    page.goto(path)
    expect(page.get_by_role("alert")).to_have_text(
        "Deze uitnodiging is al gebruikt. Log in met je account, of vraag de beheerder om een nieuwe uitnodiging."
    )
    expect(page.get_by_label(PASSWORD_LABEL)).to_have_count(0)


def test_an_expired_or_wrong_invitation_link_says_what_to_do(app, page, clock, make_team, make_user, login):
    clock(TODAY)
    admin = login(make_user(make_team("Beheer"), "beheerder"))
    organisation = admin.post("/api/v1/organisations", json={"name": "Gemeente Laatdam"}).get_json()["id"]
    path = _invite(admin, organisation, "laat@laatdam.nl")
    clock(TODAY + timedelta(days=8))
    for width, height in ((320, 640), (360, 640), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(path)
        expect(page.get_by_role("alert")).to_have_text(
            "Deze uitnodiging is verlopen: een uitnodiging werkt 7 dagen. Vraag de beheerder om een nieuwe."
        )
        screenshot(page, f"66-gemeente-uitnodiging-verlopen-{width}")
    expect(page.get_by_label(PASSWORD_LABEL)).to_have_count(0)
    assert "Laatdam" not in page.locator("#view").inner_text()
    violations = axe_violations(page)
    assert violations == [], dump(violations)

    page.goto(path[: -len(path.rsplit("/", 1)[1])] + "dit-is-geen-echte-uitnodiging")
    expect(page.get_by_role("alert")).to_contain_text("Deze uitnodigingslink klopt niet.")
    page.get_by_role("link", name="Naar inloggen").click()
    expect(page.get_by_role("button", name="Inloggen")).to_be_visible()
