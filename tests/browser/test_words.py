"""Words people read: weeks as "week 48 (23–29 nov)" (never "2026-W48"), one shared plural rule
("1 collega" / "2 collega's"), and Mijn ontwikkeling in English too."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

# The instance the page runs: the document holds lib/i18n.js (server/pwa.py, the first screen's bundle).
I18N = """async ([call, args]) => {
  const i18n = await self.leerlusBundle.load("lib/i18n.js");
  if (call === "lang") { await i18n.setLanguage(args); return i18n.language(); }
  return i18n[call](...args);
}"""


def i18n(page, call, *args):
    return page.evaluate(I18N, [call, list(args) if call != "lang" else args[0]])


def test_weeks_and_plurals_in_both_languages(page, medewerker):
    log_in(page, medewerker["email"])
    assert i18n(page, "formatWeek", "2026-W48") == "week 48 (23–29 nov)"
    assert i18n(page, "formatWeek", "2026-W01") == "week 1 (29 dec – 4 jan)"
    assert i18n(page, "t", "authors_n", {"n": 1}) == "1 collega"
    assert i18n(page, "t", "authors_n", {"n": 2}) == "2 collega's"
    assert i18n(page, "t", "authors_n", {"n": 0}) == "0 collega's"
    counts = i18n(page, "t", "theme_counts", {"a": "1 collega", "r": "1 reflectie"})
    assert counts == "1 collega · 1 reflectie"
    assert i18n(page, "t", "dev_helpers_count", {"n": 1}) == "1 collega weet hier iets van"
    assert i18n(page, "lang", "en") == "en"
    assert i18n(page, "formatWeek", "2026-W48") == "week 48 (23–29 Nov)"
    assert i18n(page, "t", "authors_n", {"n": 1}) == "1 colleague"
    assert i18n(page, "t", "dev_linked", {"n": 3}) == "3 reflections linked"
    assert i18n(page, "lang", "nl") == "nl"


def test_my_development_speaks_english(page, medewerker):
    log_in(page, medewerker["email"])
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_text("English").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    for route, heading in (
        ("#/ontwikkeling", "My development"),
        ("#/teamvragen", "Questions from your team"),
    ):
        page.goto(f"/app/{route}")
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        body = page.locator("main, #view").first.inner_text()
        for dutch in ("Mijn ontwikkeling", "Vragen van je team", "Afdrukken", "Leeragenda"):
            assert dutch not in body, (route, dutch)
        assert "-W" not in body
    page.goto("/app/#/ontwikkeling")
    expect(page.get_by_role("heading", name="My development", level=1)).to_be_visible()
    for width, height in ((320, 640), (360, 640), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), width
        screenshot(page, f"development-en-{width}")
