"""Mijn ontwikkeling and the Leeragenda in Chromium at 360×640: charts, questions, print, accessibility."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, dump, log_in, screenshot

pytestmark = pytest.mark.browser


def _seed(app, team_id, author_id):
    """Three weeks of reflections in all zones, and a question a colleague knows something about."""
    from server.extensions import db
    from server.models import LearningQuestion, Reflection, ReflectionTheme

    now = datetime.now(UTC)
    with app.app_context():
        for back, zone, themes in (
            (0, "learning", ["geldzorgen-schulden"]),
            (0, "panic", ["wonen"]),
            (1, "comfort", ["gespreksvoering"]),
            (3, "learning", ["geldzorgen-schulden"]),
        ):
            db.session.add(
                Reflection(
                    client_id=uuid.uuid4(),
                    author_id=author_id,
                    team_id=team_id,
                    occurred_at=now - timedelta(weeks=back),
                    what_happened="x",
                    learning_zone=zone,
                    energy=3,
                    payload_hash="x",
                    themes=[ReflectionTheme(theme_id=t, source="author") for t in themes],
                )
            )
        question = LearningQuestion(
            author_id=author_id,
            team_id=team_id,
            shared=True,
            text_deidentified="Hoe?",
            text="Hoe begin ik over schulden zonder te oordelen?",
        )
        db.session.add(question)
        db.session.commit()
        return question.id


def test_my_development_on_a_phone(app, page, medewerker, make_user):
    helper = make_user(medewerker["team"], "medewerker", name="Kees")
    question_id = _seed(app, medewerker["team"], medewerker["id"])
    from server.extensions import db
    from server.models import LearningQuestionHelper

    with app.app_context():
        db.session.add(LearningQuestionHelper(question_id=question_id, user_id=helper))
        db.session.commit()

    log_in(page, medewerker["email"])
    page.get_by_role("link", name="Mijn ontwikkeling").click()
    expect(page.get_by_role("heading", name="Mijn ontwikkeling")).to_be_visible()
    expect(page.get_by_role("img").first).to_be_visible()
    assert page.locator("svg.chart").count() == 2  # themes and zones; no resident answers yet
    expect(page.get_by_text("Weet er iets van: Kees")).to_be_visible()
    # Nothing sticks out sideways on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == [], dump(axe_violations(page))
    screenshot(page, "30-mijn-ontwikkeling")
    page.screenshot(path=str(_artifact("30-mijn-ontwikkeling-volledig")), full_page=True)

    # A new question, then closing it with what was learned.
    page.get_by_label("Wat wil je leren?").fill("Hoe werkt een PGB-aanvraag?")
    page.get_by_role("button", name="Leervraag toevoegen").click()
    card = page.locator(".card").filter(has_text="Hoe werkt een PGB-aanvraag?")
    expect(card).to_be_visible()
    card.get_by_role("button", name="Afsluiten").click()
    expect(card.get_by_text("Verplicht bij het afsluiten")).to_be_visible()
    card.get_by_label("Wat heb je geleerd?").fill("Via het Wmo-loket, met een budgetplan.")
    card.get_by_role("button", name="Afsluiten").click()
    expect(page.get_by_text("→ Via het Wmo-loket, met een budgetplan.")).to_be_visible()

    # The A4 print leaves the forms and buttons out.
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Leervraag toevoegen").is_visible()
    assert page.locator("svg.chart").first.is_visible()
    page.pdf(path=str(_artifact("30-mijn-ontwikkeling", ".pdf")), format="A4")


def test_team_questions_count_colleagues_in_proper_dutch(app, page, medewerker, make_user):
    """One helper reads "1 collega weet", two read "2 collega's weten" — never "collega('s)"."""
    from server.extensions import db
    from server.models import LearningQuestionHelper, User

    question_id = _seed(app, medewerker["team"], medewerker["id"])
    first = make_user(medewerker["team"], "medewerker", name="Kees")
    second = make_user(medewerker["team"], "medewerker", name="Fatma")
    with app.app_context():
        db.session.add(LearningQuestionHelper(question_id=question_id, user_id=first))
        db.session.commit()
        email = db.session.get(User, second).email

    log_in(page, email)
    page.goto("/app/#/teamvragen")
    card = page.locator(".card").filter(has_text="Hoe?")
    expect(card.get_by_text("1 collega weet hier iets van")).to_be_visible()
    card.get_by_role("button", name="Ik weet hier iets van").click()
    expect(card.get_by_text("2 collega's weten hier iets van")).to_be_visible()
    assert "('s)" not in card.inner_text()


def test_leeragenda_for_the_teamleider(app, page, medewerker, make_user):
    from server.extensions import db
    from server.models import User

    lead = make_user(medewerker["team"], "teamleider", name="Lotte")
    with app.app_context():
        email = db.session.get(User, lead).email
    page.goto("/app/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("correct horse battery")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Leeragenda").click()
    expect(page.get_by_role("heading", name="Kenniskaart (laatste 8 weken)")).to_be_visible()
    page.get_by_label("Thema").select_option("gespreksvoering")
    page.get_by_label("Waar gaat het over?").fill("Motiverende gespreksvoering oefenen.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Opgeslagen ✓")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == [], dump(axe_violations(page))
    screenshot(page, "31-leeragenda")


def _artifact(name: str, suffix: str = ".png"):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}{suffix}"
