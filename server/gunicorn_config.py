"""gunicorn settings shared by `leerlus web`, `make run` and the Procfile (`-c python:server.gunicorn_config`)."""

import os
import re

from gunicorn.glogging import Logger

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# Both as JSON lines (logconfig_dict below): gunicorn's access line (bytes sent, redacted path) and the
# app's own request line (route template, request id; server/logs.py).
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss'

# A resident's feedback link is a bearer token: it must not end up in access logs.
_TOKEN_PATH = re.compile(r"/f/[^/?\s\"]+")


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        # Every string atom: the request line, path, referer and the {...}e environ atoms alike.
        return {key: _TOKEN_PATH.sub("/f/[token]", value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}


logger_class = RedactingLogger
# gunicorn's own messages (boot, worker timeouts) in the same JSON lines as the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "server.logs.LeerlusJsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
                "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False}},
}
