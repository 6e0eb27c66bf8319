"""The OpenAPI document describes the errors the API really returns: RFC 9457 problem documents.

Every error response in the served document is the Problem schema as application/problem+json, each
operation lists the error statuses its pipeline can answer with, and real error responses validate
against the document (schemathesis' own conformance checks, the same as the property-based run).
"""

import uuid

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server.schemas.problem import PROBLEM_CONTENT_TYPE, ProblemSchema
from tests.api.test_schemathesis import METHODS, served_document, without_default_responses

PROBLEM_REF = "#/components/schemas/Problem"
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def document(app):
    return served_document(app)


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def resolve(document, response: dict) -> dict:
    ref = response.get("$ref")
    return document["components"]["responses"][ref.rsplit("/", 1)[-1]] if ref else response


def test_the_problem_schema_is_a_component(document):
    schemas = document["components"]["schemas"]
    assert "Error" not in schemas, "flask-smorest's own error schema is not what the API sends"
    problem = schemas["Problem"]
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(problem["properties"])
    assert set(problem["required"]) == {"type", "title", "status", "detail"}


def test_every_error_response_is_a_problem_document(document):
    seen = 0
    for label, operation in operations(document):
        assert "default" in operation["responses"], label
        for status, response in operation["responses"].items():
            if status != "default" and int(status) < 400:
                continue
            content = resolve(document, response).get("content", {})
            assert list(content) == [PROBLEM_CONTENT_TYPE], f"{label} {status}: {list(content)}"
            assert content[PROBLEM_CONTENT_TYPE]["schema"] == {"$ref": PROBLEM_REF}, f"{label} {status}"
            seen += 1
    assert seen > 300


def test_success_responses_stay_application_json(document):
    for label, operation in operations(document):
        for status, response in operation["responses"].items():
            if status != "default" and int(status) < 400:
                assert PROBLEM_CONTENT_TYPE not in resolve(document, response).get("content", {}), label


def error_statuses(document, label) -> set[int]:
    method, path = label.split(" ", 1)
    responses = document["paths"][path][method.lower()]["responses"]
    return {int(status) for status in responses if status != "default" and int(status) >= 400}


@pytest.mark.parametrize(
    "label, expected",
    [
        # login_required: 401, and 403 for a missing second factor
        ("GET /api/v1/me", {401, 403}),
        # a JSON body with a client_id, state-changing: 400, 403 (CSRF), 409, 413, 415, 422
        ("POST /api/v1/reflections", {400, 401, 403, 404, 409, 413, 415, 422}),
        # a path id: 404
        ("GET /api/v1/reflections/{reflection_id}", {401, 403, 404}),
        ("DELETE /api/v1/reflections/{reflection_id}", {401, 403, 404, 415}),
        # rate limited, CSRF-exempt; its own 401 and 403 are documented on the view
        ("POST /api/v1/auth/login", {400, 401, 403, 413, 415, 422, 429}),
        # query arguments only: 422 from flask-smorest's arguments()
        ("GET /api/v1/actions", {401, 403, 422}),
        # nothing can go wrong but the default (500, 503)
        ("GET /api/v1/push/vapid-public-key", set()),
    ],
)
def test_each_operation_lists_the_errors_its_pipeline_can_answer(document, label, expected):
    assert error_statuses(document, label) == expected


def test_rate_limited_answers_document_retry_after(document):
    too_many = resolve(document, document["paths"]["/api/v1/auth/login"]["post"]["responses"]["429"])
    assert too_many["headers"]["Retry-After"]["required"] is True


@pytest.fixture(scope="module")
def schema(app):
    loaded = schemathesis.openapi.from_dict(without_default_responses(served_document(app)))
    loaded.app = app
    return loaded


def call_and_validate(schema, client, path, method, headers=None, **case_kwargs):
    case = schema[path][method].Case(**case_kwargs)
    response = case.call(session=client, headers=headers or {})
    case.validate_response(response, checks=CHECKS)
    return response


def assert_problem(response, status):
    assert response.status_code == status
    assert response.headers["content-type"][0].startswith(PROBLEM_CONTENT_TYPE)  # schemathesis: lists
    body = response.json()
    assert ProblemSchema().validate(body) == {}, body
    assert body["status"] == status
    return body


def test_a_real_401_validates_against_the_document(app, schema):
    response = call_and_validate(schema, app.test_client(), "/api/v1/me", "GET")
    assert_problem(response, 401)


def test_a_real_422_with_field_errors_validates_against_the_document(schema, team_setup):
    alice = team_setup["client"]["alice"]
    response = call_and_validate(
        schema,
        alice.http,
        "/api/v1/reflections",
        "POST",
        {"X-CSRF-Token": alice.csrf},
        body={"client_id": str(uuid.uuid4()), "what_happened": "x", "zzz_unknown": 1},
        media_type="application/json",
    )
    body = assert_problem(response, 422)
    assert body["errors"]["zzz_unknown"]


def test_a_real_404_validates_against_the_document(schema, team_setup):
    alice = team_setup["client"]["alice"]
    response = call_and_validate(
        schema,
        alice.http,
        "/api/v1/reflections/{reflection_id}",
        "GET",
        {"X-CSRF-Token": alice.csrf},
        path_parameters={"reflection_id": str(uuid.uuid4())},
    )
    assert_problem(response, 404)


def test_a_real_429_validates_against_the_document(app, schema):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.4.29"
    body = {"email": "niemand@test.leerlus.nl", "password": "fout"}
    for _ in range(10):
        call_and_validate(
            schema, client, "/api/v1/auth/login", "POST", body=body, media_type="application/json"
        )
    response = call_and_validate(
        schema, client, "/api/v1/auth/login", "POST", body=body, media_type="application/json"
    )
    assert_problem(response, 429)
    assert int(response.headers["retry-after"][0]) > 0
