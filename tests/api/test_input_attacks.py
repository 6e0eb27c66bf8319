"""Hostile request bodies (issue #15, items 10-13): each test sends what an attacker sent and
expects a problem document, never a 500 or a traceback in the log."""

import inspect
import json
import logging
import uuid

import pytest
from marshmallow import fields

from server.jsonin import MAX_DEPTH, MAX_NUMBER_CHARS

NOW = "2026-11-30T10:00:00+01:00"


def raw(client, method, path, body: str):
    return client._call(method, path, data=body, content_type="application/json")


def assert_problem(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/problem+json"
    return response.get_json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/auth/login",
        "/api/v1/auth/password-reset",
        "/api/v1/invitations/x/accept",
        "/api/v1/auth/password-reset/x",
    ],
)
def test_deep_nesting_and_huge_numbers_are_refused_before_anything_parses_them(anonymous, caplog, path):
    caplog.set_level(logging.INFO)
    deep = assert_problem(raw(anonymous, "POST", path, "[" * 100_000), 400)
    assert str(MAX_DEPTH) in deep["detail"]
    # Brackets inside a string are text, not nesting.
    assert raw(anonymous, "POST", path, '{"email": "' + "[" * 5000 + '"}').status_code != 400
    huge = assert_problem(raw(anonymous, "POST", path, '{"email": ' + "9" * 5000 + "}"), 422)
    assert str(MAX_NUMBER_CHARS) in huge["detail"]
    assert_problem(raw(anonymous, "POST", path, '{"email": 1e999999}'), 422)
    assert_problem(raw(anonymous, "POST", path, '{"email": NaN}'), 400)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], [
        r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info
    ]


def test_nesting_up_to_the_limit_reaches_validation(anonymous):
    body = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert_problem(raw(anonymous, "POST", "/api/v1/auth/login", body), 422)


def test_a_lone_surrogate_is_a_422_on_every_text_write(team_setup):
    alice = team_setup["client"]["alice"]
    reflection = alice.post(
        "/api/v1/reflections",
        json={"client_id": str(uuid.uuid4()), "occurred_at": NOW, "what_happened": "Gesprek over de buren."},
    )
    assert reflection.status_code == 201, reflection.get_json()
    rid = reflection.get_json()["id"]
    bad = "a\ud800"  # json.dumps sends it as the escape "\ud800", as an attacker would
    writes = [
        (
            "POST",
            "/api/v1/reflections",
            {"client_id": str(uuid.uuid4()), "occurred_at": NOW, "what_happened": bad},
        ),
        ("POST", "/api/v1/visits", {"client_id": str(uuid.uuid4()), "occurred_at": NOW, "pseudonym": bad}),
        ("POST", "/api/v1/learning-questions", {"text": bad}),
        ("POST", "/api/v1/actions", {"client_id": str(uuid.uuid4()), "title": bad}),
        ("PATCH", "/api/v1/me", {"display_name": bad}),
        ("PATCH", f"/api/v1/reflections/{rid}", {"noticed": bad}),
        # In a key, and deep inside a nested object.
        ("PATCH", "/api/v1/me", {bad: 1}),
        ("PATCH", "/api/v1/me", {"preferences": {"notify_off": [bad]}}),
    ]
    for method, path, body in writes:
        problem = assert_problem(raw(alice, method, path, json.dumps(body)), 422)
        assert any("surrogaat" in str(messages) for messages in problem["errors"].values()), (path, problem)


def _input_schemas():
    from server.schemas import (
        accounts,
        actions,
        common,
        digests,
        feedback,
        learning,
        push,
        reflections,
        themes,
        visits,
    )

    for module in (accounts, actions, common, digests, feedback, learning, push, reflections, themes, visits):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, common.StrictSchema) and cls.__module__ == module.__name__:
                yield cls


def test_every_text_field_of_every_input_schema_refuses_a_lone_surrogate():
    """One check in the base schema covers every field, including ones added later."""
    checked = 0
    for cls in _input_schemas():
        for name, field in cls().load_fields.items():
            if isinstance(field, fields.String):
                errors = cls().validate({field.data_key or name: "a\ud800"})
                assert any("surrogaat" in str(m) for m in errors.values()), (cls.__name__, name, errors)
                checked += 1
    assert checked > 40


@pytest.mark.parametrize(
    "name", ["Wijkteam\r\nBcc: iemand@example.org", "Team\nNoord", "Tab\tteam", "Regel\u2028scheiding"]
)
def test_a_team_or_person_name_on_more_than_one_line_is_refused(team_setup, name):
    lead = team_setup["client"]["lead"]
    problem = assert_problem(lead.patch(f"/api/v1/teams/{team_setup['team']}", json={"name": name}), 422)
    assert "name" in problem["errors"]
    assert (
        "display_name" in assert_problem(lead.patch("/api/v1/me", json={"display_name": name}), 422)["errors"]
    )


def test_mail_headers_are_built_on_one_line():
    from server.mail import header_value

    assert (
        header_value("Uitnodiging voor Team\r\nBcc: x@example.org")
        == "Uitnodiging voor Team Bcc: x@example.org"
    )
    assert "\n" not in header_value("a\u2028b\x00c\x85d")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00Z", "1999-12-31T23:00:00+01:00"])
def test_occurred_at_before_2020_is_refused(team_setup, moment):
    alice = team_setup["client"]["alice"]
    for path, extra in (("/api/v1/reflections", {"what_happened": "Bezoek."}), ("/api/v1/visits", {})):
        body = {"client_id": str(uuid.uuid4()), "occurred_at": moment, **extra}
        assert "occurred_at" in assert_problem(alice.post(path, json=body), 422)["errors"]


def test_energy_must_be_a_whole_number(team_setup):
    alice = team_setup["client"]["alice"]
    body = {"client_id": str(uuid.uuid4()), "occurred_at": NOW, "what_happened": "Bezoek.", "energy": 2.5}
    assert "energy" in assert_problem(alice.post("/api/v1/reflections", json=body), 422)["errors"]
    for value in (True, "3"):
        assert alice.post("/api/v1/reflections", json=body | {"energy": value}).status_code == 422
    created = alice.post("/api/v1/reflections", json=body | {"energy": 3})
    assert created.status_code == 201 and created.get_json()["energy"] == 3
    rid = created.get_json()["id"]
    assert (
        "energy"
        in assert_problem(alice.patch(f"/api/v1/reflections/{rid}", json={"energy": 4.5}), 422)["errors"]
    )
