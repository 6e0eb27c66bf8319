"""Hostile text in the PWA: what a user typed is shown as text, never run as markup or script."""

import uuid
from datetime import UTC, datetime

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

# Each payload would set window.__pwned (or open a dialog) if it ever became markup.
PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2</script>",
    '<svg onload="window.__pwned=3"></svg>',
    '<a href="javascript:window.__pwned=4">klik</a>',
    "Mevrouw \u202eneyrB\u202c \u200bzero\u200dwidth 😀🏳️‍🌈",
]


def test_hostile_reflections_and_name_render_as_text(page, medewerker, login):
    api = login(medewerker["id"])
    name = '<b onmouseover="window.__pwned=5">Sanne</b>'
    assert api.patch("/api/v1/me", json={"display_name": name}).status_code == 200
    for text in PAYLOADS:
        response = api.post(
            "/api/v1/reflections",
            json={
                "client_id": str(uuid.uuid4()),
                "what_happened": text,
                "occurred_at": datetime.now(UTC).isoformat(),
            },
        )
        assert response.status_code == 201
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    log_in(page, medewerker["email"])
    assert name in page.locator("h1").first.text_content()
    page.goto("/app/#/reflecties")
    for text in PAYLOADS[:4]:
        page.get_by_text(text, exact=False).first.wait_for()
    page.locator("body").hover()
    assert page.evaluate("() => window.__pwned === undefined")
    # The shell's own inline scripts (the early GET /me, the Dutch texts as JSON) sit in <head>.
    injected = "body script:not([src]), img[src='x'], svg[onload], a[href^='javascript:']"
    assert page.locator(injected).count() == 0
    assert dialogs == []
