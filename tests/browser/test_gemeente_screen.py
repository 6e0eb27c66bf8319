"""The Gemeente screen in Chromium at 1280×800 (laptop) and 360×640 (phone): the demo gemeente's
quarter with a named team, "overige teams" and suppressed cells; print; accessibility."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, dump, screenshot

pytestmark = pytest.mark.browser

TODAY = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
SUPPRESSED = "te weinig bijdragen om te tonen"


def _log_in_as_beleid(app, clock, page):
    from server.demo import PASSWORD, seed_demo
    from server.demo.organisation import POLICY_EMAIL

    clock(TODAY)
    with app.app_context():
        seed_demo()
    page.goto("/app/")
    page.get_by_label("E-mailadres").fill(POLICY_EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Gemeente: Gemeente Horstdam (demo)")).to_be_visible()


def _quarter(page):
    """From the default month (October) to the third quarter, through the period menu."""
    expect(page.get_by_role("table", name="Thema's: aantal medewerkers")).to_be_visible()
    expect(page.get_by_label("Periode")).to_have_value("2026-10")
    page.get_by_label("Periode").select_option("2026-Q3")
    expect(page).to_have_url("/app/#/gemeente/2026-Q3")
    expect(page.get_by_role("columnheader", name="Overige teams (3)").first).to_be_visible()


def test_gemeente_screen_on_a_laptop(app, page, clock):
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in_as_beleid(app, clock, page)
    screenshot(page, "60-gemeente-maand-1280")
    _quarter(page)
    themes = page.get_by_role("table", name="Thema's: aantal medewerkers")
    expect(themes.get_by_role("columnheader", name="Wijkteam Centrum")).to_be_visible()
    expect(themes.get_by_role("columnheader", name="jul 2026")).to_be_visible()
    # The team under k is never named; some cells are visibly suppressed, with the reason.
    text = page.locator("#view").inner_text()
    assert "Wijkteam Zuid" not in text and "null" not in text and "undefined" not in text
    assert page.locator("td.suppressed").count() > 0
    assert page.locator("td.suppressed").first.get_attribute("title") == SUPPRESSED
    expect(page.get_by_text("niet voor het beoordelen van medewerkers")).to_be_visible()
    residents = page.get_by_role("table", name="Inwoners: (helemaal) mee eens")
    expect(residents.get_by_role("rowheader", name="De medewerker nam mij serieus")).to_be_visible()
    link = page.get_by_role("link", name="Download cliëntervaring (CSV)")
    assert link.get_attribute("href").endswith("/export.csv?period=2026-Q3")
    screenshot(page, "61-gemeente-kwartaal-1280")
    page.screenshot(path=str(screenshot_path("62-gemeente-kwartaal-1280-volledig")), full_page=True)
    violations = axe_violations(page)
    assert violations == [], dump(violations)
    page.emulate_media(media="print")
    expect(page.get_by_label("Periode")).to_be_hidden()
    expect(page.get_by_role("table", name="Thema's: aantal medewerkers")).to_be_visible()
    page.emulate_media(media="screen")


def test_gemeente_screen_on_a_phone(app, page, clock):
    _log_in_as_beleid(app, clock, page)
    _quarter(page)
    # The page itself never scrolls sideways: only the tables do, inside their own region.
    wide = page.evaluate("""() => [...document.querySelectorAll('#view *')].filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > 361)
        .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).concat([...document.querySelectorAll('.table-scroll')].slice(0,2).map(e => getComputedStyle(e).overflowX + ' ' + e.clientWidth + ' ' + e.scrollWidth + ' ' + getComputedStyle(e).display)).concat([document.body.scrollWidth, document.querySelector('.screen').clientWidth])""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
    region = page.get_by_role("region", name="Thema's: aantal medewerkers")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    screenshot(page, "63-gemeente-kwartaal-360")
    violations = axe_violations(page)
    assert violations == [], dump(violations)


def test_a_teamleider_has_no_gemeente_screen(app, page, clock):
    from server.demo import PASSWORD, seed_demo

    clock(TODAY)
    with app.app_context():
        seed_demo()
    page.goto("/app/#/gemeente")
    page.get_by_label("E-mailadres").fill("teamleider@demo.leerlus.nl")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Je hoort niet bij een gemeente.")).to_be_visible()


def screenshot_path(name: str):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
