"""The team screens in Chromium at 360×640: Weekoverzicht (digest), Melding, Wat inwoners zeggen,
Gedeeld door collega's and Team; print, accessibility, and what a medewerker must not see."""

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, dump, log_in, screenshot

pytestmark = pytest.mark.browser

# The demo's texts and weeks follow from "today": one fixed Saturday, so every run on any day sees
# the same team, the same digest and the same shared texts.
TODAY = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
LAST_WEEK = "2026-W47"
EARLIER_WEEK = "2026-W46"  # no digest built for it in these tests
SUPPRESSED = "te weinig bijdragen om te tonen"
SECTIONS = (
    "De week in cijfers",
    "Thema's",
    "Signalen",
    "Leerzones",
    "Wat inwoners zeggen",
    "Acties",
    "Voorstel voor casusoverleg / thema van de maand",
)


def _demo(app, clock, run_jobs=None, **team_settings):
    """The demo team (8 weeks of work up to TODAY, on the controlled clock); with run_jobs the real
    workers de-identify and classify it first (quotes need that). Builds last week's digest;
    answers (summary, iso_week)."""
    from server.demo import PASSWORD, seed_demo
    from server.extensions import db
    from server.models import Team
    from workers.digest import build_digest

    clock(TODAY)
    with app.app_context():
        summary = seed_demo()
        team = db.session.get(Team, uuid.UUID(summary["team_id"]))
        for key, value in team_settings.items():
            setattr(team, key, value)
        db.session.commit()
    if run_jobs:
        run_jobs()
    week = LAST_WEEK
    with app.app_context():
        build_digest(summary["team_id"], week)
    summary["password"] = PASSWORD
    return summary, week


def _accessible(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = axe_violations(page)
    assert violations == [], dump(violations)


def test_weekoverzicht_for_the_teamleider(app, page, run_jobs, clock):
    summary, week = _demo(app, clock, run_jobs)
    log_in(page, "teamleider@demo.leerlus.nl", summary["password"])

    page.get_by_role("link", name="Weekoverzicht").click()
    expect(page.get_by_role("heading", name="Weekoverzicht")).to_be_visible()
    assert "null" not in page.locator("main").inner_text()
    _accessible(page)
    screenshot(page, "40-weekoverzicht-lijst")
    # "Last week" is the server's (GET /me), not the phone's: it is built, so nothing to make.
    assert page.get_by_role("link", name="Maak het overzicht van vorige week").count() == 0
    page.get_by_role("link", name=f"week {int(week[-2:])}").click()

    for title in SECTIONS:
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    # Every figure is a number or the suppression sentence; never a made-up zero.
    tiles = page.locator(".tile")
    assert tiles.count() >= 6
    for i in range(tiles.count()):
        text = tiles.nth(i).inner_text()
        assert any(ch.isdigit() for ch in text.split("\n")[1]) or SUPPRESSED in text, text
    assert page.locator("svg.spark").count() >= 4
    assert page.locator(".themes .card").count() >= 1
    assert page.locator(".themes .card").first.locator(".quote").count() <= 2
    expect(page.get_by_text("Vraag het aan:")).to_be_visible()
    expect(page.get_by_role("link", name="Naar de leeragenda")).to_be_visible()
    _accessible(page)
    screenshot(page, "41-weekoverzicht")
    page.screenshot(path=str(screenshot_path("41-weekoverzicht-volledig")), full_page=True)

    # Print: A4 without navigation or buttons; one or two pages.
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Terug").is_visible()
    assert not page.get_by_role("button", name="Afdrukken").is_visible()
    assert page.get_by_role("heading", name="De week in cijfers").is_visible()
    pdf = page.pdf(format="A4", path=str(screenshot_path("41-weekoverzicht", ".pdf")))
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2
    page.emulate_media(media="screen")

    # A built week is frozen (nothing to rebuild); a week without a digest can be made now:
    # POST, the worker builds, the page polls and shows it.
    assert page.get_by_role("button", name="Nu maken").is_hidden()
    page.goto(f"/app/#/weekoverzicht/{summary['team_id']}/{EARLIER_WEEK}")
    # The worker drains the queue once, so the request must have committed its event first.
    with page.expect_response(lambda response: response.url.endswith("/build")) as answer:
        page.get_by_role("button", name="Nu maken").click()
    assert answer.value.status == 202
    expect(page.get_by_text("Wordt opgebouwd")).to_be_visible()
    run_jobs()
    expect(page.get_by_text("Bijgewerkt ✓")).to_be_visible(timeout=15000)
    expect(page.get_by_role("heading", name="De week in cijfers", exact=True)).to_be_visible()


def screenshot_path(name, suffix=".png"):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}{suffix}"


def _user_id(app, email):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import User

    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def _process_shared(app, team_id):
    """The worker's job (real de-identification and themes) for the shared reflections only: what the
    team sees, without draining the whole queue."""
    from sqlalchemy import select

    from server.extensions import db
    from server.models import Reflection
    from workers.reflections import process_reflection

    with app.app_context():
        shared = db.session.scalars(
            select(Reflection.id).where(
                Reflection.team_id == uuid.UUID(team_id), Reflection.visibility == "team"
            )
        ).all()
        for reflection_id in shared:
            process_reflection(str(reflection_id))


