"""RFC 9457 problem documents for every API error, and the exceptions that produce them."""

import logging

from flask import Response, current_app, json, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from server.extensions import db
from server.i18n import N_, gettext, language
from server.redact import redact
from server.schemas.problem import PROBLEM_CONTENT_TYPE
from server.validation_messages import translate

log = logging.getLogger(__name__)

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
        db.session.rollback()
        if current_app.testing and current_app.config.get("PROPAGATE_UNHANDLED"):
            raise error
        if not wants_problem():
            return InternalServerError()
        return problem_response(500, "Er ging iets mis aan onze kant. Het is gelogd.")
