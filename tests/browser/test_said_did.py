"""'Jullie zeiden, wij deden' in Chromium: the teamleider writes on the board, the worker de-identifies,
the teamleider reads and publishes; the medewerker sees the note on the start screen, a resident the
team's line on the thank-you page. Fixed clock: the demo team seeded for 25 November 2026."""

import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PageProblems, axe_violations, dump, log_in, new_context, screenshot

pytestmark = pytest.mark.browser

TODAY = date(2026, 11, 25)
WEEK = "2026-W47"
NOTE = (
    "Veel reflecties gingen over wachtlijsten in de GGZ. We maken met de POH een afspraak over overbrugging."
)


@pytest.fixture
def demo(app):
    from sqlalchemy import update

    from server.demo import PASSWORD, seed_demo
    from server.extensions import db
    from server.models import OutboxEvent, utcnow
    from workers.digest import build_digest

    with app.app_context():
        summary = seed_demo(today=TODAY)
        build_digest(summary["team_id"], WEEK)
        # The seed's own events (hundreds) are not what this test waits for.
        db.session.execute(update(OutboxEvent).values(processed_at=utcnow()))
        db.session.commit()
    return {"team": summary["team_id"], "password": PASSWORD}


def _clean(page):
    violations = axe_violations(page)
    assert violations == [], dump(violations)


def test_said_did_from_the_board_to_medewerkers_and_residents(app, browser, live_server, demo, run_jobs):
    context = new_context(browser, live_server)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    problems = PageProblems(page)
    log_in(page, "teamleider@demo.leerlus.nl", demo["password"])
    page.goto(f"/app/#/bord/{demo['team']}/{WEEK}")
    page.locator(".board").wait_for()

    team_form = page.locator(".note-form").filter(has_text="Aan de medewerkers")
    team_form.get_by_label("Wat we met jullie reflecties doen").fill(
        NOTE + " Bel Jan de Vries op 06-12345678."
    )
    team_form.get_by_role("button", name="Opslaan en laten nakijken").click()
    expect(team_form.get_by_role("status")).to_have_text("Wordt nagekeken op persoonsgegevens …")
    residents_form = page.locator(".note-form").filter(has_text="Aan inwoners")
    residents_form.get_by_label("U zei …").fill("U moest lang wachten voordat we terugbelden.")
    residents_form.get_by_label("Wij doen …").fill("We bellen u binnen twee werkdagen terug.")
    residents_form.get_by_role("button", name="Opslaan en laten nakijken").click()
    expect(residents_form.get_by_role("status")).to_have_text("Wordt nagekeken op persoonsgegevens …")

    run_jobs()  # the worker de-identifies both; the page polls and shows what others will see
    expect(team_form.get_by_role("status")).to_have_text(
        "Nagekeken. Lees het na en publiceer.", timeout=15000
    )
    preview = team_form.locator(".note-preview")
    expect(preview).to_contain_text("POH")
    assert "06-12345678" not in preview.inner_text() and "Jan de Vries" not in preview.inner_text()
    team_form.get_by_role("button", name="Publiceren").click()
    expect(team_form.get_by_role("status")).to_have_text("Gepubliceerd ✓")
    expect(residents_form.get_by_role("status")).to_have_text(
        "Nagekeken. Lees het na en publiceer.", timeout=15000
    )
    residents_form.get_by_role("button", name="Publiceren").click()
    expect(residents_form.get_by_role("status")).to_have_text("Gepubliceerd ✓")
    page.locator("#board-said").scroll_into_view_if_needed()
    _clean(page)
    screenshot(page, "58-bord-zeiden-deden")
    assert problems.errors == []
    context.close()

    # The medewerker's start screen, on a phone.
    context = new_context(browser, live_server)
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, "medewerker1@demo.leerlus.nl", demo["password"])
    note = page.locator(".team-note")
    expect(note.get_by_role("heading", name="Jullie zeiden, wij deden")).to_be_visible()
    expect(note).to_contain_text("overbrugging")
    expect(note).to_contain_text("week 47")
    assert "06-12345678" not in note.inner_text()
    _clean(page)
    screenshot(page, "59-start-zeiden-deden")
    assert problems.errors == []
    context.close()

    # A resident's thank-you page (no JavaScript, as residents' phones may have it off).
    from sqlalchemy import select

    from server.extensions import db
    from server.models import User, Visit, utcnow
    from tests.api.test_board_api import demo_login

    with app.app_context():
        jeroen = db.session.scalar(select(User).where(User.email == "medewerker6@demo.leerlus.nl"))
        visit = Visit(
            client_id=uuid.uuid4(),
            author_id=jeroen.id,
            team_id=uuid.UUID(demo["team"]),
            kind="huisbezoek",
            occurred_at=utcnow() - timedelta(hours=1),
            payload_hash="0" * 64,
        )
        db.session.add(visit)
        db.session.commit()
        visit_id = visit.id
    client = demo_login(app, "medewerker6@demo.leerlus.nl")
    token = client.post(f"/api/v1/visits/{visit_id}/feedback-link", json={}).get_json()["token"]
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/f/{token}")
    page.get_by_role("group", name="De medewerker nam mij serieus").get_by_text("Helemaal mee eens").click()
    page.get_by_role("group", name="We hebben samen naar oplossingen gezocht").get_by_text(
        "Mee eens", exact=True
    ).click()
    page.get_by_text("Nee, dank u").click()
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("heading", name="Dank u wel.").wait_for()
    line = page.locator(".team-line")
    expect(line).to_contain_text("U zei: U moest lang wachten voordat we terugbelden.")
    expect(line).to_contain_text("Wij doen: We bellen u binnen twee werkdagen terug.")
    screenshot(page, "60-inwoner-bedankt-wij-doen")
    context.close()


