"""Login throttling that slows an attacker down without locking the owner out (OWASP's device cookies).

Counters are kept per *e-mail address as typed*, never per user row, so an address without an account
is counted, delayed and answered exactly like one with an account (no enumeration). Keys are HMACs
under SECRET_KEY: the table holds no address in any readable form.

- one address (IP) or one known device against one account: 5 free wrong passwords, then a growing
  delay (30 s, 60 s, ... up to 15 minutes);
- one account from everywhere (a distributed attack): 20 free, then the same growth. A browser that
  logged in to that account before carries a device cookie and is exempt from this account-wide
  delay: the owner keeps logging in while an attacker elsewhere waits.
Counters are forgotten after a day without failures.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app, request
from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.auth.tokens import new_token
from server.extensions import db
from server.models import LoginThrottle, utcnow

PAIR_FREE = 5
ACCOUNT_FREE = 20
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=24)
DEVICE_DAYS = 365


def throttle_key(*parts: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def wait_seconds(keys: list[str], now: datetime | None = None) -> int:
    """Seconds until every one of these counters allows another try (0: go ahead)."""
    now = now or utcnow()
    until = db.session.scalar(
        select(LoginThrottle.locked_until)
        .where(LoginThrottle.key.in_(keys), LoginThrottle.locked_until > now)
        .order_by(LoginThrottle.locked_until.desc())
        .limit(1)
    )
    return int((until - now).total_seconds()) + 1 if until else 0


def count(key: str, window: timedelta, now: datetime | None = None) -> int:
    """Add one to a counter (restarting it after `window` without events); returns the new count."""
    now = now or utcnow()
    table = LoginThrottle.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table).values(key=key, failures=1, last_failure_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "failures": case((table.c.last_failure_at < now - window, 1), else_=table.c.failures + 1),
            "last_failure_at": now,
        },
    )
    db.session.execute(stmt)
    return db.session.scalar(select(table.c.failures).where(table.c.key == key))


def fail(limits: list[tuple[str, int]], now: datetime | None = None) -> None:
    """Count a wrong password against each (key, free failures) and start its delay once past free."""
    now = now or utcnow()
    for key, free in limits:
        extra = count(key, FORGET_AFTER, now) - free
        if extra >= 0:
            delay = min(FIRST_DELAY * 2 ** min(extra, 16), MAX_DELAY)
            db.session.execute(
                update(LoginThrottle).where(LoginThrottle.key == key).values(locked_until=now + delay)
            )
    # Forgotten counters go, so guessing at unknown addresses cannot grow the table without bound.
    db.session.execute(forgotten(now))


def forgotten(now: datetime):
    """Counters idle for a day and not delaying anyone (also deleted by the hourly housekeeping)."""
    return delete(LoginThrottle).where(
        LoginThrottle.last_failure_at < now - FORGET_AFTER,
        LoginThrottle.locked_until.is_(None) | (LoginThrottle.locked_until < now),
    )


def forget(key: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


# -- device cookies --------------------------------------------------------------------------------


def _device_cookie_name() -> str:
    return "__Host-leerlus-device" if current_app.config["SESSION_COOKIE_SECURE"] else "leerlus_device"


def known_device(email: str) -> str | None:
    """The nonce of this browser's device cookie if it proves an earlier login to `email`."""
    value = request.cookies.get(_device_cookie_name(), "")
    nonce, _, mac = value.partition(".")
    if nonce and mac and hmac.compare_digest(mac, throttle_key("device", email, nonce)):
        return nonce
    return None


def set_device_cookie(response, email: str) -> None:
    """After a login (or a reset) that proved the password: this browser is the owner's device."""
    nonce = known_device(email) or new_token()[:22]
    response.set_cookie(
        _device_cookie_name(),
        f"{nonce}.{throttle_key('device', email, nonce)}",
        max_age=DEVICE_DAYS * 86400,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Strict",
        path="/",
    )


def login_keys(email: str) -> tuple[str, list[str]]:
    """(the key of this address or device for this account, every key that may delay this attempt)."""
    nonce = known_device(email)
    if nonce:
        own = throttle_key("device", email, nonce)
        return own, [own]
    own = throttle_key("pair", email, request.remote_addr or "")
    return own, [own, throttle_key("account", email)]
