"""RFC 9457 problem documents for every API error, and the exceptions that produce them."""

import inspect
import logging
from http import HTTPStatus

from apispec import BasePlugin
from flask import Response, current_app, json, request
from flask_smorest import Api
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from server.i18n import N_, gettext, language
from server.redact import redact
from server.schemas.problem import PROBLEM_CONTENT_TYPE, ProblemSchema
from server.validation_messages import translate

log = logging.getLogger(__name__)

ALL_METHODS = {"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"}

TITLES = {
    400: N_("Verzoek niet leesbaar"),
    401: N_("Niet ingelogd"),
    403: N_("Geen toegang"),
    404: N_("Niet gevonden"),
    405: N_("Methode niet toegestaan"),
    409: N_("Conflict"),
    410: N_("Niet meer beschikbaar"),
    413: N_("Verzoek te groot"),
    415: N_("Verkeerd inhoudstype"),
    422: N_("Ongeldige invoer"),
    429: N_("Te veel verzoeken"),
    500: N_("Onverwachte fout"),
    503: N_("Dienst tijdelijk niet beschikbaar"),
}
OTHER_TITLE = N_("Fout")


class Problem(Exception):
    """Raise anywhere in request handling to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        errors: dict | None = None,
        type_: str = "about:blank",
        headers: dict | None = None,
        **extra,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.type = type_
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    status: int, detail: str = "", *, errors=None, type_="about:blank", headers=None, **extra
) -> Response:
    title = gettext(TITLES.get(status, OTHER_TITLE))
    body = {
        "type": type_,
        "title": title,
        "status": status,
        # The detail is a Dutch source text (Problem(status, "...") is an extraction keyword).
        "detail": translate(detail) if detail else title,
    }
    if errors:
        body["errors"] = translate(errors)
    body.update(extra)
    resp = Response(json.dumps(body), status=status, mimetype=PROBLEM_CONTENT_TYPE)
    resp.headers["Content-Language"] = language()
    resp.vary.add("Accept-Language")
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def _flatten_webargs(messages) -> dict:
    """webargs nests errors by location ({"json": {...}}); clients want field -> [messages]."""
    if not isinstance(messages, dict):
        return {"_body": [str(messages)]}
    flat: dict = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            for field, msgs in fields.items():
                flat[str(field)] = msgs if isinstance(msgs, list | dict) else [str(msgs)]
        else:
            flat[f"_{location}"] = fields if isinstance(fields, list) else [str(fields)]
    return flat


def http_exception_problem(error: HTTPException) -> Response:
    status = error.code or 500
    errors = None
    headers = {}
    data = getattr(error, "data", None) or {}
    if status == 422 and "messages" in data:
        errors = _flatten_webargs(data["messages"])
    if status == 429:
        retry = getattr(error, "retry_after", None)
        headers["Retry-After"] = str(retry or 60)
    valid_methods = getattr(error, "valid_methods", None)
    if status == 405 and valid_methods:
        headers["Allow"] = ", ".join(valid_methods)
    detail = {
        400: N_("De body is geen geldige JSON."),
        401: N_("Log eerst in."),
        404: N_("Dit bestaat niet, of je hebt er geen toegang toe."),
        405: N_("Deze methode kan hier niet."),
        413: N_("De body is groter dan 1 MB."),
        422: N_("Een of meer velden kloppen niet."),
        429: N_("Even geduld: te veel verzoeken achter elkaar."),
    }.get(status, error.description or "")
    return problem_response(status, detail, errors=errors, headers=headers)


def _login_wrapper_code():
    """The code object of login_required's wrapper: how a view's decorator chain shows it is guarded."""
    from server.auth.access import login_required

    return login_required(lambda: None).__code__


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
    login_code = _login_wrapper_code()
    for fn in _decorator_chain(view):
        if getattr(fn, "__code__", None) is login_code:
            statuses.add(401)
            if not inspect.getclosurevars(fn).nonlocals.get("allow_pending_mfa"):
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
        from server.auth.access import CSRF_EXEMPT, STATE_CHANGING

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


def wants_problem() -> bool:
    """HTML only for the resident pages and the PWA shell; everything else gets JSON."""
    return not request.path.startswith("/f/")


def register_error_handlers(app) -> None:
    @app.errorhandler(Problem)
    def _problem(error: Problem):
        return problem_response(
            error.status,
            error.detail,
            errors=error.errors,
            type_=error.type,
            headers=error.headers,
            **error.extra,
        )

    @app.errorhandler(OperationalError)
    def _db_down(error):
        # A database outage is a 503 the client can retry, not a crash.
        log.warning("database unavailable: %s", error.__class__.__name__)
        from server.extensions import db

        db.session.rollback()
        return problem_response(
            503, "De database is even niet bereikbaar. Probeer het zo opnieuw.", headers={"Retry-After": "5"}
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if not wants_problem():
            return error
        return http_exception_problem(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, DBAPIError) and getattr(error, "connection_invalidated", False):
            return _db_down(error)
        log.exception("unhandled error on %s %s", request.method, redact(request.path))
        from server.extensions import db

        db.session.rollback()
        if current_app.testing and current_app.config.get("PROPAGATE_UNHANDLED"):
            raise error
        if not wants_problem():
            return InternalServerError()
        return problem_response(500, "Er ging iets mis aan onze kant. Het is gelogd.")
