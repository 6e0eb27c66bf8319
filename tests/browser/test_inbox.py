"""The notifications inbox in the app: a contact request shows on the start screen and in
#/meldingen with the visit it came from, and opening it marks it read on the server."""

import re

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import Notification
from tests.api.test_feedback import submit
from tests.api.test_notifications_inbox import make_visit
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_contact_request_in_the_inbox(app, page, medewerker, login, run_jobs):
    visit_id = make_visit(app, medewerker["id"], medewerker["team"], pseudonym="Meneer van de derde")
    client = login(medewerker["id"])
    token = client.post(f"/api/v1/visits/{visit_id}/feedback-link", json={}).get_json()["token"]
    submit(app.test_client(), token, comment="Graag even bellen.", contact="ja")
    run_jobs()

    log_in(page, medewerker["email"])
    panel = page.get_by_role("link", name="1 nieuwe melding")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("De inwoner wil contact met je")
    screenshot(page, "inbox-01-home-unread-360")
    panel.click()

    expect(page.get_by_role("heading", name="Meldingen")).to_be_visible()
    item = page.locator(".inbox-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("De inwoner wil contact met je")
    expect(item).to_contain_text("Over je telefoontje van")
    expect(item).to_contain_text("“Meneer van de derde”")
    expect(item.locator(".badge")).to_have_text("Nieuw")
    for width, height in ((320, 640), (360, 640), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        screenshot(page, f"inbox-02-list-{width}")
    page.set_viewport_size({"width": 360, "height": 640})

    item.get_by_role("link", name="Naar de feedback").click()
    expect(page).to_have_url(re.compile(r"#/inwoners$"))

    def read_at():
        with app.app_context():
            db.session.remove()
            return db.session.query(Notification.read_at).scalar()

    deadline = 50
    while read_at() is None and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    assert read_at() is not None
    page.goto("/app/#/")
    expect(page.get_by_role("link", name="Nieuwe reflectie")).to_be_visible()
    expect(page.get_by_role("link", name="1 nieuwe melding")).to_have_count(0)
    page.goto("/app/#/meldingen")
    expect(page.get_by_text("Je hebt alles gelezen.")).to_be_visible()
    expect(page.locator(".inbox-item .badge")).to_have_count(0)
