"""The bordsessie board and present mode in Chromium, on the demo team with a fixed clock.

1280×800: the summary fits without scrolling, 3 columns, bars on one scale, trend words that agree
with the sparklines, a tile opens its detail, one A4 page in print. 360×640: the summary within two
screens. Present mode: timer, keyboard steps, and decisions (create / assign / close / block /
re-plan / topic) that reach the database through the outbox and show in next week's board.
"""

import re
import uuid
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    SCREENSHOTS,
    PageProblems,
    axe_violations,
    dump,
    log_in,
    new_context,
    screenshot,
)

pytestmark = pytest.mark.browser

TODAY = date(2026, 11, 25)  # Wednesday of 2026-W48: the board of 2026-W47 is Monday's
WEEK, NEXT = "2026-W47", "2026-W48"
THEME = "psychische-gezondheid"
EFFECT_TITLE = "Vaste contactpersoon bij de GGZ-crisisdienst regelen"
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def demo(app):
    """The demo team seeded for TODAY, shared texts de-identified, an action on THEME that was due in
    2026-W43 (so its effect card is due on WEEK's board), and WEEK's digest built."""
    from sqlalchemy import select

    from server.demo import PASSWORD, seed_demo
    from server.extensions import db
    from server.models import Action, Reflection, User, utcnow
    from workers.digest import build_digest

    with app.app_context():
        summary = seed_demo(today=TODAY)
        team_id = uuid.UUID(summary["team_id"])
        for reflection in db.session.scalars(
            select(Reflection).where(Reflection.team_id == team_id, Reflection.visibility == "team")
        ):
            reflection.deidentified = {
                "what_happened": reflection.what_happened,
                "next_time": reflection.next_time,
            }
            reflection.processed_at = utcnow()
        lead = db.session.scalar(select(User).where(User.email == "teamleider@demo.leerlus.nl"))
        db.session.add(
            Action(
                client_id=uuid.uuid4(),
                team_id=team_id,
                created_by_id=lead.id,
                owner_id=lead.id,
                title=EFFECT_TITLE,
                due=date(2026, 10, 23),
                status="done",
                theme_id=THEME,
                payload_hash="x",
                created_at=datetime(2026, 10, 20, 9, tzinfo=UTC),
                done_at=datetime(2026, 10, 22, 9, tzinfo=UTC),
            )
        )
        db.session.commit()
        build_digest(summary["team_id"], WEEK)
    return {"team": summary["team_id"], "password": PASSWORD}


@pytest.fixture
def laptop(browser, live_server):
    context = new_context(browser, live_server)
    page = context.new_page()
    page.set_viewport_size(LAPTOP)
    problems = PageProblems(page)
    yield page
    assert problems.errors == []
    context.close()


def screenshot_path(name, suffix=".png"):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}{suffix}"


def _open_board(page, demo, week=WEEK):
    log_in(page, "teamleider@demo.leerlus.nl", demo["password"])
    page.goto(f"/app/#/bord/{demo['team']}/{week}")
    page.locator(".board").wait_for()


def _no_serious_axe(page):
    violations = axe_violations(page)
    assert violations == [], dump(violations)


