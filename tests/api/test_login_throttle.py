"""Account enumeration and lockout (issue #15, item 9): an unknown e-mail address is answered exactly
like a known one (status, body, headers, timing), and wrong passwords delay the attacker per address
and per account without locking the owner out."""

import statistics
import time
from datetime import timedelta

from sqlalchemy import update

from server.auth.throttle import ACCOUNT_FREE
from tests.conftest import TEST_PASSWORD

WRONG = "niet het goede wachtwoord"


def client_from(app, ip: str):
    http = app.test_client()
    http.environ_base["REMOTE_ADDR"] = ip
    return http


def email_of(app, user_id) -> str:
    from server.extensions import db
    from server.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def login(http, email, password=WRONG):
    return http.post("/api/v1/auth/login", json={"email": email, "password": password})


def shape(response) -> tuple:
    """Everything a caller can compare, except clock readings (when to retry, the limiter's window end)
    and the request id (fresh for every request, known address or not)."""
    headers = {
        k: v
        for k, v in response.headers.items()
        if k not in ("Date", "Retry-After", "X-RateLimit-Reset", "Set-Cookie", "X-Request-ID")
    }
    return (
        response.status_code,
        response.get_data(),
        sorted(headers.items()),
        "Retry-After" in response.headers,
    )


def test_unknown_and_known_addresses_are_answered_alike_through_the_lock(app, make_team, make_user):
    known = email_of(app, make_user(make_team()))
    unknown = "niemand-hier@test.leerlus.nl"
    started = time.monotonic()
    for n in range(7):  # 5 free failures, then the delay, for both alike
        answers = [
            login(client_from(app, f"10.9.{side}.1"), email) for side, email in ((1, known), (2, unknown))
        ]
        assert shape(answers[0]) == shape(answers[1]), n
    assert [answers[0].status_code, answers[1].status_code] == [429, 429]
    # Both are told to wait; the numbers differ only by when each one's clock started (the delay, or
    # the per-address window when that ends later), never by whether the account exists.
    elapsed = time.monotonic() - started
    waits = [int(a.headers["Retry-After"]) for a in answers]
    assert all(w > 0 for w in waits) and abs(waits[0] - waits[1]) <= elapsed + 1, (elapsed, waits)
    resets = [
        client_from(app, f"10.9.3.{n}").post("/api/v1/auth/password-reset", json={"email": email})
        for n, email in enumerate((known, unknown))
    ]
    assert shape(resets[0]) == shape(resets[1]) and resets[0].status_code == 202


def test_unknown_and_known_addresses_take_the_same_time(app, make_team, make_user):
    """Known and unknown back to back (in alternating order), many times, per endpoint: the median
    difference of the pairs is small next to the time a request takes."""
    known = email_of(app, make_user(make_team()))
    for path, body in (("/api/v1/auth/login", {"password": WRONG}), ("/api/v1/auth/password-reset", {})):
        differences, durations = [], []
        for n in range(15):
            pair = {}
            order = (("known", known), ("unknown", f"onbekend{n}@test.leerlus.nl"))
            for kind, email in order if n % 2 else order[::-1]:
                http = client_from(app, f"10.8.{n}.{1 if kind == 'known' else 2}")
                started = time.perf_counter()
                http.post(path, json=body | {"email": email})
                pair[kind] = time.perf_counter() - started
            differences.append(pair["known"] - pair["unknown"])
            durations += pair.values()
        typical = statistics.median(durations)
        assert abs(statistics.median(differences)) < max(0.25 * typical, 0.005), (path, differences, typical)


