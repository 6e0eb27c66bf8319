"""Settings: a switch label that tells the truth, quiet hours and reminder timing saved on the
account (validated), my data as a JSON download, and erasing my account after a typed confirmation."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import User
from tests.browser.conftest import SCREENSHOTS, axe_violations, dump, log_in, screenshot
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def account(app, user_id):
    with app.app_context():
        db.session.remove()
        return db.session.get(User, user_id)


def test_settings_quiet_hours_export_and_labels(app, page, medewerker):
    log_in(page, medewerker["email"])
    page.get_by_role("link", name="Instellingen").click()
    expect(page.get_by_role("heading", name="Instellingen")).to_be_visible()
    # Off (no subscription on this phone): the label must not claim "aan".
    switch = page.get_by_role("switch")
    expect(switch).not_to_be_checked()
    expect(page.locator(".switch")).to_have_text("Meldingen uit")
    expect(page.get_by_text("Meldingen aan")).to_have_count(0)

    for width, height in ((320, 640), (360, 640), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), width
        page.screenshot(path=str(SCREENSHOTS / f"settings-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 640})
    assert axe_violations(page) == [], dump(axe_violations(page))

    # Quiet hours and the reminder's timing are saved on the account.
    page.get_by_label("Rustig vanaf").fill("22:00")
    page.get_by_label("Rustig tot").fill("07:30")
    quiet = page.locator("form.quiet-hours")
    page.get_by_label("Ook het hele weekend rustig").uncheck()
    page.get_by_label("Herinnering om te reflecteren").select_option(label="na 2 uur")
    quiet.get_by_role("button", name="Opslaan").click()
    expect(quiet.get_by_role("status")).to_have_text("Opgeslagen ✓")
    saved = account(app, medewerker["id"])
    assert (saved.quiet_start, saved.quiet_end, saved.quiet_weekends, saved.nudge_delay_minutes) == (
        "22:00",
        "07:30",
        False,
        120,
    )
    page.reload()
    expect(page.get_by_label("Rustig tot")).to_have_value("07:30")
    expect(page.get_by_label("Herinnering om te reflecteren")).to_have_value("120")

    # My data: the same JSON as GET /me/export, as a file.
    with page.expect_download() as info:
        page.get_by_role("button", name="Download mijn gegevens").click()
    download = info.value
    assert download.suggested_filename.startswith("leerlus-mijn-gegevens-")
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["user"]["email"] == medewerker["email"]
    expect(page.get_by_text("Gedownload ✓")).to_be_visible()


def test_erase_my_account_after_typed_confirmation(app, page, medewerker):
    log_in(page, medewerker["email"])
    page.goto("/app/#/instellingen")
    erase = page.locator("form.erase")
    expect(erase).to_contain_text("telt je team zijn cijfers opnieuw, zonder jou")
    button = erase.get_by_role("button", name="Account definitief verwijderen")
    expect(button).to_be_disabled()
    erase.get_by_label("Wachtwoord").fill("niet-mijn-wachtwoord")
    erase.get_by_label("Typ VERWIJDER om te bevestigen").fill("verwijde")
    expect(button).to_be_disabled()
    erase.get_by_label("Typ VERWIJDER om te bevestigen").fill("verwijder")
    expect(button).to_be_enabled()
    erase.scroll_into_view_if_needed()
    screenshot(page, "settings-erase-360")
    button.click()
    expect(erase.get_by_text("Onjuist wachtwoord.")).to_be_visible()
    assert account(app, medewerker["id"]) is not None

    erase.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    button.click()
    expect(page.get_by_label("E-mailadres")).to_be_visible()
    assert account(app, medewerker["id"]) is None
    assert page.evaluate("async () => (await leerlusStore.all('outbox')).length") == 0
