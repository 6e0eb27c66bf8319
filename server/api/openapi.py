"""The OpenAPI side of the API: the flask-smorest `api` object, whose errors are problem documents."""

from http import HTTPStatus

from apispec import BasePlugin
from flask_smorest import Api

from server.auth.access import CSRF_EXEMPT, LOGIN_MARK, STATE_CHANGING
from server.errors import http_exception_problem
from server.schemas.problem import PROBLEM_CONTENT_TYPE, ProblemSchema

ALL_METHODS = {"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"}


def _decorator_chain(view):
    """The view and everything it wraps (functools.wraps leaves __wrapped__ at each step)."""
    seen = []
    while view is not None and view not in seen:
        seen.append(view)
        view = getattr(view, "__wrapped__", None)
    return seen


def view_error_statuses(view) -> set[int]:
    """Statuses a view's own decorators can answer with: 401/403 (login_required), 429 (flask-limiter)."""
    statuses = set()
    for fn in _decorator_chain(view):
        # login_required marks its wrapper (functools.wraps copies the mark to outer wrappers too).
        login = getattr(fn, LOGIN_MARK, None)
        if login is not None:
            statuses.add(401)
            if not login["allow_pending_mfa"]:
                statuses.add(403)  # second factor missing
        # flask-limiter marks each of its wrappers with the Limiter that made it.
        if getattr(fn, "__wrapper-limiter-instance", None) is not None:
            statuses.add(429)
    return statuses


class ProblemResponsesPlugin(BasePlugin):
    """apispec plugin: documents per operation the error statuses the request pipeline can answer.

    One systematic rule per source of errors, so a new endpoint is documented the day it is added:
    - state-changing methods: 403 (CSRF, check_request; not on CSRF-exempt paths) and 415 (a body
      that is not JSON, check_request);
    - a JSON body: 400 (unparseable), 413 (over MAX_CONTENT_LENGTH), 422 (validation, which
      flask-smorest's arguments() already documents), and 409 if it carries a client_id
      (server/idempotency.py: the same client_id with another payload);
    - path parameters: 404 (unknown, or not the caller's: existence does not leak);
    - login_required: 401, and 403 unless a pending second factor is allowed;
    - a flask-limiter limit: 429 (with Retry-After).
    Refusals particular to one view are documented on the view with @blp.alt_response; anything
    else (405, 500, 503) falls under the "default" response, which is a problem document too.
    """

    def __init__(self, app):
        super().__init__()
        self.app = app
        self.spec = None

    def init_spec(self, spec):
        super().init_spec(spec)
        self.spec = spec

    def _body_properties(self, operation) -> dict | None:
        content = operation.get("requestBody", {}).get("content", {})
        media = content.get("application/json")
        if media is None:
            return None
        schema = media.get("schema", {})
        if isinstance(schema, dict) and "$ref" in schema:
            schema = self.spec.components.schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
        return schema.get("properties", {}) if isinstance(schema, dict) else {}

    def operation_helper(self, path=None, operations=None, rule=None, **kwargs):
        if rule is None or not operations:
            return
        view = self.app.view_functions.get(rule.endpoint)
        from_view = view_error_statuses(view) if view is not None else set()
        for method, operation in operations.items():
            if method.upper() not in ALL_METHODS or not isinstance(operation, dict):
                continue
            statuses = set(from_view)
            if method.upper() in STATE_CHANGING:
                statuses.add(415)
                if rule.rule not in CSRF_EXEMPT:
                    statuses.add(403)
            body = self._body_properties(operation)
            if body is not None:
                statuses |= {400, 413, 422}
                if "client_id" in body:
                    statuses.add(409)
            if rule.arguments:
                statuses.add(404)
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                if status not in responses and str(status) not in responses:
                    responses[status] = HTTPStatus(status).name


class ProblemApi(Api):
    """flask-smorest Api whose errors are RFC 9457 problem documents, in its handler and in its docs."""

    ERROR_SCHEMA = ProblemSchema

    def init_app(self, app, *, spec_kwargs=None):
        spec_kwargs = dict(spec_kwargs or {})
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()), ProblemResponsesPlugin(app)]
        super().init_app(app, spec_kwargs=spec_kwargs)

    def _register_responses(self):
        """flask-smorest's named responses (UNPROCESSABLE_ENTITY, ..., DEFAULT_ERROR), as problem documents.

        Replaces flask-smorest's own, which give every status its "Error" schema as application/json.
        """

        def problem():
            return {PROBLEM_CONTENT_TYPE: {"schema": self.ERROR_SCHEMA}}

        for status in HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["content"] = problem()
            if status == 429:
                response["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again.",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 0},
                    }
                }
            self.spec.components.response(status.name, response, lazy=True)
        self.spec.components.response(
            self.DEFAULT_ERROR_RESPONSE_NAME,
            {
                "description": "Any other error (e.g. 405, 500, 503): a problem document (RFC 9457).",
                "content": problem(),
            },
            lazy=True,
        )

    def handle_http_exception(self, error):
        return http_exception_problem(error)


api = ProblemApi()