def test_board_fits_a_laptop_screen_and_one_a4_page(app, laptop, demo):
    page = laptop
    _open_board(page, demo)
    expect(page.get_by_role("heading", name="Thema's", exact=True)).to_be_visible()

    # The summary: nine tiles in three columns, all within 1280×800 without scrolling.
    tiles = page.locator(".board-tile")
    assert tiles.count() == 9
    boxes = [tiles.nth(i).bounding_box() for i in range(9)]
    assert len({round(box["x"]) for box in boxes}) == 3
    assert max(box["y"] + box["height"] for box in boxes) <= LAPTOP["height"], boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]

    # Bars on one scale: each bar's length is its share of the largest author count.
    rows = page.locator(".tile-themes .theme-bar")
    assert rows.count() >= 2
    counts = [
        int(re.match(r"\d+", rows.nth(i).locator(".theme-bar-count").inner_text()).group())
        for i in range(rows.count())
    ]
    widths = [rows.nth(i).locator(".theme-bar-fill").bounding_box()["width"] for i in range(rows.count())]
    track = rows.first.locator(".theme-bar-track").bounding_box()["width"]
    for count, width in zip(counts, widths, strict=True):
        assert abs(width / track - count / max(counts)) < 0.02, (counts, widths)
    expect(page.locator(".tile-themes .scale")).to_contain_text(f"0 tot {max(counts)} collega's")

    # Trend words agree with the sparklines: "hoger" has this week's dot above the dashed mean.
    figures = page.locator(".tile-numbers .figure, .tile-residents .figure")
    checked = 0
    for i in range(figures.count()):
        figure = figures.nth(i)
        if figure.locator(".trend").count() == 0 or figure.locator(".spark-mean").count() == 0:
            continue
        word = figure.locator(".trend").inner_text()
        dot = float(figure.locator(".spark-dot").get_attribute("cy"))
        mean = float(re.search(r"M0,([\d.]+)", figure.locator(".spark-mean").get_attribute("d")).group(1))
        if "hoger" in word:
            assert dot < mean, word
        elif "lager" in word:
            assert dot > mean, word
        else:
            assert abs(dot - mean) <= 4, word  # within 10 % of a 0-based scale: close to the line
        checked += 1
    assert checked >= 3

    _no_serious_axe(page)
    screenshot(page, "50-bord-1280")

    # Each tile opens its detail.
    page.locator(".tile-themes").get_by_role("button").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Thema's").first).to_be_visible()
    expect(dialog.locator(".themes .card").first).to_be_visible()
    _no_serious_axe(page)
    screenshot(page, "51-bord-detail-themas")
    dialog.get_by_role("button", name="Sluiten").click()
    expect(page.get_by_role("dialog")).to_be_hidden()

    # Did it help? The effect card of the action due 4 weeks ago, with counts before and after.
    page.get_by_role("button", name="Heeft het geholpen?").click()
    card = page.get_by_role("dialog").locator(".effect-card")
    expect(card).to_contain_text(EFFECT_TITLE)
    expect(card.locator("th", has_text="Voor (w40–43)")).to_be_visible()
    expect(card.locator("th", has_text="Na (w44–47)")).to_be_visible()
    expect(card).to_contain_text("Aandeel van de reflecties")
    expect(card).to_contain_text("niet als bewijs")
    screenshot(page, "52-bord-effect")
    page.get_by_role("dialog").get_by_role("button", name="Sluiten").click()

    # Print: one A4 landscape page, without buttons, and no tile clipped.
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Afdrukken").is_visible()
    clipped = page.evaluate("""() => [...document.querySelectorAll('.board-tile, .board-tile *')]
        .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible')
        .map((el) => el.className)""")
    assert clipped == []
    pdf = page.pdf(
        prefer_css_page_size=True, print_background=True, path=str(screenshot_path("50-bord", ".pdf"))
    )
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    # Landscape A4: 842 × 595 points.
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf)
    assert box and float(box.group(1)) > float(box.group(2))
    page.set_viewport_size({"width": 1123, "height": 794})
    screenshot(page, "53-bord-print")


def test_board_on_a_phone_is_a_summary_within_two_screens(app, page, demo):
    _open_board(page, demo)
    board = page.locator(".board").bounding_box()
    assert board["y"] + board["height"] <= 2 * 640, board
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _no_serious_axe(page)
    screenshot(page, "54-bord-telefoon")
    page.screenshot(path=str(screenshot_path("54-bord-telefoon-volledig")), full_page=True)


def _db(app, fn):
    from server.extensions import db

    with app.app_context():
        try:
            return fn(db)
        finally:
            db.session.remove()


