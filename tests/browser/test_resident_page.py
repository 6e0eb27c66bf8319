"""The resident's page in a real Chromium: without JavaScript, no cookies, nothing from elsewhere."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import InwonerFeedback, Visit, utcnow
from tests.browser.conftest import PageProblems, axe_violations, dump, new_context, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def feedback_path(app, medewerker, login):
    with app.app_context():
        visit = Visit(client_id=uuid.uuid4(), author_id=medewerker["id"], team_id=medewerker["team"],
                      kind="huisbezoek", occurred_at=utcnow() - timedelta(hours=1), payload_hash="0" * 64)
        db.session.add(visit)
        db.session.commit()
        visit_id = visit.id
    response = login(medewerker["id"]).post(f"/api/v1/visits/{visit_id}/feedback-link", json={})
    assert response.status_code == 201
    return "/f/" + response.get_json()["token"]


def test_resident_answers_without_javascript(app, browser, live_server, feedback_path):
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(feedback_path)
    screenshot(page, "30-inwoner-vragen")
    page.get_by_role("group", name="De medewerker nam mij serieus").get_by_text("Helemaal mee eens").click()
    page.get_by_role("group", name="We hebben samen naar oplossingen gezocht").get_by_text("Mee eens",
                                                                                          exact=True).click()
    page.get_by_label("Wat wilt u ons nog zeggen?").fill("Fijn dat u de tijd nam.")
    page.get_by_text("Ja, graag").click()
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("heading", name="Dank u wel.").wait_for()
    screenshot(page, "31-inwoner-bedankt")

    assert context.cookies() == []
    assert requested and all(url.startswith(live_server + "/f/") for url in requested), requested
    with app.app_context():
        [answer] = db.session.scalars(select(InwonerFeedback)).all()
        assert answer.scores == {"serieus": 5, "samen_oplossingen": 4}
        assert answer.comment == "Fijn dat u de tijd nam." and answer.contact_requested is True

    page.goto(feedback_path)
    assert "al beantwoord" in page.content()
    screenshot(page, "32-inwoner-al-beantwoord")
    context.close()


@pytest.mark.parametrize("lang,scheme", [("nl", "light"), ("ar", "dark")])
def test_resident_page_is_accessible(browser, live_server, feedback_path, lang, scheme):
    # JavaScript on only so axe-core can run; the page itself has none.
    context = new_context(browser, live_server, color_scheme=scheme)
    page = context.new_page()
    problems = PageProblems(page)
    page.goto(f"{feedback_path}?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    violations = axe_violations(page)
    screenshot(page, f"33-inwoner-{lang}-{scheme}")
    assert violations == [], dump(violations)
    assert problems.errors == []
    context.close()
