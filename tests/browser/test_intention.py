"""Gelukt?: the most recent open intention is asked (also when the newest reflection has none),
offline too (from the device's copy and what is still in the outbox); the answers and Overslaan
never overlap, and neither do the back link and a long title, at 320-414 px."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot, wait_for_service_worker

pytestmark = pytest.mark.browser

WIDTHS = (320, 360, 414)


def boxes_overlap(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"] + 0.5
        or b["x"] + b["width"] <= a["x"] + 0.5
        or a["y"] + a["height"] <= b["y"] + 0.5
        or b["y"] + b["height"] <= a["y"] + 0.5
    )


def reflect(client, text, next_time="", outcome=None, hours_ago=1):
    when = (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat()
    body = {
        "client_id": str(uuid.uuid4()),
        "what_happened": text,
        "next_time": next_time,
        "occurred_at": when,
    }
    if outcome:
        body["previous_intention_outcome"] = outcome
    response = client.post("/api/v1/reflections", json=body)
    assert response.status_code == 201, response.get_json()


def test_gelukt_asks_the_most_recent_open_intention(app, context, page, medewerker, login):
    client = login(medewerker["id"])
    reflect(
        client,
        "Huisbezoek bij een gezin met schulden.",
        next_time="Eerst vragen wat mevrouw zelf wil",
        hours_ago=5,
    )
    reflect(client, "Kort telefoontje, niets bijzonders.")  # newest: no intention, no answer

    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    page.get_by_role("link", name="Nieuwe reflectie").click()
    card = page.locator(".intention")
    expect(card).to_contain_text("Eerst vragen wat mevrouw zelf wil")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 700})
        buttons = [
            card.get_by_role("button", name=name).bounding_box()
            for name in ("Ja", "Deels", "Nee", "Overslaan")
        ]
        for i, first in enumerate(buttons):
            for second in buttons[i + 1 :]:
                assert not boxes_overlap(first, second), (width, buttons)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), width
        if width != 414:
            screenshot(page, f"intention-01-open-{width}")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "intention-01-open-1280")
    page.set_viewport_size({"width": 360, "height": 640})

    card.get_by_role("button", name="Nee").click()
    page.get_by_label("Wat gebeurde er?").fill("Weer langs geweest.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Verzonden ✓")).to_be_visible()
    page.get_by_role("link", name="Naar start").click()
    page.get_by_role("link", name="Nieuwe reflectie").click()
    expect(page.get_by_label("Wat gebeurde er?")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(card).to_have_count(0)  # answered: nothing open any more

    # Offline: an intention written on the phone a moment ago is the one asked next.
    page.get_by_role("link", name="Start").click()
    context.set_offline(True)
    page.get_by_role("link", name="Nieuwe reflectie").click()
    page.get_by_label("Wat gebeurde er?").fill("In de kelder zonder bereik.")
    page.get_by_label("Wat doe je volgende keer?").fill("Bellen met de huisarts")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Opgeslagen op je telefoon")).to_be_visible()
    page.get_by_role("link", name="Naar start").click()
    page.get_by_role("link", name="Nieuwe reflectie").click()
    expect(card).to_contain_text("Bellen met de huisarts")
    context.set_offline(False)


def test_back_link_and_long_titles_never_overlap(page, medewerker):
    log_in(page, medewerker["email"])
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 640})
        for route in (
            "#/nieuw",
            "#/meldingen",
            "#/teamvragen",
            "#/ontwikkeling",
            "#/instellingen",
            "#/reflecties",
        ):
            page.goto(f"/app/{route}")
            heading = page.get_by_role("heading", level=1)
            expect(heading).to_be_visible()
            # The longest title one of these screens could get, in the page as it is.
            heading.evaluate(
                "(h) => { h.textContent = 'Vragen van je team over huisbezoeken bij gezinnen met schulden'; }"
            )
            back = page.locator(".topbar .back")
            parts = [box for box in (back.bounding_box(), heading.bounding_box()) if box]
            extra = page.locator(".topbar .topbar-link")
            if extra.count():
                parts.append(extra.first.bounding_box())
            for i, first in enumerate(parts):
                for second in parts[i + 1 :]:
                    assert not boxes_overlap(first, second), (width, route, parts)
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (width, route)
    page.set_viewport_size({"width": 320, "height": 640})
    screenshot(page, "header-long-title-320")
