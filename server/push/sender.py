"""The HTTP side of Web Push: encrypt (RFC 8291), sign (VAPID, RFC 8292), POST (RFC 8030), classify.

pywebpush 2.5 has traps this wrapper closes: `ttl` defaults to 0 (a phone that is offline for a
second loses the message), `timeout` defaults to none (a stuck push service hangs the worker), the
`vapid_claims` dict is modified in place (its `aud` would stick to the next endpoint), and the
plaintext limit is not checked.
"""

import logging
import time
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime

import requests
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from server.push.payload import MAX_PLAINTEXT

log = logging.getLogger(__name__)

DELIVERED, GONE, RETRY, REJECTED = "delivered", "gone", "retry", "rejected"
TIMEOUT = (3.05, 10)  # connect, read (seconds)
MAX_RETRY_AFTER = 24 * 3600


@dataclass(frozen=True)
class Outcome:
    result: str  # delivered / gone / retry / rejected
    status: int | None = None  # HTTP status, None for a network error
    retry_after: float | None = None  # seconds, from a 429's Retry-After


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), clamped to [1 s, 1 day]."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = (
            float(value)
            if value.isdigit()
            else (parsedate_to_datetime(value).astimezone(UTC).timestamp() - (now or time.time()))
        )
    except (TypeError, ValueError):
        return None
    return min(max(seconds, 1.0), MAX_RETRY_AFTER)


def classify(status: int, retry_after: str | None = None) -> Outcome:
    if status in (200, 201, 202):
        return Outcome(DELIVERED, status)
    if status in (404, 410):
        return Outcome(GONE, status)
    if status == 429 or status >= 500:
        return Outcome(RETRY, status, parse_retry_after(retry_after) if status == 429 else None)
    return Outcome(REJECTED, status)


def new_session() -> requests.Session:
    session = requests.Session()
    # A push service never redirects; following one could lead the worker anywhere.
    session.max_redirects = 0
    return session


class PushSender:
    """Sends push messages over one reused requests.Session (keep-alive: one TLS handshake per
    push service, not per message)."""

    def __init__(self, vapid: Vapid, subject: str, session: requests.Session | None = None, timeout=TIMEOUT):
        self.vapid = vapid
        self.subject = subject
        self.session = session or new_session()
        self.timeout = timeout

    def send(
        self,
        endpoint: str,
        p256dh: str,
        auth: str,
        payload: bytes,
        *,
        ttl: int,
        urgency: str,
        topic: str | None = None,
    ) -> Outcome:
        if len(payload) > MAX_PLAINTEXT:
            raise ValueError(f"push payload of {len(payload)} bytes exceeds {MAX_PLAINTEXT}")
        headers = {"Urgency": urgency}
        if topic:
            headers["Topic"] = topic
        try:
            response = webpush(
                {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
                data=payload,
                vapid_private_key=self.vapid,
                # Fresh claims per call: pywebpush writes aud and exp into this dict.
                vapid_claims={"sub": self.subject},
                ttl=max(int(ttl), 1),
                timeout=self.timeout,
                headers=headers,
                requests_session=self.session,
            )
        except WebPushException as error:
            if error.response is None:  # bad subscription keys: nothing a retry would change
                log.warning("push refused before sending: %s", error.message)
                return Outcome(REJECTED)
            response = error.response
        except requests.TooManyRedirects:
            log.warning("push service answered with a redirect; not followed")
            return Outcome(REJECTED)
        except requests.RequestException as error:
            log.info("push service unreachable: %s", error.__class__.__name__)
            return Outcome(RETRY)
        except ValueError as error:  # undecodable keys
            log.warning("push subscription keys unusable: %s", error)
            return Outcome(REJECTED)
        return classify(response.status_code, response.headers.get("Retry-After"))
