"""Hostile text (security-tests T19/T20): markup, scripts, bidi overrides, zero-width characters,
4-byte emoji and very long words are stored exactly as typed and come out inert in every sink.
NUL is the one character refused (422): PostgreSQL text cannot hold it.
The PWA side (text nodes, never innerHTML) is checked in a real browser in
tests/browser/test_hostile_text.py."""

import html
import inspect
import json
import re
import uuid
from datetime import UTC, datetime

import pytest
from markupsafe import escape

HOSTILE = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">klik</a> javascript:alert(1)',
    "<svg onload=alert(1)><style>*{display:none}</style>",
    "Mevrouw \u202eneyrB\u202c schreef \u2066omgekeerd\u2069",
    "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom\u2060",
    "4-byte: 😀 🏳️‍🌈 👩🏽‍⚕️ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎",
    "{{ 7*7 }} ${7*7} {% raw %} <%= 7*7 %>",
    "'; DROP TABLE reflections; -- \\ \" `",
    '=HYPERLINK("http://evil.example")',
    "regel 1\r\nregel 2\ttab",
]
LONG_WORD = "Onderzoeksverpleegkundigenopleidingsprogramma" * 40  # 1800 characters, no space


def reflection(text: str, **extra) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC).isoformat(),
        "what_happened": text,
        "noticed": text,
        "why": text,
        "next_time": text,
    } | extra


def test_api_round_trips_hostile_text_exactly(team_setup):
    alice = team_setup["client"]["alice"]
    for text in [*HOSTILE, LONG_WORD]:
        created = alice.post("/api/v1/reflections", json=reflection(text))
        assert created.status_code == 201, (text, created.get_json())
        stored = alice.get(f"/api/v1/reflections/{created.get_json()['id']}").get_json()
        assert [stored[f] for f in ("what_happened", "noticed", "why", "next_time")] == [text] * 4
    for text in HOSTILE:
        question = alice.post("/api/v1/learning-questions", json={"text": text})
        assert question.status_code == 201 and question.get_json()["text"] == text.strip()
        action = alice.post("/api/v1/actions", json={"client_id": str(uuid.uuid4()), "title": text[:200]})
        assert action.status_code == 201 and action.get_json()["title"] == text[:200]
        visit = alice.post(
            "/api/v1/visits",
            json={
                "client_id": str(uuid.uuid4()),
                "pseudonym": text[:60],
                "occurred_at": datetime.now(UTC).isoformat(),
            },
        )
        assert visit.status_code == 201 and visit.get_json()["pseudonym"] == text[:60]
        me = alice.patch("/api/v1/me", json={"display_name": text[:120]})
        if any(c in text for c in "\r\n\t"):  # a name is one line: it goes into mail headers
            assert me.status_code == 422 and "display_name" in me.get_json()["errors"]
        else:
            assert me.status_code == 200 and me.get_json()["user"]["display_name"] == text[:120]


def test_json_answers_cannot_be_sniffed_as_html(team_setup):
    alice = team_setup["client"]["alice"]
    response = alice.post("/api/v1/reflections", json=reflection(HOSTILE[0]))
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/reflections", reflection("voor\x00na")),
        ("/api/v1/learning-questions", {"text": "voor\x00na"}),
        ("/api/v1/actions", {"client_id": str(uuid.uuid4()), "title": "voor\x00na"}),
        (
            "/api/v1/visits",
            {"client_id": str(uuid.uuid4()), "pseudonym": "a\x00", "occurred_at": "2026-01-05T10:00:00Z"},
        ),
        ("/api/v1/me", {"display_name": "a\x00b"}),
        ("/api/v1/themes/suggest", {"text": "schulden\x00"}),
    ],
)
def test_nul_is_refused_with_422_not_a_500(team_setup, path, body):
    client = team_setup["client"]["alice"]
    response = client.patch(path, json=body) if path == "/api/v1/me" else client.post(path, json=body)
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"


def _nonce(page: str) -> str:
    return html.unescape(re.search(r'name="nonce" value="([^"]+)"', page).group(1))


def test_resident_page_escapes_what_the_resident_typed(team_setup, app):
    alice = team_setup["client"]["alice"]
    visit = alice.post(
        "/api/v1/visits", json={"client_id": str(uuid.uuid4()), "occurred_at": datetime.now(UTC).isoformat()}
    ).get_json()["id"]
    token = alice.post(f"/api/v1/visits/{visit}/feedback-link", json={}).get_json()["token"]
    resident = app.test_client()
    comment = " ".join(HOSTILE[:4])
    # Too long first: the form comes back with the text in it (escaped), nothing consumed.
    page = resident.get(f"/f/{token}").get_data(as_text=True)
    refused = resident.post(f"/f/{token}", data={"nonce": _nonce(page), "comment": comment + "x" * 1000})
    assert refused.status_code == 422
    thanks = resident.post(f"/f/{token}", data={"nonce": _nonce(page), "comment": comment, "serieus": "4"})
    assert thanks.status_code == 200
    for answer in (refused.get_data(as_text=True), thanks.get_data(as_text=True)):
        assert "<script>alert" not in answer and "<img src=x" not in answer and "<svg onload" not in answer
        assert str(escape(HOSTILE[0])) in answer
    with app.app_context():
        from server.extensions import db
        from server.models import InwonerFeedback

        assert db.session.query(InwonerFeedback).one().comment == comment


def test_every_template_environment_autoescapes(app):
    from server.mail import templates

    html_templates = [name for name in templates.list_templates() if name.endswith(".html")]
    assert len(html_templates) >= 3 and all(templates.autoescape(name) for name in html_templates)
    assert templates.from_string("{{ v }}").render(v=HOSTILE[1]) == escape(HOSTILE[1])
    assert app.select_jinja_autoescape("resident/form.html")
    with app.test_request_context():
        assert app.jinja_env.from_string("{{ v }}").render(v=HOSTILE[0]) == escape(HOSTILE[0])


def test_push_payloads_carry_no_user_text():
    """The payload is built from the kind and the notification id only: user text cannot reach it."""
    from server.push.payload import KINDS, MESSAGES, build_payload

    # translate maps the fixed Dutch texts to the addressee's language (the catalogue), nothing else.
    assert list(inspect.signature(build_payload).parameters) == ["kind", "notification_id", "translate"]
    for kind in KINDS:
        notification_id = uuid.uuid4()
        payload = json.loads(build_payload(kind, notification_id))
        assert payload == {
            "title": MESSAGES[kind].title,
            "body": MESSAGES[kind].body,
            "url": f"/app/#/melding/{notification_id}",
            "id": str(notification_id),
        }
