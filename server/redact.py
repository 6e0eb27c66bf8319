"""Bearer tokens in URL paths (resident links, password resets, invitations) never reach a log."""

import re

# Each path segment that carries a token, and what stands in its place in a log line. Every route with
# a <token> argument must be covered here (tests/platform/test_gunicorn_logging.py checks the url_map).
_TOKEN_PATHS = [
    (re.compile(r"(/f/)[^/?#\s\"]+"), r"\1[token]"),
    (re.compile(r"(/auth/password-reset/)[^/?#\s\"]+"), r"\1[token]"),
    # GET /organisation-invitations/<token> and POST .../<token>/accept (team invitations: .../accept).
    (re.compile(r"(/(?:organisation-)?invitations/)[^/?#\s\"]+"), r"\1[token]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _TOKEN_PATHS:
        text = pattern.sub(replacement, text)
    return text
