"""Tokens for invitation and password-reset links.

The token is an HMAC of the row id under SECRET_KEY, so a worker can rebuild the link for an
e-mail from the id alone (no secret travels through Redis) while the database keeps only a hash.
"""

import base64
import hashlib
import hmac

from flask import current_app, request

from server.auth.tokens import token_hash


def link_token(purpose: str, row_id) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{purpose}:{row_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def link_token_hash(purpose: str, row_id) -> str:
    return token_hash(link_token(purpose, row_id))


def public_url(path: str) -> str:
    """Absolute URL: PUBLIC_BASE_URL in production, the request's own host in development."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        try:
            base = request.host_url.rstrip("/")
        except RuntimeError:  # outside a request (a worker) with nothing configured
            base = f"http://127.0.0.1:{current_app.config['PORT']}"
    return base + path
