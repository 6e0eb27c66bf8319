"""A stand-in push service on 127.0.0.1 for tests and the benchmark.

It checks what a real push service checks (the VAPID JWT: ES256 signature with the key from the
`Authorization: vapid t=..., k=...` header, `aud` = the endpoint's origin, `exp` in the next 24 h),
decrypts every message with the subscriber's private key and auth secret (aes128gcm, RFC 8291) as
the browser would, records it, and answers with whatever status the test asks for.
Verification uses `cryptography` directly, not the py_vapid code under test.
"""

import base64
import binascii
import ipaddress
import json
import os
import secrets
import ssl
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Subscriber:
    """A browser's side of one subscription: the keys it keeps and the JSON it gives the app."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    def as_json(self) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth_secret)},
        }


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    status: int
    plaintext: bytes | None = None
    claims: dict | None = None
    errors: list[str] = field(default_factory=list)

    def json(self) -> dict:
        return json.loads(self.plaintext)


def _self_signed(folder: str) -> tuple[str, str]:
    """A certificate for 127.0.0.1 (the client trusts it as its CA) and its key, as PEM files."""
    from cryptography import x509

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    with open(cert_path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return cert_path, key_path


class PushReceiver:
    """`with PushReceiver() as service:`; `tls=True` serves https (trust `service.ca_file`)."""

    def __init__(self, verify: bool = True, tls: bool = False):
        self.verify = verify
        self.subscribers: dict[str, Subscriber] = {}
        self.received: list[Received] = []
        self.connections = 0
        self._answers: deque[tuple[int, dict]] = deque()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.ca_file = None
        if tls:
            self._folder = tempfile.TemporaryDirectory()
            self.ca_file, key_file = _self_signed(self._folder.name)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.ca_file, key_file)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.origin = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "PushReceiver":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.ca_file:
            self._folder.cleanup()

    def subscribe(self) -> Subscriber:
        token = secrets.token_urlsafe(16)
        subscriber = Subscriber(
            f"{self.origin}/push/{token}", ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
        )
        self.subscribers[f"/push/{token}"] = subscriber
        return subscriber

    def answer(self, status: int, times: int = 1, **headers) -> None:
        """The next `times` requests get `status` (then 201 again); headers like Retry-After="30"."""
        with self._lock:
            self._answers.extend([(status, {k.replace("_", "-"): v for k, v in headers.items()})] * times)

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
            self._answers.clear()

    def _next_answer(self) -> tuple[int, dict]:
        with self._lock:
            return self._answers.popleft() if self._answers else (201, {})

    def _check(self, record: Received) -> None:
        subscriber = self.subscribers.get(record.path)
        if subscriber is None:
            record.errors.append("unknown endpoint")
            return
        record.claims = self._check_vapid(record, subscriber)
        try:
            record.plaintext = http_ece.decrypt(
                record.body,
                private_key=subscriber.private_key,
                auth_secret=subscriber.auth_secret,
                version="aes128gcm",
            )
        except Exception as error:  # noqa: BLE001 - report, do not crash the server thread
            record.errors.append(f"decrypt: {error!r}")

    def _check_vapid(self, record: Received, subscriber: Subscriber) -> dict | None:
        header = record.headers.get("authorization", "")
        scheme, _, params = header.partition(" ")
        parts = dict(item.strip().split("=", 1) for item in params.split(",") if "=" in item)
        if scheme.lower() != "vapid" or "t" not in parts or "k" not in parts:
            record.errors.append("no vapid authorization")
            return None
        try:
            signing_input, signature = parts["t"].rsplit(".", 1)
            raw = b64url_decode(signature)
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(parts["k"]))
            public.verify(
                encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                signing_input.encode(),
                ec.ECDSA(hashes.SHA256()),
            )
            header_b64, claims_b64 = signing_input.split(".")
            jwt_header = json.loads(b64url_decode(header_b64))
            claims = json.loads(b64url_decode(claims_b64))
        except (InvalidSignature, ValueError, binascii.Error) as error:
            record.errors.append(f"vapid signature: {error!r}")
            return None
        if jwt_header.get("alg") != "ES256":
            record.errors.append("vapid alg")
        if claims.get("aud") != self.origin:
            record.errors.append(f"vapid aud {claims.get('aud')!r}")
        if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
            record.errors.append("vapid exp")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            record.errors.append("vapid sub")
        return claims

    def _handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like a real push service

            def setup(self):
                super().setup()
                with receiver._lock:
                    receiver.connections += 1

            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, extra = receiver._next_answer()
                record = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body, status)
                if receiver.verify:
                    receiver._check(record)
                with receiver._lock:
                    receiver.received.append(record)
                self.send_response(status)
                for key, value in extra.items():
                    self.send_header(key, value)
                if status == 201:
                    self.send_header("Location", f"{receiver.origin}/message/{secrets.token_hex(8)}")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler
