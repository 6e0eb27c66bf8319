"""The team screens in Chromium at 360×640: Weekoverzicht (digest), Melding, Wat inwoners zeggen,
Gedeeld door collega's and Team; print, accessibility, and what a medewerker must not see."""

import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, dump, log_in, screenshot

pytestmark = pytest.mark.browser

SUPPRESSED = "te weinig bijdragen om te tonen"
SECTIONS = ("De week in cijfers", "Thema's", "Signalen", "Leerzones", "Wat inwoners zeggen", "Acties",
            "Voorstel voor casusoverleg / thema van de maand")


def _demo(app, run_jobs=None, **team_settings):
    """The demo team (8 weeks of work); with run_jobs the real workers de-identify and classify it
    first (quotes need that). Builds last week's digest; answers (summary, iso_week)."""
    from server.demo import PASSWORD, seed_demo
    from server.extensions import db
    from server.models import Team, utcnow
    from server.weeks import iso_week_of, shift_week
    from workers.digest import build_digest

    with app.app_context():
        summary = seed_demo()
        team = db.session.get(Team, uuid.UUID(summary["team_id"]))
        for key, value in team_settings.items():
            setattr(team, key, value)
        db.session.commit()
    if run_jobs:
        run_jobs()
    week = shift_week(iso_week_of(utcnow(), ZoneInfo("Europe/Amsterdam")), -1)
    with app.app_context():
        build_digest(summary["team_id"], week)
    summary["password"] = PASSWORD
    return summary, week


def _accessible(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = axe_violations(page)
    assert violations == [], dump(violations)


def test_weekoverzicht_for_the_teamleider(app, page, run_jobs):
    summary, week = _demo(app, run_jobs)
    log_in(page, "teamleider@demo.leerlus.nl", summary["password"])

    page.get_by_role("link", name="Weekoverzicht").click()
    expect(page.get_by_role("heading", name="Weekoverzicht")).to_be_visible()
    _accessible(page)
    screenshot(page, "40-weekoverzicht-lijst")
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

    # Rebuild: POST, the worker builds, the page polls and shows the new version.
    page.get_by_role("button", name="Opnieuw opbouwen").click()
    expect(page.get_by_text("Wordt opgebouwd")).to_be_visible()
    run_jobs(relay_first=False)
    expect(page.get_by_text("Bijgewerkt ✓")).to_be_visible(timeout=15000)

    # Print: A4 without navigation or buttons; one or two pages.
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Terug").is_visible()
    assert not page.get_by_role("button", name="Opnieuw opbouwen").is_visible()
    assert not page.get_by_role("button", name="Afdrukken").is_visible()
    assert page.get_by_role("heading", name="De week in cijfers").is_visible()
    pdf = page.pdf(format="A4", path=str(screenshot_path("41-weekoverzicht", ".pdf")))
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2


def screenshot_path(name, suffix=".png"):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}{suffix}"