def test_a_bordsessie_in_present_mode(app, laptop, demo):
    from sqlalchemy import select

    from server.models import Action, Digest, ThemeOfTheMonth, User

    page = laptop
    _open_board(page, demo)
    page.get_by_role("link", name="Presenteren").click()
    expect(page.get_by_role("heading", name="Acties van vorige week")).to_be_visible()
    expect(page.locator(".present-timer")).to_have_text(re.compile(r"^1[45]:\d\d$"))
    expect(page.locator(".present-step")).to_have_text("Stap 1 van 5")

    # Open actions of last week first: done / still open / blocked.
    for heading in ("Gedaan", "Nog open", "Loopt vast"):
        expect(page.get_by_role("heading", name=re.compile(f"^{heading} \\(")).first).to_be_visible()
    _no_serious_axe(page)
    screenshot(page, "55-presenteren-acties")
    open_actions = page.locator(".present-action.status-open")
    first, second, third = (
        open_actions.nth(i).locator(".present-action-title").inner_text() for i in range(3)
    )
    # Offline at the stand-up (a basement meeting room): saved on the device, sent when back online.
    page.context.set_offline(True)
    open_actions.filter(has_text=first).get_by_role("button", name="Gedaan ✓").click()
    expect(page.locator(".present-status")).to_have_text("Opgeslagen — wordt verzonden")
    expect(page.locator(".present-action.status-done", has_text=first)).to_be_visible()
    page.context.set_offline(False)
    expect(page.locator(".present-status")).to_have_text("Verzonden ✓")
    page.locator(".present-action", has_text=second).get_by_role("button", name="Loopt vast").click()
    expect(page.locator(".present-action.status-blocked", has_text=second)).to_be_visible()
    page.locator(".present-action", has_text=third).get_by_role(
        "button", name=re.compile("^Week later")
    ).click()
    expect(page.locator(".present-status")).to_have_text("Verzonden ✓")

    # Keyboard or clicker: next and previous step.
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Wat ging goed")).to_be_visible()
    page.keyboard.press("PageDown")
    expect(page.get_by_role("heading", name="Thema's en signalen")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("heading", name="Wat ging goed")).to_be_visible()
    page.keyboard.press("ArrowRight")

    # An action from a theme in two taps, owner picked from the team, due week chosen.
    theme = page.locator(".present-theme").first
    theme.locator(".theme-bar").get_by_role("button", name="+ Actie").click()
    form = page.locator(".present-form")
    form.get_by_label("Wat gaan we doen?").fill("Wachtlijst GGZ: overbrugging afspreken met de POH")
    form.get_by_label("Wie pakt het op?").select_option(label="Jeroen Bakker")
    form.get_by_label("Klaar in").select_option(label="week 50")
    _no_serious_axe(page)
    screenshot(page, "56-presenteren-themas")
    form.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".present-status")).to_have_text("Verzonden ✓")

    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Wat inwoners zeggen")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Besluiten")).to_be_visible()
    expect(page.locator(".decided")).to_contain_text("Wachtlijst GGZ: overbrugging afspreken met de POH")
    page.get_by_label("Of kies een ander thema").select_option(THEME)
    page.get_by_role("button", name="Kies als thema van de maand", exact=True).click()
    expect(page.locator(".present-status")).to_have_text("Verzonden ✓")
    expect(page.locator(".present .topic")).to_have_text(
        "Thema van de maand 2026-11: Psychische gezondheid (GGZ) ✓"
    )
    _no_serious_axe(page)
    screenshot(page, "57-presenteren-besluiten")

    def saved(db):
        digest = db.session.scalar(select(Digest).where(Digest.iso_week == WEEK))
        actions = {
            a.title: a for a in db.session.scalars(select(Action).where(Action.team_id == digest.team_id))
        }
        jeroen = db.session.scalar(select(User).where(User.display_name == "Jeroen Bakker"))
        new = actions["Wachtlijst GGZ: overbrugging afspreken met de POH"]
        assert (new.owner_id, new.digest_id, new.theme_id, new.due) == (
            jeroen.id,
            digest.id,
            THEME,
            date(2026, 12, 11),
        )
        assert actions[first].status == "done" and actions[second].status == "blocked"
        assert actions[third].due.isocalendar()[1] == 50
        chosen = db.session.scalar(
            select(ThemeOfTheMonth).where(
                ThemeOfTheMonth.team_id == digest.team_id, ThemeOfTheMonth.month == "2026-11"
            )
        )
        assert chosen.theme_id == THEME
        return str(digest.team_id)

    team_id = _db(app, saved)

    # Next week's board: the decisions of this session are there.
    from workers.digest import build_digest

    with app.app_context():
        build_digest(team_id, NEXT)
    page.keyboard.press("Escape")
    page.goto(f"/app/#/bord/{team_id}/{NEXT}")
    page.locator(".board").wait_for()
    expect(page.locator(".tile-actions")).to_contain_text("Besloten in de vorige bordsessie: 1")
    page.get_by_role("button", name="Acties").click()
    expect(page.get_by_role("dialog")).to_contain_text("Wachtlijst GGZ: overbrugging afspreken met de POH")
    page.get_by_role("dialog").get_by_role("button", name="Sluiten").click()
    page.goto(f"/app/#/bord/{team_id}/{NEXT}/presenteer")
    expect(page.locator(".present-action.status-blocked", has_text=second)).to_be_visible()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Besloten in de vorige bordsessie")).to_be_visible()
    expect(page.locator(".present-group", has_text="Besloten in de vorige bordsessie")).to_contain_text(
        "Wachtlijst GGZ: overbrugging afspreken met de POH"
    )


