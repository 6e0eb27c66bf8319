"""The teamleider's, beheerder's and beleidsmedewerker's screens fit a phone of 320, 360 and 414 px
too (issue #18: "every PWA screen"): no horizontal scrolling and no overlapping interactive elements,
on the demo installation with a built digest, in Dutch and English."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import dump
from tests.browser.test_board import WEEK, demo  # noqa: F401 (the demo fixture)
from tests.browser.test_layout_medewerker import WIDTHS, open_screen, screen_problems

pytestmark = pytest.mark.browser

LEAD_SCREENS = (
    "#/",
    "#/team",
    "#/team/reflecties",
    "#/weekoverzicht",
    "#/weekoverzicht/{team}/{week}",
    "#/bord/{team}/{week}",
    "#/bord/{team}/{week}/presenteer",
    "#/leeragenda",
    "#/inwoners",
)
BEHEER_SCREENS = (
    "#/beheer/gebruikers",
    "#/beheer/auditlog",
    "#/beheer/bewaren",
    "#/beheer/gemeenten",
)
GEMEENTE_SCREENS = ("#/gemeente",)


def _problems(app, page, screens, team, lang):
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 700})
        for route in screens:
            open_screen(page, route.format(team=team, week=WEEK))
            problems += screen_problems(app, page, route, width, lang)
    return problems


def _log_in(page, email, password):
    page.goto("/app/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_label("E-mailadres")).to_have_count(0)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()


def _english(page):
    page.goto("/app/#/instellingen")
    page.get_by_text("English").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    ("email", "screens"),
    [
        ("teamleider@demo.leerlus.nl", LEAD_SCREENS),
        ("beheerder@demo.leerlus.nl", BEHEER_SCREENS),
        ("beleid@demo.leerlus.nl", GEMEENTE_SCREENS),
    ],
    ids=["teamleider", "beheerder", "beleidsmedewerker"],
)
def test_every_lead_screen_fits_and_nothing_overlaps(app, page, clock, demo, email, screens, lang):  # noqa: F811
    clock(datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))
    _log_in(page, email, demo["password"])
    if lang == "en":
        _english(page)
    problems = _problems(app, page, screens, demo["team"], lang)
    assert problems == [], dump(problems)