def test_an_attacker_cannot_lock_the_owner_out(app, make_team, make_user):
    user = make_user(make_team())
    email = email_of(app, user)
    owners_phone = client_from(app, "10.7.0.1")
    assert (
        login(owners_phone, email, TEST_PASSWORD).status_code == 200
    )  # the phone now carries a device cookie

    attacker = client_from(app, "10.7.1.1")
    assert [login(attacker, email).status_code for _ in range(6)] == [401] * 5 + [429]
    # Another address (the owner on a laptop at the office) is not delayed by that.
    assert login(client_from(app, "10.7.2.1"), email, TEST_PASSWORD).status_code == 200

    # A distributed attack: one wrong password from each of many addresses, 20 with the 5 above.
    for n in range(ACCOUNT_FREE - 5):
        assert login(client_from(app, f"10.6.{n}.1"), email).status_code == 401
    assert login(client_from(app, "10.6.99.1"), email, TEST_PASSWORD).status_code == 429
    # The owner's phone has logged in before: the account-wide delay does not hold it back.
    assert login(owners_phone, email, TEST_PASSWORD).status_code == 200


def test_a_stolen_or_forged_device_cookie_does_not_skip_the_delay(app, make_team, make_user):
    email = email_of(app, make_user(make_team()))
    other = email_of(app, make_user(make_team("Ander team")))
    phone = client_from(app, "10.5.0.1")
    assert login(phone, other, TEST_PASSWORD).status_code == 200  # a device cookie for *another* account
    for n in range(ACCOUNT_FREE):
        login(client_from(app, f"10.5.{n + 1}.1"), email)
    assert login(phone, email, TEST_PASSWORD).status_code == 429
    phone.set_cookie("leerlus_device", "made-up.0123456789abcdef", domain="localhost")
    assert login(phone, email, TEST_PASSWORD).status_code == 429


def test_wrong_passwords_from_one_address_wait_longer_each_time(app, make_team, make_user, monkeypatch):
    from server.extensions import db, limiter
    from server.models import LoginThrottle, utcnow

    monkeypatch.setattr(limiter, "enabled", False)  # this test is about the delay, not 10 a minute
    email = email_of(app, make_user(make_team()))
    http = client_from(app, "10.4.0.1")
    assert [login(http, email).status_code for _ in range(5)] == [401] * 5
    waits = []
    for _ in range(3):
        locked = login(http, email, TEST_PASSWORD)
        assert locked.status_code == 429
        waits.append(int(locked.headers["Retry-After"]))
        with app.app_context():  # the wait is over
            db.session.execute(update(LoginThrottle).values(locked_until=utcnow() - timedelta(seconds=1)))
            db.session.commit()
        assert login(http, email).status_code == 401
    assert [round(w / 30) * 30 for w in waits] == [30, 60, 120], waits
    with app.app_context():
        db.session.execute(update(LoginThrottle).values(locked_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert login(http, email, TEST_PASSWORD).status_code == 200


def test_reset_mails_per_address_are_capped(app, make_team, make_user):
    from sqlalchemy import func, select

    from server.extensions import db
    from server.models import PasswordReset

    user = make_user(make_team())
    email = email_of(app, user)
    for n in range(6):
        assert (
            client_from(app, f"10.3.{n}.1")
            .post("/api/v1/auth/password-reset", json={"email": email})
            .status_code
            == 202
        )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PasswordReset)) == 3


def test_the_throttle_table_holds_no_address(app, make_team, make_user):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import LoginThrottle

    email = email_of(app, make_user(make_team()))
    login(client_from(app, "10.2.7.1"), email)
    with app.app_context():
        keys = db.session.scalars(select(LoginThrottle.key)).all()
    assert len(keys) == 2 and not any(email in key or "10.2.7.1" in key for key in keys)


def test_idle_counters_are_deleted_by_the_hourly_housekeeping(app):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import LoginThrottle, utcnow
    from workers.retention import housekeeping

    now = utcnow()
    with app.app_context():
        db.session.add_all(
            [
                LoginThrottle(key="a" * 64, failures=3, last_failure_at=now - timedelta(hours=25)),
                LoginThrottle(key="b" * 64, failures=3, last_failure_at=now - timedelta(hours=1)),
                LoginThrottle(
                    key="c" * 64,
                    failures=9,
                    last_failure_at=now - timedelta(hours=25),
                    locked_until=now + timedelta(minutes=5),
                ),
            ]
        )
        db.session.commit()
        housekeeping(now)
        db.session.commit()
        assert sorted(db.session.scalars(select(LoginThrottle.key)).all()) == ["b" * 64, "c" * 64]