def test_teamleider_screens_use_a_laptops_width(app, laptop, demo):
    page = laptop
    log_in(page, "teamleider@demo.leerlus.nl", demo["password"])
    page.goto("/app/#/team")
    expect(page.get_by_role("heading", name="Instellingen")).to_be_visible()
    parts = [page.locator(".team-body > *").nth(i).bounding_box() for i in range(3)]
    assert len({round(box["x"]) for box in parts}) >= 2, parts
    options = page.get_by_label("Tijdzone").locator("option")
    assert options.first.get_attribute("value") == "Europe/Amsterdam"
    screenshot(page, "63-team-1280")

    page.goto(f"/app/#/weekoverzicht/{demo['team']}/{WEEK}")
    expect(page.get_by_role("heading", name="Thema's", exact=True)).to_be_visible()
    sections = page.locator(".digest-part")
    assert len({round(sections.nth(i).bounding_box()["x"]) for i in range(sections.count())}) == 2
    screenshot(page, "64-weekoverzicht-1280")


def test_leeragenda_names_at_most_three_gaps_and_the_boards_proposal(app, laptop, demo, monkeypatch):
    import server.services.learning

    # Controlled clock for the live server (same process): Monday 23 November, the bordsessie of WEEK.
    monkeypatch.setattr(server.services.learning, "utcnow", lambda: datetime(2026, 11, 23, 9, tzinfo=UTC))
    page = laptop
    log_in(page, "teamleider@demo.leerlus.nl", demo["password"])
    page.goto(f"/app/#/bord/{demo['team']}/{WEEK}")
    proposal = page.locator(".tile-proposal strong").first.inner_text()
    page.goto("/app/#/leeragenda")
    expect(page.get_by_role("heading", name="Kennisgaten (hoogstens drie)")).to_be_visible()
    gaps = page.locator("ol.gaps > li")
    assert 1 <= gaps.count() <= 3
    assert page.locator(".card.gap").count() == gaps.count()
    expect(page.locator(".panel.calm").first).to_contain_text(proposal)
    _no_serious_axe(page)
    screenshot(page, "65-leeragenda-gaten")
