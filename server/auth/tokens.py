"""Random tokens that are stored only as hashes (sessions, links, invitations, resets)."""

import hashlib
import hmac
import secrets


def new_token() -> str:
    # 32 bytes = 256 bits from the OS CSPRNG, URL-safe.
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
