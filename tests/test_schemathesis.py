"""Property-based API testing with schemathesis against /api/v1/openapi.json, in-process (WSGI),
once anonymous and once as a logged-in medewerker who sends the CSRF header like the PWA.

For every operation a bounded, derandomised set of generated requests must never produce a 5xx
and every documented response must match its schema.
"""

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = 8
# Would end the session the rest of the run depends on.
SKIP_WHEN_LOGGED_IN = {("POST", "/api/v1/auth/logout")}


def run_schema(app, client, headers: dict, skip=frozenset()) -> tuple[list[str], int]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in skip:
            continue
        operations += 1

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(session=client, headers=headers)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

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
