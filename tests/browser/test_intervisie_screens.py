"""Intervisie and Mijn portfolio in Chromium, on a phone (360×640) and a laptop (1280×800)."""

import uuid
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, axe_violations, dump, log_in, screenshot

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
CASE_TEXT = "Huisbezoek bij [naam 1]: de deurwaarder stond op de stoep en ze wilde niets tekenen."


def _email(app, user_id):
    from server.extensions import db
    from server.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def _offered_case(app, team, author):
    """Alice's shared, de-identified reflection, offered as a case (as POST /intervisie/cases leaves it)."""
    from server.extensions import db
    from server.models import IntervisieCase

    with app.app_context():
        case = IntervisieCase(
            client_id=uuid.uuid4(),
            payload_hash="x",
            team_id=team,
            author_id=author,
            source="reflection",
            text=CASE_TEXT,
            themes=["geldzorgen-schulden"],
        )
        db.session.add(case)
        db.session.commit()
        return case.id


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_guided_session_on_phone_and_laptop(app, page, make_team, make_user):
    team = make_team("Wijkteam Oost")
    facilitator = make_user(team, "medewerker", name="Bram")
    alice = make_user(team, "medewerker", name="Alice")
    _offered_case(app, team, alice)

    log_in(page, _email(app, facilitator))
    page.get_by_role("link", name="Intervisie").click()
    card = page.locator(".card").filter(has_text="deurwaarder")
    expect(card.get_by_text("Ingebracht zonder naam")).to_be_visible()
    expect(page.get_by_text("Alice")).to_have_count(0)  # nothing points at the author
    _fits(page, 360)
    assert axe_violations(page) == [], dump(axe_violations(page))
    screenshot(page, "80-intervisie-casussen")

    card.get_by_label("Methode").select_option("actieleren")
    card.get_by_label("Datum").fill("2026-03-12")
    card.get_by_role("button", name="Start intervisie").click()
    expect(page.get_by_role("heading", name="Intervisie: Actieleren")).to_be_visible()
    expect(page.get_by_role("heading", name="Inbreng")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_text("Nog 5:00")
    page.get_by_label("Alice").check()
    page.get_by_role("button", name="Deelnemers opslaan").click()
    expect(page.get_by_label("Alice")).to_be_checked()
    _fits(page, 360)
    assert axe_violations(page) == [], dump(axe_violations(page))
    screenshot(page, "81-intervisie-inbreng")

    page.get_by_role("button", name="Volgende stap").click()
    expect(page.get_by_role("heading", name="Open vragen")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_text("Nog 15:00")
    page.get_by_label("Nieuwe vraag").fill("Wat had ze zelf al geprobeerd?")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".iv-notes").get_by_text("Wat had ze zelf al geprobeerd?")).to_be_visible()

    page.get_by_role("button", name="Volgende stap").click()
    page.get_by_label("Nieuwe richting").fill("Samen een betalingsregeling voorstellen")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".iv-notes").get_by_text("Samen een betalingsregeling voorstellen")).to_be_visible()

    page.get_by_role("button", name="Volgende stap").click()
    expect(page.get_by_role("heading", name="Actie-eigenaar")).to_be_visible()
    page.get_by_label("Wie pakt het op?").select_option(label="Alice")
    page.get_by_label("De actie").fill("Betalingsregeling voorstellen met schuldhulp")
    page.get_by_label("Klaar op").fill("2026-03-26")
    page.get_by_role("button", name="Maak de actie").click()
    expect(page.get_by_text("Actie voor Alice: Betalingsregeling voorstellen met schuldhulp")).to_be_visible()

    # The laptop: steps beside the current step.
    page.set_viewport_size(LAPTOP)
    expect(page.get_by_role("heading", name="Actie", exact=True)).to_be_visible()
    steps_box, current_box = (
        page.locator(".iv-steps").bounding_box(),
        page.locator(".iv-current").bounding_box(),
    )
    assert steps_box["x"] + steps_box["width"] <= current_box["x"]  # side by side
    _fits(page, 1280)
    screenshot(page, "82-intervisie-laptop")

    page.get_by_role("button", name="Volgende stap").click()
    page.get_by_label("Wat wil het team onthouden?").fill("Eerst vragen wat iemand zelf al probeerde.")
    page.get_by_role("button", name="Intervisie afsluiten").click()
    expect(page.get_by_role("status")).to_contain_text("Afgesloten")
    assert axe_violations(page) == [], dump(axe_violations(page))
    screenshot(page, "83-intervisie-afgesloten-laptop")

    from server.extensions import db
    from server.models import Action, IntervisieSession, TeamLearningNote

    with app.app_context():
        action = db.session.query(Action).one()
        assert (action.owner_id, action.due) == (alice, date(2026, 3, 26))
        session = db.session.query(IntervisieSession).one()
        assert session.status == "closed" and session.action_id == action.id
        assert db.session.query(TeamLearningNote).one().theme_id == "geldzorgen-schulden"

    page.emulate_media(media="print")
    page.pdf(path=str(SCREENSHOTS / "83-intervisie.pdf"), format="A4")