def test_an_acknowledgement_reaches_its_author(app, browser, live_server, demo, run_jobs):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import Acknowledgement, Reflection, User, utcnow

    with app.app_context():
        for reflection in db.session.scalars(select(Reflection).where(Reflection.visibility == "team")):
            reflection.deidentified = {
                "what_happened": reflection.what_happened,
                "next_time": reflection.next_time,
            }
            reflection.processed_at = utcnow()
        db.session.commit()

    context = new_context(browser, live_server)
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, "teamleider@demo.leerlus.nl", demo["password"])
    page.goto("/app/#/team/reflecties")
    first = page.locator(".card").first
    first.get_by_role("button", name="Bedankt").click()
    expect(first.get_by_role("status")).to_contain_text("Bedankt ✓")
    first.get_by_role("button", name="Reageer").click()
    first.get_by_label("Je reactie (zonder namen)").fill("Mooi opgelost! Bel gerust Kees op 06-12345678.")
    first.get_by_role("button", name="Verstuur reactie").click()
    expect(first.get_by_role("status")).to_contain_text("Verstuurd ✓")
    # Nothing on the sender's screen says who wrote it.
    assert "@demo.leerlus.nl" not in page.locator("main").inner_text()
    _clean(page)
    screenshot(page, "61-gedeeld-bedanken")
    assert problems.errors == []
    context.close()

    run_jobs()  # de-identifies the answer
    with app.app_context():
        ack = db.session.scalars(select(Acknowledgement)).first()
        author = db.session.get(User, db.session.get(Reflection, ack.reflection_id).author_id)
        email = author.email
    context = new_context(browser, live_server)
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, email, demo["password"])
    thanks = page.locator(".team-thanks")
    expect(thanks.get_by_role("heading", name="Reacties op je gedeelde reflecties")).to_be_visible()
    expect(thanks).to_contain_text("bedankt je voor je reflectie")
    expect(thanks).to_contain_text("Mooi opgelost!")
    assert "06-12345678" not in thanks.inner_text()
    _clean(page)
    screenshot(page, "62-start-reactie-ontvangen")
    assert problems.errors == []
    context.close()
