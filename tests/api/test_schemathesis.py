"""Property-based API testing with schemathesis against /api/v1/openapi.json, in-process (WSGI),
once anonymous and once as a logged-in medewerker who sends the CSRF header like the PWA.

For every operation a bounded, derandomised set of generated requests must never produce a 5xx, and
every response must conform to the document: its status documented for that operation, its content
type and headers as documented, its body valid against the documented schema (errors: the Problem
schema as application/problem+json).

The served document keeps a "default" response (a problem document: 405, 500, 503), which would make
any status conform; the run strips it so every status a generated request gets must be listed
explicitly for its operation.
"""

import copy
import os

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# More for a deeper run by hand: SCHEMATHESIS_EXAMPLES=100.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Would end the session the rest of the run depends on.
SKIP_WHEN_LOGGED_IN = {("POST", "/api/v1/auth/logout")}
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def served_document(app) -> dict:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def without_default_responses(document: dict) -> dict:
    document = copy.deepcopy(document)
    for item in document["paths"].values():
        for method, operation in item.items():
            if method in METHODS:
                operation["responses"].pop("default", None)
    return document


def load_schema(app):
    schema = schemathesis.openapi.from_dict(without_default_responses(served_document(app)))
    schema.app = app
    return schema


def run_schema(app, client, headers: dict, skip=frozenset()) -> tuple[list[str], int]:
    schema = load_schema(app)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in skip:
            continue
        operations += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(session=client, headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except (Exception, FailureGroup) as error:  # collect every operation's failure, then report all
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:1500]}")
    return failures, operations


def test_anonymous(app):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.3.1"
    failures, operations = run_schema(app, client, {})
    assert operations > 50
    assert not failures, "\n\n".join(failures)


def test_logged_in_medewerker(app, team_setup):
    alice = team_setup["client"]["alice"]
    failures, operations = run_schema(app, alice.http, {"X-CSRF-Token": alice.csrf}, SKIP_WHEN_LOGGED_IN)
    assert operations > 50
    assert not failures, "\n\n".join(failures)
    assert alice.get("/api/v1/me").status_code == 200, "the run kept its session"
