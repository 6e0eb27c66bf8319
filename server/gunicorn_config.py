"""gunicorn settings shared by `leerlus web`, `make run` and the Procfile (`-c python:server.gunicorn_config`)."""

import os
import sys
import tempfile

from gunicorn.glogging import Logger

from server.config import listen_host, open_to_network_warning
from server.redact import redact

# prometheus-client decides at import whether it counts per process in files; this module is read
# before gunicorn forks or imports the app, so every web process gets the same (fresh) directory. An
# operator who sets it (to share it with a worker on the same host) empties it at boot (docs/operations.md).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="leerlus-metrics-")

bind = f"{listen_host()}:{os.environ.get('PORT', '8000')}"
if warning := open_to_network_warning():
    print(warning, file=sys.stderr, flush=True)
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# Both as JSON lines (logconfig_dict below): gunicorn's access line (bytes sent, redacted path) and the
# app's own request line (route template, request id; server/logs.py).
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss'


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        # Every string atom: the request line, path, referer and the {...}e environ atoms alike.
        # Resident links, reset and invitation tokens are bearer tokens: none may reach the access log.
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }


logger_class = RedactingLogger
# gunicorn's own messages (boot, worker timeouts) in the same JSON lines as the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "server.logs.LeerlusJsonFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    # The app adds its own root handler (server/logs.py configure); gunicorn's defaults would add a second.
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
    },
}


def child_exit(server, worker):
    # Only the gunicorn master runs this hook; the multiprocess helpers are not needed elsewhere.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
