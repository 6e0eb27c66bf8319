"""gunicorn settings shared by `leerlus web`, `make run` and the Procfile (`-c python:server.gunicorn_config`)."""

import os
import sys

from gunicorn.glogging import Logger

from server.config import listen_host, open_to_network_warning
from server.redact import redact

bind = f"{listen_host()}:{os.environ.get('PORT', '8000')}"
if warning := open_to_network_warning():
    print(warning, file=sys.stderr, flush=True)
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss'


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        # Every string atom: the request line, path, referer and the {...}e environ atoms alike.
        # Resident links, reset and invitation tokens are bearer tokens: none may reach the access log.
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}


logger_class = RedactingLogger
