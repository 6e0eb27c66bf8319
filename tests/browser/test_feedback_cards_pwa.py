"""The medewerker's side in the PWA: the card for the link on screen, the one reminder, a batch."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.models import FeedbackLink
from tests.api.test_resident_cards import pages
from tests.browser.conftest import SCREENSHOTS, PageProblems, log_in, new_context, screenshot

pytestmark = pytest.mark.browser

# Record what would go to the phone's share sheet instead of opening one.
SHARE_STUB = "navigator.share = (data) => { (window.__shared = window.__shared || []).push(data.text); return Promise.resolve(); };"


def test_card_reminder_and_batch_from_the_app(app, browser, live_server, medewerker):
    context = new_context(browser, live_server, accept_downloads=True)
    context.add_init_script(SHARE_STUB)
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, medewerker["email"])
    page.get_by_role("link", name="Vraag feedback").click()
    page.get_by_role("radio", name="telefoontje").check()
    page.get_by_role("button", name="Maak link").click()
    expect(page.get_by_role("img", name="QR-code")).to_be_visible()
    # The code to read aloud is on screen; the 43-character link is folded away.
    expect(page.get_by_text("Geen camera? Lees de code voor.")).to_be_visible()
    expect(page.locator(".readable-code")).to_be_visible()
    expect(page.locator(".readable-link")).to_be_hidden()
    expect(page.get_by_text("Scan mij — 4 korte vragen over ons bezoek")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "07-vraag-feedback-kaartje.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SCREENSHOTS / "07-vraag-feedback-kaartje-320.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / "07-vraag-feedback-kaartje-1280.png"))
    page.set_viewport_size({"width": 360, "height": 640})
    page.get_by_text("Toon de hele link").click()
    url = page.locator(".readable-link").text_content()
    code = page.locator(".readable-code").text_content()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    # The share sheet gets the server's words: who asks, and as many questions as the form has.
    page.get_by_role("button", name="Delen via app of sms").click()
    first_share = page.evaluate("() => window.__shared")[0]
    assert first_share == (
        f"Hoe was ons bezoek? Wijkteam Noord stelt u 4 korte vragen. Het duurt 1 minuut en u hoeft uw naam "
        f"niet te geven: {url}"
    )

    with page.expect_download() as download:
        page.get_by_role("button", name="Kaartje printen").click()
    [card] = pages(Path(download.value.path()).read_bytes())
    assert card["urls"] == [url] and code in card["text"]

    page.get_by_role("button", name="Herinnering delen").click()
    expect(page.get_by_role("button", name="Herinnering delen")).to_be_disabled()
    shared = page.evaluate("() => window.__shared")
    assert len(shared) == 2 and url in shared[1]
    assert shared[1].startswith("Een herinnering van Wijkteam Noord: wilt u nog 4 korte vragen")
    with app.app_context():
        [link] = db.session.scalars(select(FeedbackLink)).all()
        assert link.reshared_at is not None

    page.goto("/app/#/inwoners")
    page.get_by_text("Kaartjes voor de bezoeken van deze week").click()
    page.get_by_label("Aantal kaartjes").fill("5")
    page.get_by_label("Taal van de inwoner").select_option("uk")
    screenshot(page, "43-inwoners-kaartjes")
    with page.expect_download() as download:
        page.get_by_role("button", name="Kaartjes printen (4 per A4)").click()
    first, second = pages(Path(download.value.path()).read_bytes())
    assert len(first["urls"]) == 4 and len(second["urls"]) == 1
    assert "Дійсний до" in first["text"]
    assert problems.errors == []
    context.close()
