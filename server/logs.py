"""Structured logs: one JSON object per line, with the same fields from web, worker and scheduler.

Every line has exactly FIELDS (absent ones are null), so a log shipper can index them without
guessing. A request gets an id (or keeps a well-formed one from the reverse proxy); the outbox
event and the RQ job it causes carry that id, so one search finds a request and all its work.

Logs carry ids, route templates and counts, never texts, names, e-mail addresses or tokens. Code
is written that way; as a second line, the formatter drops any extra field not in FIELDS and
blanks e-mail addresses, bearer tokens and link tokens that slip into a message or traceback.
"""

import contextvars
import logging
import os
import re
import secrets
import sys
import time

from pythonjsonlogger.json import JsonFormatter

FIELDS = (
    "ts",
    "level",
    "process",
    "logger",
    "message",
    "request_id",
    "job_id",
    "method",
    "route",
    "status",
    "duration_ms",
    "exc_info",
)

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
job_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("job_id", default=None)
_role = {"name": os.environ.get("LEERLUS_PROCESS", "web")}

# A proxy's request id is kept only when it looks like one (no room for text or CR/LF injection).
_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_SCRUB = [
    (re.compile(r"\x1b\[[0-9;]*m"), ""),  # RQ colours its messages for a terminal
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[e-mail]"),
    (
        re.compile(r"(?i)\b(bearer|token|csrf|secret|password|wachtwoord)([\s:=\"']+)[^\s,;&\"']+"),
        r"\1\2[redacted]",
    ),
    (re.compile(r"/(f|uitnodiging|gemeente-uitnodiging|reset|invite)/[^/\s?#\"']+"), r"/\1/[token]"),
]


def scrub(text: str) -> str:
    for pattern, replacement in _SCRUB:
        text = pattern.sub(replacement, text)
    return text


def set_role(name: str) -> None:
    """Which process writes: web, worker, scheduler or cli (the `process` field)."""
    _role["name"] = name


def current_request_id() -> str | None:
    return request_id_var.get()


class LeerlusJsonFormatter(JsonFormatter):
    """python-json-logger's formatter, held to FIELDS: extras outside the set are dropped."""

    def add_fields(self, log_data, record, message_dict):
        exc_info = message_dict.get("exc_info")
        log_data.update(
            {
                "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
                + f".{int(record.msecs):03d}Z",
                "level": record.levelname,
                "process": _role["name"],
                "logger": record.name,
                "message": scrub(record.getMessage()),
                "request_id": request_id_var.get(),
                "job_id": job_id_var.get(),
                **{key: getattr(record, key, None) for key in ("method", "route", "status", "duration_ms")},
                "exc_info": scrub(exc_info) if exc_info else None,
            }
        )


def formatter() -> logging.Formatter:
    return LeerlusJsonFormatter()


def configure(level: str, fmt: str = "json") -> None:
    """Route every logger through one stderr handler (idempotent: tests create many apps)."""
    root = logging.getLogger()
    root.setLevel(level)
    if any(getattr(handler, "_leerlus", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler._leerlus = True
    if fmt == "json":
        handler.setFormatter(formatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # Authlib logs the PKCE code verifier at DEBUG.
    logging.getLogger("authlib").setLevel(logging.INFO)


def init_app(app) -> None:
    """Request ids and one log line per request (route template, never the path with its ids)."""
    from flask import g, request

    log = logging.getLogger("leerlus.request")

    @app.before_request
    def _start():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _INCOMING_ID.fullmatch(incoming) else secrets.token_hex(8)
        g.request_token = request_id_var.set(g.request_id)
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        started = g.get("request_started")
        if started is not None:
            response.headers["X-Request-ID"] = g.request_id
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": route_template(),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response

    @app.teardown_request
    def _reset(_error=None):
        token = g.pop("request_token", None)
        if token is not None:
            request_id_var.reset(token)


def route_template() -> str:
    """The matched rule (/api/v1/reflections/<uuid:reflection_id>), so ids and tokens never reach logs or metric labels."""
    from flask import request

    return request.url_rule.rule if request.url_rule is not None else "unmatched"