def _notify(app, user_id, kind, ref):
    from server.extensions import db
    from server.services.notifications import notify

    with app.app_context():
        notification_id = notify(user_id, kind, ref, f"test:{kind}:{user_id}")
        db.session.commit()
        return notification_id


def test_medewerker_sees_themes_but_no_numbers_nor_team_settings(app, page, clock):
    summary, week = _demo(app, clock, members_see_themes=True)
    team_id = summary["team_id"]
    email = "medewerker1@demo.leerlus.nl"
    user_id = _user_id(app, email)
    _process_shared(app, team_id)
    log_in(page, email, summary["password"])
    expect(page.get_by_role("link", name="Wat inwoners zeggen")).to_be_visible()
    assert page.get_by_role("link", name="Weekoverzicht").count() == 0
    assert page.get_by_role("link", name="Team", exact=True).count() == 0

    # A digest notification opens the digest; a medewerker gets only its themes.
    page.goto(f"/app/#/melding/{_notify(app, user_id, 'digest', {'team_id': team_id, 'iso_week': week})}")
    expect(page.get_by_role("heading", name="Thema's")).to_be_visible()
    assert page.url.endswith(f"#/weekoverzicht/{team_id}/{week}")
    for hidden in ("De week in cijfers", "Acties", "Wat inwoners zeggen", "Leerzones"):
        assert page.get_by_role("heading", name=hidden).count() == 0
    assert page.locator(".tile").count() == 0
    assert page.get_by_role("button", name="Nu maken").is_hidden()

    # The team screen is for teamleiders: a medewerker lands on the start screen.
    page.goto("/app/#/team")
    page.get_by_role("link", name="Nieuwe reflectie").wait_for()
    assert page.get_by_text("Digest op").count() == 0

    # feedback-contact → Wat inwoners zeggen.
    page.goto(
        f"/app/#/melding/{_notify(app, user_id, 'feedback-contact', {'feedback_id': str(uuid.uuid4())})}"
    )
    expect(page.get_by_role("heading", name="Wat inwoners zeggen")).to_be_visible()
    expect(page.get_by_text("feedbacklinks zijn beantwoord")).to_be_visible()
    assert page.locator(".scores").count() >= 1
    _accessible(page)
    screenshot(page, "42-inwoners")

    page.goto("/app/#/team/reflecties")
    expect(page.get_by_role("heading", name="Gedeeld door collega's")).to_be_visible()
    assert page.locator(".card").count() >= 1
    text = page.locator("main").inner_text()
    for name in ("Jeroen", "Fatma", "Bakker"):
        assert name not in text
    _accessible(page)
    screenshot(page, "43-gedeeld")

    # nudge → a new reflection that belongs to that visit (no contact-kind question).
    visit = str(uuid.uuid4())
    page.goto(f"/app/#/melding/{_notify(app, user_id, 'nudge', {'visit_id': visit})}")
    page.get_by_label("Wat gebeurde er?").wait_for()
    assert page.url.endswith(f"#/nieuw/bezoek/{visit}")
    assert page.get_by_text("Bij welk contact hoort dit?").is_hidden()

    page.goto(f"/app/#/melding/{uuid.uuid4()}")
    expect(page.get_by_text("Deze melding bestaat niet meer")).to_be_visible()
    _accessible(page)


def test_team_settings_members_and_themes(app, page, make_team, make_user):
    from server.extensions import db
    from server.models import Team, User

    team = make_team("Wijkteam Zuid")
    lead = make_user(team, "teamleider", name="Lotte")
    make_user(team, "medewerker", name="Sanne")
    with app.app_context():
        email = db.session.get(User, lead).email
    log_in(page, email)
    page.get_by_role("link", name="Team", exact=True).click()
    expect(page.get_by_role("heading", name="Instellingen")).to_be_visible()
    _accessible(page)
    screenshot(page, "44-team")

    page.get_by_label("Minimaal aantal collega's per cijfer (k)").fill("1")
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.locator("[data-error-for=k_threshold]")).to_be_visible()
    page.get_by_label("Minimaal aantal collega's per cijfer (k)").fill("4")
    page.get_by_label("Weekoverzicht op").select_option(label="vrijdag")
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.get_by_text("Opgeslagen ✓").first).to_be_visible()
    with app.app_context():
        saved = db.session.get(Team, team)
        assert (saved.k_threshold, saved.digest_weekday) == (4, 4)

    # Without SMTP the API hands out the link once: it is shown to pass on.
    page.get_by_label("E-mailadres").fill("nieuw@test.leerlus.nl")
    page.get_by_role("button", name="Uitnodiging maken").click()
    expect(page.locator(".readable-link")).to_contain_text("/app/#/uitnodiging/")

    # A team theme with keywords and Sanne as aandachtsfunctionaris.
    page.get_by_text("+ Nieuw thema").click()
    page.get_by_label("Naam van het thema").fill("Isolatiepremie")
    page.get_by_label("Herkenningswoorden").fill("isolatiepremie, tochtstrips")
    page.locator("details[open]").get_by_label("Sanne").check()
    page.get_by_role("button", name="Thema toevoegen").click()
    expect(page.locator("summary").filter(has_text="Isolatiepremie")).to_contain_text("Sanne")
    _accessible(page)
