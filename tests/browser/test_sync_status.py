"""Honest sync status: whoever delivers an outbox entry (the page or the service worker), the saved
screen and the start screen show "Verzonden ✓" within 2 s of the server having it, after an offline
cold start and after an answer that got lost on the way back."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot, wait_for_service_worker
from tests.browser.test_pwa import reflections_of

pytestmark = pytest.mark.browser

PENDING = "Opgeslagen op je telefoon — wordt verzonden zodra er verbinding is"


def save_reflection(page, text: str) -> None:
    page.get_by_role("link", name="Nieuwe reflectie").click()
    page.get_by_label("Wat gebeurde er?").fill(text)
    page.get_by_role("button", name="Opslaan").click()


def wait_for_rows(app, user_id, count, page, timeout=15.0):
    deadline = time.monotonic() + timeout
    while len(reflections_of(app, user_id)) < count:
        assert time.monotonic() < deadline, "the server never got the reflection"
        page.wait_for_timeout(100)
    return time.monotonic()


def test_saved_screen_turns_sent_after_an_offline_cold_start(app, context, page, medewerker):
    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    context.set_offline(True)
    page.reload()  # a cold start without a network: the session and the app come from the device
    expect(page.get_by_role("heading", name="Hallo Sanne")).to_be_visible()
    save_reflection(page, "Geschreven in de kelder, net na het opstarten.")
    status = page.get_by_role("status").filter(has_text=PENDING)
    expect(status).to_be_visible()
    screenshot(page, "sync-01-saved-offline-360")

    context.set_offline(False)
    delivered = wait_for_rows(app, medewerker["id"], 1, page)
    expect(page.get_by_role("status").filter(has_text="Verzonden ✓")).to_be_visible(timeout=2000)
    assert time.monotonic() - delivered < 2.5
    screenshot(page, "sync-02-saved-sent-360")
    page.get_by_role("link", name="Naar start").click()
    expect(page.get_by_text(PENDING.split(" — ")[0])).to_have_count(0)
    expect(page.locator("main").get_by_text("Verzonden ✓")).to_have_count(1, timeout=2000)


def test_saved_screen_turns_sent_when_the_answer_was_lost(app, context, page, medewerker):
    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    lost = []

    def drop_first_answer(route):
        # The request reaches the server (which stores the reflection); its answer never arrives.
        if route.request.method == "POST" and not lost:
            lost.append(route.request.url)
            route.fetch()
            route.abort("connectionreset")
            return
        route.continue_()

    seen = []
    context.on(
        "request", lambda request: seen.append((request.method, request.url, bool(request.service_worker)))
    )
    context.route("**/api/v1/reflections", drop_first_answer)
    save_reflection(page, "Het antwoord van de server kwam nooit aan.")
    delivered = wait_for_rows(app, medewerker["id"], 1, page)
    assert lost, seen
    expect(page.get_by_role("status").filter(has_text="Verzonden ✓")).to_be_visible(timeout=2000)
    assert time.monotonic() - delivered < 2.5
    # Sent exactly once: the retry carried the same client_id and got the original back.
    assert len(reflections_of(app, medewerker["id"])) == 1
    page.get_by_role("link", name="Naar start").click()
    expect(page.get_by_text(PENDING.split(" — ")[0])).to_have_count(0)
    expect(page.locator("main").get_by_text("Verzonden ✓")).to_have_count(1, timeout=2000)
    for width in (320, 360):
        page.set_viewport_size({"width": width, "height": 640})
        screenshot(page, f"sync-03-home-after-lost-answer-{width}")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "sync-03-home-after-lost-answer-1280")


def test_failed_delivery_by_the_service_worker_reopens_the_form(app, context, page, medewerker):
    """A definitive refusal the service worker received reaches the open saved screen too."""
    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Hallo Sanne")).to_be_visible()

    def refuse(route):
        if route.request.method == "POST":
            route.fulfill(
                status=422,
                content_type="application/problem+json",
                body='{"type": "about:blank", "title": "Niet opgeslagen", "status": 422,'
                ' "detail": "Dit klopt niet.", "errors": {"what_happened": ["Te kort."]}}',
            )
            return
        route.continue_()

    context.route("**/api/v1/reflections", refuse)
    save_reflection(page, "Deze wordt geweigerd.")
    expect(page.get_by_role("status").filter(has_text=PENDING)).to_be_visible()
    context.set_offline(False)
    expect(page.get_by_text("Te kort.")).to_be_visible(timeout=4000)
