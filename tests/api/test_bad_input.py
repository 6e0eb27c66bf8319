"""Bad input to every state-changing API endpoint: a problem document, never a 5xx and never HTML.

Generated from the URL map, so a new endpoint is covered the day it is added."""

import uuid

import pytest

BAD_BODIES = [
    ("invalid JSON", "{not json", "application/json"),
    ("wrong content type", "a=1", "application/x-www-form-urlencoded"),
    ("JSON array", "[1, 2, 3]", "application/json"),
    (
        "wrong types",
        '{"text": 5, "client_id": 7, "occurred_at": false, "what_happened": []}',
        "application/json",
    ),
    ("unknown field", '{"zzz_unknown": 1}', "application/json"),
    (
        "NUL byte",
        '{"text": "a\\u0000b", "what_happened": "a\\u0000b", "label": "a\\u0000b"}',
        "application/json",
    ),
    ("oversize", '{"text": "' + "x" * (1024 * 1024 + 1) + '"}', "application/json"),
]


def _state_changing_urls(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            values = {}
            for name, converter in rule._converters.items():
                kind = type(converter).__name__
                values[name] = (
                    uuid.uuid4()
                    if kind == "UUIDConverter"
                    else ("2026-W47" if "week" in name else "onbekend-token")
                )
            with app.test_request_context():
                yield method, rule.rule, rule.build(values, append_unknown=False)[1]


def test_every_state_changing_endpoint_answers_bad_input_with_a_problem(app, team_setup):
    client = team_setup["client"]["alice"]
    failures = []
    for method, rule, url in _state_changing_urls(app):
        for name, body, content_type in BAD_BODIES:
            response = client.http.open(
                url,
                method=method,
                data=body,
                content_type=content_type,
                headers={"X-CSRF-Token": client.csrf},
            )
            if response.status_code >= 500:
                failures.append(f"{method} {rule} [{name}] -> {response.status_code}")
            elif response.status_code >= 400 and response.mimetype != "application/problem+json":
                failures.append(f"{method} {rule} [{name}] -> {response.status_code} {response.mimetype}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "name, body, content_type, status",
    [
        ("invalid JSON", "{not json", "application/json", 400),
        ("wrong content type", "a=1", "application/x-www-form-urlencoded", 415),
        ("oversize", '{"what_happened": "' + "x" * (1024 * 1024 + 1) + '"}', "application/json", 413),
        ("unknown field", '{"zzz_unknown": 1}', "application/json", 422),
    ],
)
def test_the_reflection_write_names_each_kind_of_bad_input(team_setup, name, body, content_type, status):
    client = team_setup["client"]["alice"]
    response = client.http.post(
        "/api/v1/reflections", data=body, content_type=content_type, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == status, name
    problem = response.get_json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
