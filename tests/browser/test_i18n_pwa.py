"""The app speaks the chosen language end to end: its own texts (from the catalogue, Dutch inlined in
the shell, English fetched) and the server's problem documents (Accept-Language from the app)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PageProblems, log_in, screenshot

pytestmark = pytest.mark.browser

SIZES = {
    "320": {"width": 320, "height": 640},
    "360": {"width": 360, "height": 640},
    "1280": {"width": 1280, "height": 800},
}


def wrong_password(page, email, button):
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill("niet-het-goede-wachtwoord")
    page.get_by_role("button", name=button, exact=True).click()


def test_a_refused_login_in_dutch_and_in_english(page, medewerker):
    problems = PageProblems(page)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/app/")
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    # The login screen's Dutch comes inlined with the shell; the rest of the catalogue only once it is
    # up (test_pwa_loading.py), English not at all.
    assert not [url for url in requests if "/locale/en.json" in url], requests
    wrong_password(page, medewerker["email"], "Inloggen")
    expect(page.get_by_text("E-mailadres of wachtwoord klopt niet.")).to_be_visible()

    page.evaluate("() => localStorage.setItem('leerlus.lang', 'en')")
    page.reload()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert page.evaluate("() => document.documentElement.lang") == "en"
    wrong_password(page, medewerker["email"], "Log in")
    expect(page.get_by_text("E-mail address or password is not right.")).to_be_visible()
    for name, size in SIZES.items():
        page.set_viewport_size(size)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, f"i18n-login-refused-en-{name}")
    assert problems.errors == []


def test_mijn_ontwikkeling_in_english(page, medewerker):
    """The screens that had their own Dutch-only tables now speak English too (issue #18)."""
    problems = PageProblems(page)
    log_in(page, medewerker["email"])
    page.evaluate("() => localStorage.setItem('leerlus.lang', 'en')")
    page.goto("/app/#/ontwikkeling")
    page.reload()
    expect(page.get_by_role("heading", name="My development")).to_be_visible()
    expect(page.get_by_role("button", name="Print (A4)")).to_be_visible()
    expect(page.get_by_text("Only you see this overview.")).to_be_visible()
    expect(page.get_by_text("Afdrukken")).to_have_count(0)
    for name, size in SIZES.items():
        page.set_viewport_size(size)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, f"i18n-development-en-{name}")
    assert problems.errors == []