def _portfolio_data(app, team, user):
    from server.extensions import db
    from server.models import Reflection, ThemeOfTheMonth

    with app.app_context():
        for day, what in (
            (3, "Gesprek over de huurachterstand ging beter dan vorige keer."),
            (17, "Ik merkte dat ik te snel met oplossingen kwam."),
        ):
            db.session.add(
                Reflection(
                    client_id=uuid.uuid4(),
                    author_id=user,
                    team_id=team,
                    occurred_at=datetime(2026, 3, day, 10, tzinfo=UTC),
                    what_happened=what,
                    learning_zone="learning",
                    payload_hash="x",
                )
            )
        db.session.add(
            ThemeOfTheMonth(
                team_id=team,
                month="2026-03",
                theme_id="geldzorgen-schulden",
                casusoverleg_on=date(2026, 3, 20),
            )
        )
        db.session.commit()


def test_mijn_portfolio_on_phone_and_laptop(app, page, medewerker):
    _portfolio_data(app, medewerker["team"], medewerker["id"])
    log_in(page, medewerker["email"])
    page.get_by_role("link", name="Mijn portfolio").click()
    expect(page.get_by_role("heading", name="Mijn portfolio")).to_be_visible()
    # A fixed period, never today's: the fields are the user's choice.
    page.get_by_label("Van", exact=True).fill("2026-03-01")
    page.get_by_label("Tot en met").fill("2026-03-31")
    page.get_by_role("button", name="Toon").click()
    card = page.locator(".card").filter(has_text="te snel met oplossingen")
    card.get_by_label("In mijn portfolio").check()
    expect(page.locator(".iv-totals dd").nth(1)).to_have_text("1")
    page.get_by_label("Ik was bij het casusoverleg van 2026-03-20").check()
    expect(page.locator(".iv-totals dd").nth(6)).to_have_text("1")
    expect(page.get_by_text("Minder dan 3 antwoorden")).to_be_visible()
    _fits(page, 360)
    assert axe_violations(page) == [], dump(axe_violations(page))
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "84-portfolio")

    link = page.get_by_role("link", name="Download PDF (A4)")
    assert link.get_attribute("href") == "/api/v1/me/portfolio.pdf?from=2026-03-01&to=2026-03-31"
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    (SCREENSHOTS / "84-portfolio.pdf").write_bytes(pdf.body())
    csv_link = page.get_by_role("link", name="Download CSV").get_attribute("href")
    assert "te snel met oplossingen" in page.request.get(csv_link).text()

    page.set_viewport_size(LAPTOP)
    _fits(page, 1280)
    screenshot(page, "85-portfolio-laptop")

    # A bad period keeps the fields and says what is wrong.
    page.get_by_label("Van", exact=True).fill("2026-04-01")
    page.get_by_role("button", name="Toon").click()
    expect(page.get_by_text("De einddatum ligt voor de begindatum.")).to_be_visible()
    assert page.get_by_label("Van", exact=True).input_value() == "2026-04-01"


def test_offering_your_own_shared_reflection(app, page, medewerker):
    from server.extensions import db
    from server.models import IntervisieCase, Reflection

    with app.app_context():
        db.session.add(
            Reflection(
                client_id=uuid.uuid4(),
                author_id=medewerker["id"],
                team_id=medewerker["team"],
                occurred_at=datetime(2026, 3, 3, 10, tzinfo=UTC),
                what_happened="Mevrouw Jansen wilde niets tekenen.",
                visibility="team",
                payload_hash="x",
                processed_at=datetime(2026, 3, 3, 10, 1, tzinfo=UTC),
                deidentified={"what_happened": "[naam 1] wilde niets tekenen."},
            )
        )
        db.session.commit()
    log_in(page, medewerker["email"])
    page.goto("/app/#/intervisie")
    expect(page.get_by_text("Er liggen geen casussen klaar.")).to_be_visible()
    page.get_by_label("Wat wil je inbrengen?").select_option(index=0)
    page.get_by_role("button", name="Inbrengen").click()
    card = page.locator(".card").filter(has_text="[naam 1] wilde niets tekenen.")
    expect(card.get_by_text("Jouw casus")).to_be_visible()
    expect(card.get_by_text("Ingebracht zonder naam")).to_be_visible()
    expect(card).not_to_contain_text("Jansen")  # the team sees the de-identified text
    _fits(page, 360)
    with app.app_context():
        case = db.session.query(IntervisieCase).one()
        assert case.author_id == medewerker["id"] and case.present_myself is False
