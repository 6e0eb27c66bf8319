"""VAPID keys (RFC 8292): configured via VAPID_PRIVATE_KEY, or generated once into the instance folder."""

import base64
import contextlib
import os
import tempfile
from functools import cache
from pathlib import Path

import click
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

KEY_FILE = "vapid_private_key"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate_private_key() -> str:
    """A new P-256 private key as base64url of its 32 raw bytes (the VAPID_PRIVATE_KEY format)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def public_key(vapid: Vapid) -> str:
    """The applicationServerKey browsers subscribe with: base64url of the uncompressed point."""
    return b64url(
        vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def parse_private_key(value: str) -> Vapid:
    value = value.strip()
    if value.startswith("-----BEGIN"):
        return Vapid.from_pem(value.encode())
    return Vapid.from_string(value)


def _stored_key(instance_path: str) -> str:
    path = Path(instance_path) / KEY_FILE
    if not path.exists():
        Path(instance_path).mkdir(parents=True, exist_ok=True)
        # Write a private temp file and hard-link it into place: two processes starting at once
        # end up with the same key, and nobody ever reads a half-written file.
        fd, tmp = tempfile.mkstemp(dir=instance_path, prefix=".vapid-")
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, generate_private_key().encode())
            os.close(fd)
            with contextlib.suppress(FileExistsError):  # another process was first: use its key
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


@cache
def load_vapid(configured: str | None, instance_path: str, production: bool) -> Vapid:
    """The configured key; without one, a key kept in the instance folder (refused in production,
    where every web and worker machine must sign with the same key from the secret store)."""
    if configured:
        return parse_private_key(configured)
    if production:
        raise RuntimeError(
            "VAPID_PRIVATE_KEY is required when LEERLUS_ENV=production "
            "(create one with `leerlus vapid generate`)"
        )
    return parse_private_key(_stored_key(instance_path))


@click.group("vapid")
def vapid_group():
    """Keys for Web Push (VAPID)."""


@vapid_group.command("generate")
def vapid_generate():
    """Print a new key pair; put VAPID_PRIVATE_KEY in the secret store, never in the repository."""
    private = generate_private_key()
    click.echo(f"VAPID_PRIVATE_KEY={private}")
    click.echo(f"VAPID_PUBLIC_KEY={public_key(parse_private_key(private))}")
