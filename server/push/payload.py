"""What a push message says: a fixed text per kind, a link and an opaque id — nothing personal.

The texts are Dutch source texts marked with N_ (extracted into the messages catalogue by
`make i18n`); the worker passes the addressee's translation to build_payload.

The service worker shows `title` and `body` and opens `url`; the app then asks
`GET /api/v1/notifications/<id>` what the notification refers to (after login). Every payload is
padded to the same size, so its length reveals nothing about its kind to anyone on the path.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

# RFC 8291: one aes128gcm record of 4096 bytes minus header and padding delimiter leaves 3,993.
MAX_PLAINTEXT = 3993
PAYLOAD_SIZE = 512


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    ttl: int  # seconds the push service keeps it while the phone is offline
    urgency: str  # RFC 8030: very-low / low / normal / high


def N_(text: str) -> str:
    """Marks a source text for extraction (a local one: this module stays free of Flask)."""
    return text


HOUR = 3600
MESSAGES = {
    "nudge": Message(
        N_("Vergeet je reflectie niet"),
        N_("Hoe ging je bezoek? Een korte reflectie kost je een minuut."),
        4 * HOUR,
        "normal",
    ),
    "digest": Message(
        N_("Je weekoverzicht staat klaar"),
        N_("Bekijk wat jullie team deze week leerde."),
        3 * 24 * HOUR,
        "low",
    ),
    "theme-rising": Message(
        N_("Een thema komt vaker voor"),
        N_("In je team komt een thema op waar jij aandachtsfunctionaris voor bent."),
        2 * 24 * HOUR,
        "low",
    ),
    "action-due": Message(
        N_("Een actie loopt af"), N_("Er staat een actie voor je klaar."), 24 * HOUR, "normal"
    ),
    "feedback-contact": Message(
        N_("Een inwoner vraagt om contact"),
        N_("Een inwoner wil dat je contact opneemt over de feedback op een bezoek."),
        3 * 24 * HOUR,
        "normal",
    ),
    "team-note": Message(
        N_("Jullie zeiden, wij deden"),
        N_("Je teamleider schreef wat het team met jullie reflecties doet."),
        3 * 24 * HOUR,
        "low",
    ),
    "acknowledged": Message(
        N_("Een reactie op je reflectie"),
        N_("Iemand in je team bedankte je voor een gedeelde reflectie."),
        3 * 24 * HOUR,
        "low",
    ),
    "test": Message(N_("Meldingen staan aan"), N_("Zo ziet een melding van Leerlus eruit."), 10 * 60, "high"),
}
KINDS = tuple(MESSAGES)
# What the in-app inbox lists (push or no push): news for the user. Not the reminders to reflect
# (the start screen asks for those, and a written reflection makes them moot) nor the test push.
INBOX_KINDS = ("feedback-contact", "digest", "theme-rising", "action-due", "team-note", "acknowledged")


def notification_url(notification_id) -> str:
    # Relative to the app's origin: the payload carries no host name either.
    return f"/app/#/melding/{notification_id}"


def build_payload(kind: str, notification_id, translate: Callable[[str], str] = str) -> bytes:
    """UTF-8 JSON {title, body, url, id} padded with trailing spaces to PAYLOAD_SIZE bytes.

    `translate` turns a Dutch source text into the addressee's language (gettext of their catalogue).

    Trailing whitespace is valid JSON, so `event.data.json()` in the service worker just works.
    """
    message = MESSAGES[kind]
    body = json.dumps(
        {
            "title": translate(message.title),
            "body": translate(message.body),
            "url": notification_url(notification_id),
            "id": str(notification_id),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    if len(body) > PAYLOAD_SIZE:
        raise ValueError(f"push payload for {kind!r} is {len(body)} bytes, more than {PAYLOAD_SIZE}")
    return body + b" " * (PAYLOAD_SIZE - len(body))


def topic(kind: str, ref: dict) -> str:
    """RFC 8030 Topic: a newer message with the same topic replaces an undelivered older one.

    At most 32 URL-safe characters; a team's digest notices share one (hashed, so it says nothing).
    """
    if kind == "digest" and ref.get("team_id"):
        return "digest-" + hashlib.sha256(str(ref["team_id"]).encode()).hexdigest()[:16]
    return kind[:32]
