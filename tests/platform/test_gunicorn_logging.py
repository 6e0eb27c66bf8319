"""Feedback-link tokens never reach the web server's access log."""

from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from server.gunicorn_config import RedactingLogger

TOKEN = "Zk3q9-very-secret-token_abc"


def test_access_log_atoms_hide_the_token():
    logger = RedactingLogger(Config())
    request = SimpleNamespace(
        method="POST",
        path=f"/f/{TOKEN}",
        query="lang=ar",
        uri=f"/f/{TOKEN}?lang=ar",
        version=(1, 1),
        headers=[("REFERER", f"https://x/f/{TOKEN}")],
    )
    response = SimpleNamespace(status="410 Gone", sent=123, headers=[])
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/f/{TOKEN}?lang=ar",
        "PATH_INFO": f"/f/{TOKEN}",
        "QUERY_STRING": "lang=ar",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://x/f/{TOKEN}",
    }
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    assert TOKEN not in repr(atoms)
    assert "/f/[token]" in atoms["r"]


def test_reset_and_invitation_tokens_are_hidden_too():
    logger = RedactingLogger(Config())
    for path in (f"/api/v1/auth/password-reset/{TOKEN}", f"/api/v1/invitations/{TOKEN}/accept"):
        request = SimpleNamespace(method="POST", path=path, query="", uri=path, version=(1, 1), headers=[])
        response = SimpleNamespace(status="204 No Content", sent=0, headers=[])
        environ = {
            "REMOTE_ADDR": "127.0.0.1",
            "REQUEST_METHOD": "POST",
            "RAW_URI": path,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
        assert TOKEN not in repr(atoms), path
