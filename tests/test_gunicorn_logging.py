"""Feedback-link tokens never reach the web server's access log."""

from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from server.gunicorn_config import RedactingLogger

TOKEN = "Zk3q9-very-secret-token_abc"


def test_access_log_atoms_hide_the_token():
    logger = RedactingLogger(Config())
    request = SimpleNamespace(method="POST", path=f"/f/{TOKEN}", query="lang=ar", uri=f"/f/{TOKEN}?lang=ar",
                              version=(1, 1), headers=[("REFERER", f"https://x/f/{TOKEN}")])
    response = SimpleNamespace(status="410 Gone", sent=123, headers=[])
    environ = {"REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "POST", "RAW_URI": f"/f/{TOKEN}?lang=ar",
               "PATH_INFO": f"/f/{TOKEN}", "QUERY_STRING": "lang=ar", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_REFERER": f"https://x/f/{TOKEN}"}
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    assert TOKEN not in repr(atoms)
    assert "/f/[token]" in atoms["r"]
