"""Web Push: subscriptions, delivery through a real (local) push service, quiet hours, nudges, clean-up."""

import json
import os
import stat
import threading
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.push.hosts import endpoint_problem
from server.push.payload import KINDS, MAX_PLAINTEXT, PAYLOAD_SIZE, build_payload
from server.push.quiet import QuietHours
from server.push.sender import classify, parse_retry_after
from tests.push_receiver import PushReceiver

AMS = ZoneInfo("Europe/Amsterdam")


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMS).astimezone(UTC)


def next_weekday(weekday: int) -> date:
    """The next given weekday (0 = Monday) from today: close to the real clock, so nothing is stale."""
    today = datetime.now(AMS).date()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


WEDNESDAY = next_weekday(2)


@pytest.fixture
def team_setup(make_team, make_user, login):
    """Lighter than the shared fixture: only Alice and Bob log in (argon2 makes logins slow)."""
    team, other_team = make_team(), make_team("Ander team")
    people = {
        "team": team,
        "other_team": other_team,
        "lead": make_user(team, "teamleider", name="Lead"),
        "alice": make_user(team, name="Alice"),
        "bob": make_user(team, name="Bob"),
    }
    people["client"] = {name: login(people[name]) for name in ("alice", "bob")}
    return people


@pytest.fixture
def receiver(app, monkeypatch):
    with PushReceiver() as push_service:
        monkeypatch.setitem(
            app.config, "PUSH_ALLOWED_HOSTS", app.config["PUSH_ALLOWED_HOSTS"] + ",127.0.0.1:*"
        )
        yield push_service


@pytest.fixture
def subscribed(team_setup, receiver):
    """Alice with one subscription at the local push service."""
    subscriber = receiver.subscribe()
    response = team_setup["client"]["alice"].post("/api/v1/push/subscriptions", json=subscriber.as_json())
    assert response.status_code == 201, response.get_json()
    return subscriber


def schedule(app, user_id, kind="digest", ref=None, when=None, key=None) -> uuid.UUID:
    from server.extensions import db
    from server.services.notifications import notify

    with app.app_context():
        notification_id = notify(user_id, kind, ref or {}, key or f"{kind}:{uuid.uuid4()}", when=when)
        db.session.commit()
        return notification_id


def run_due(app, now):
    from workers.push import send_due_notifications

    with app.app_context():
        return send_due_notifications(now)


def notification(app, notification_id):
    from server.extensions import db
    from server.models import Notification

    with app.app_context():
        row = db.session.get(Notification, notification_id)
        db.session.expunge(row)
        return row


def subscription_count(app, user_id=None) -> int:
    from sqlalchemy import func, select

    from server.extensions import db
    from server.models import PushSubscription

    with app.app_context():
        stmt = select(func.count()).select_from(PushSubscription)
        if user_id:
            stmt = stmt.where(PushSubscription.user_id == user_id)
        return db.session.scalar(stmt)


# --- subscriptions -----------------------------------------------------------------------------


def test_subscription_is_idempotent_listed_and_deleted(team_setup, subscribed):
    alice = team_setup["client"]["alice"]
    again = alice.post("/api/v1/push/subscriptions", json=subscribed.as_json())
    assert again.status_code == 200
    listed = alice.get("/api/v1/push/subscriptions").get_json()
    assert listed["total"] == 1 and listed["items"][0]["endpoint"] == subscribed.endpoint
    assert "p256dh" not in json.dumps(listed)
    assert team_setup["client"]["bob"].get("/api/v1/push/subscriptions").get_json()["total"] == 0
    # Bob may not remove Alice's device; Alice may, by query or by body.
    assert (
        team_setup["client"]["bob"]
        .delete("/api/v1/push/subscriptions", query_string={"endpoint": subscribed.endpoint})
        .status_code
        == 404
    )
    assert (
        alice.delete("/api/v1/push/subscriptions", query_string={"endpoint": subscribed.endpoint}).status_code
        == 204
    )
    assert (
        alice.delete("/api/v1/push/subscriptions", json={"endpoint": subscribed.endpoint}).status_code == 404
    )
    assert alice.delete("/api/v1/push/subscriptions").status_code == 422


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://evil.example.com/push/x",
        "http://fcm.googleapis.com/fcm/send/x",  # not https
        "https://fcm.googleapis.com:8443/fcm/send/x",  # port not allowed
        "https://user:pw@fcm.googleapis.com/fcm/send/x",
        "https://notify.windows.com.evil.net/w/x",
        "http://10.0.0.5:6379/",
        "not a url",
    ],
)
def test_endpoint_outside_allowed_push_services_is_422(team_setup, receiver, endpoint):
    body = receiver.subscribe().as_json() | {"endpoint": endpoint}
    response = team_setup["client"]["alice"].post("/api/v1/push/subscriptions", json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "endpoint" in response.get_json()["errors"]


def test_unknown_fields_and_bad_keys_are_422(team_setup, receiver):
    alice = team_setup["client"]["alice"]
    good = receiver.subscribe().as_json()
    assert alice.post("/api/v1/push/subscriptions", json=good | {"extra": 1}).status_code == 422
    bad_key = good | {"keys": {"p256dh": "A" * 87, "auth": good["keys"]["auth"]}}
    assert alice.post("/api/v1/push/subscriptions", json=bad_key).status_code == 422
    short_auth = good | {"keys": {"p256dh": good["keys"]["p256dh"], "auth": "AAAAAAAAAAAAAAAAAAAA"}}
    assert alice.post("/api/v1/push/subscriptions", json=short_auth).status_code == 422


def test_allowed_host_rules():
    allowed = ["fcm.googleapis.com", "*.notify.windows.com", "127.0.0.1:*", "push.example:8443"]
    assert endpoint_problem("https://fcm.googleapis.com/fcm/send/a", allowed) is None
    assert endpoint_problem("https://fcm.googleapis.com:443/fcm/send/a", allowed) is None
    assert endpoint_problem("https://wns2-par02p.notify.windows.com/w/?token=a", allowed) is None
    assert endpoint_problem("https://notify.windows.com/w", allowed)  # wildcard: subdomains only
    assert endpoint_problem("https://push.example:8443/a", allowed) is None
    assert endpoint_problem("https://push.example/a", allowed)
    # Plain http only to loopback, and only when the app allows it (never in production).
    assert endpoint_problem("http://127.0.0.1:9999/push/a", allowed, loopback_http=True) is None
    assert endpoint_problem("http://127.0.0.1:9999/push/a", allowed, loopback_http=False)
    assert endpoint_problem("http://fcm.googleapis.com/a", allowed, loopback_http=True)


def test_production_refuses_plain_http_even_to_listed_loopback(app, monkeypatch):
    from server.services.notifications import check_endpoint

    monkeypatch.setitem(app.config, "PUSH_ALLOWED_HOSTS", "127.0.0.1:*")
    with app.app_context():
        assert check_endpoint("http://127.0.0.1:9000/push/x") is None
        monkeypatch.setitem(app.config, "PRODUCTION", True)
        assert check_endpoint("http://127.0.0.1:9000/push/x")


def test_vapid_key_is_generated_once_and_private(app, anonymous):
    first = anonymous.get("/api/v1/push/vapid-public-key").get_json()["public_key"]
    assert anonymous.get("/api/v1/push/vapid-public-key").get_json()["public_key"] == first
    path = os.path.join(app.instance_path, "vapid_private_key")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) == 87 and first.startswith("B")  # base64url of an uncompressed P-256 point


def test_production_without_vapid_key_is_503_not_a_generated_key(app, anonymous, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", None)
    assert anonymous.get("/api/v1/push/vapid-public-key").status_code == 503


def test_vapid_generate_command(app):
    result = app.test_cli_runner().invoke(args=["vapid", "generate"])
    assert result.exit_code == 0
    lines = dict(line.split("=", 1) for line in result.output.split())
    from server.push.keys import parse_private_key, public_key

    assert public_key(parse_private_key(lines["VAPID_PRIVATE_KEY"])) == lines["VAPID_PUBLIC_KEY"]


# --- delivery ----------------------------------------------------------------------------------


def test_test_push_arrives_decrypted_signed_and_padded(
    team_setup, subscribed, receiver, run_jobs, app, anonymous
):
    alice = team_setup["client"]["alice"]
    response = alice.post("/api/v1/push/test")
    assert response.status_code == 202, response.get_json()
    run_jobs()
    assert len(receiver.received) == 1
    message = receiver.received[0]
    assert message.errors == []  # VAPID signature, aud, exp; decryption
    assert message.headers["content-encoding"] == "aes128gcm"
    assert message.headers["urgency"] == "high" and message.headers["topic"] == "test"
    assert int(message.headers["ttl"]) > 0
    assert message.headers["authorization"].endswith(
        "k=" + anonymous.get("/api/v1/push/vapid-public-key").get_json()["public_key"]
    )
    assert len(message.plaintext) == PAYLOAD_SIZE
    payload = message.json()
    notification_id = response.get_json()["notification_id"]
    assert set(payload) == {"title", "body", "url", "id"}
    assert payload["id"] == notification_id and payload["url"].endswith(notification_id)
    looked_up = alice.get(f"/api/v1/notifications/{notification_id}").get_json()
    assert looked_up["kind"] == "test" and looked_up["status"] == "sent"
    assert team_setup["client"]["bob"].get(f"/api/v1/notifications/{notification_id}").status_code == 404


def test_push_test_without_subscription_is_409(team_setup):
    assert team_setup["client"]["bob"].post("/api/v1/push/test").status_code == 409


def test_every_kind_has_the_same_payload_size_and_no_personal_data(team_setup, subscribed, receiver, app):
    assert set(KINDS) >= {"digest", "nudge", "theme-rising", "action-due", "feedback-contact", "test"}
    assert PAYLOAD_SIZE <= MAX_PLAINTEXT
    assert {len(build_payload(kind, uuid.uuid4())) for kind in KINDS} == {PAYLOAD_SIZE}
    now = local(WEDNESDAY, 12)
    for kind in ("digest", "feedback-contact", "action-due"):
        schedule(app, team_setup["alice"], kind, {"team_id": team_setup["team"]}, when=now)
    run_due(app, now)
    assert [len(m.plaintext) for m in receiver.received] == [PAYLOAD_SIZE] * 3
    for message in receiver.received:
        text = message.plaintext.decode()
        assert "Alice" not in text and "@" not in text and str(team_setup["team"]) not in text


def test_headers_ttl_urgency_and_topic_replaces_older_digest(team_setup, subscribed, receiver, app):
    now = local(WEDNESDAY, 12)
    for week in ("2026-W01", "2026-W02"):
        schedule(
            app, team_setup["alice"], "digest", {"team_id": team_setup["team"], "iso_week": week}, when=now
        )
    schedule(app, team_setup["alice"], "digest", {"team_id": team_setup["other_team"]}, when=now)
    assert run_due(app, now)["sent"] == 3
    topics = [m.headers["topic"] for m in receiver.received]
    assert topics[0] == topics[1] != topics[2] and all(len(t) <= 32 for t in topics)
    assert {m.headers["ttl"] for m in receiver.received} == {str(3 * 24 * 3600)}
    assert {m.headers["urgency"] for m in receiver.received} == {"low"}


def test_one_session_and_fresh_vapid_audience_per_push_service(team_setup, subscribed, receiver, app, login):
    with PushReceiver() as second:
        app.config["PUSH_ALLOWED_HOSTS"] += ",127.0.0.1:*"
        bob = team_setup["client"]["bob"]
        assert bob.post("/api/v1/push/subscriptions", json=second.subscribe().as_json()).status_code == 201
        now = local(WEDNESDAY, 12)
        for _ in range(3):
            schedule(app, team_setup["alice"], when=now)
            schedule(app, team_setup["bob"], when=now)
        run_due(app, now)
        # aud is checked by each receiver against its own origin: a sticky aud would fail there.
        assert len(receiver.received) == len(second.received) == 3
        assert all(not m.errors for m in receiver.received + second.received)
        assert receiver.connections == 1 and second.connections == 1
        # RFC 8291: a fresh salt and sender key for every message (header: salt, rs, idlen, keyid).
        bodies = [m.body for m in receiver.received + second.received]
        assert len({b[:16] for b in bodies}) == len({b[21:86] for b in bodies}) == 6


@pytest.mark.parametrize("status", [404, 410])
def test_gone_subscription_is_deleted(team_setup, subscribed, receiver, app, status):
    now = local(WEDNESDAY, 12)
    receiver.answer(status)
    notification_id = schedule(app, team_setup["alice"], when=now)
    run_due(app, now)
    assert subscription_count(app) == 0
    assert notification(app, notification_id).status == "failed"


def test_429_reschedules_after_retry_after(team_setup, subscribed, receiver, app):
    now = local(WEDNESDAY, 12)
    receiver.answer(429, Retry_After="120")
    notification_id = schedule(app, team_setup["alice"], when=now)
    assert run_due(app, now).get("retry") == 1
    row = notification(app, notification_id)
    assert row.status == "pending" and row.scheduled_for == now + timedelta(seconds=120)
    assert run_due(app, now + timedelta(seconds=119)).get("sent") is None
    assert run_due(app, now + timedelta(seconds=120))["sent"] == 1
    assert subscription_count(app) == 1 and len(receiver.received) == 2


def test_5xx_retries_with_backoff_then_gives_up(team_setup, subscribed, receiver, app):
    from workers.push import MAX_ATTEMPTS

    now = local(WEDNESDAY, 12)
    receiver.answer(500, times=MAX_ATTEMPTS + 5)
    notification_id = schedule(app, team_setup["alice"], when=now)
    waits = []
    for _ in range(MAX_ATTEMPTS):
        run_due(app, now)
        row = notification(app, notification_id)
        waits.append(row.scheduled_for - now)
        now = row.scheduled_for
    assert row.status == "failed" and len(receiver.received) == MAX_ATTEMPTS
    assert waits[:-1] == sorted(waits[:-1]) and waits[0] >= timedelta(minutes=1)
    assert (
        run_due(app, now + timedelta(days=1)).get("sent") is None and len(receiver.received) == MAX_ATTEMPTS
    )
    assert subscription_count(app) == 1  # a failing service is no reason to forget the device


def test_413_is_not_retried_and_nothing_crashes(team_setup, subscribed, receiver, app):
    now = local(WEDNESDAY, 12)
    receiver.answer(413)
    notification_id = schedule(app, team_setup["alice"], when=now)
    run_due(app, now)
    assert notification(app, notification_id).status == "failed"
    run_due(app, now + timedelta(hours=3))
    assert len(receiver.received) == 1 and subscription_count(app) == 1


def test_unreachable_push_service_is_retried(team_setup, receiver, app):
    with PushReceiver() as closed:
        endpoint = closed.subscribe().as_json()
    response = team_setup["client"]["alice"].post("/api/v1/push/subscriptions", json=endpoint)
    assert response.status_code == 201
    now = local(WEDNESDAY, 12)
    notification_id = schedule(app, team_setup["alice"], when=now)
    assert run_due(app, now).get("retry") == 1
    assert notification(app, notification_id).status == "pending"


def test_two_workers_send_each_notification_once(team_setup, subscribed, receiver, app):
    now = local(WEDNESDAY, 12)
    ids = [schedule(app, team_setup["alice"], when=now) for _ in range(12)]
    threads = [threading.Thread(target=run_due, args=(app, now)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(receiver.received) == 12
    assert sorted(m.json()["id"] for m in receiver.received) == sorted(str(i) for i in ids)


# --- quiet hours and preferences ----------------------------------------------------------------


FRIDAY = WEDNESDAY + timedelta(days=2)


@pytest.mark.parametrize(
    "due, expected",
    [
        (local(WEDNESDAY, 12), local(WEDNESDAY, 12)),
        (local(WEDNESDAY, 18), local(WEDNESDAY + timedelta(days=1), 8)),
        (local(WEDNESDAY, 23, 30), local(WEDNESDAY + timedelta(days=1), 8)),
        (local(WEDNESDAY, 7, 59), local(WEDNESDAY, 8)),
        (local(FRIDAY, 19), local(FRIDAY + timedelta(days=3), 8)),
        (local(FRIDAY + timedelta(days=1), 12), local(FRIDAY + timedelta(days=3), 8)),
    ],
)
def test_quiet_hours_defer_to_next_allowed_moment(due, expected):
    assert QuietHours().next_allowed(due) == expected


def test_quiet_hours_are_dst_correct():
    quiet = QuietHours()
    # Summer time starts on Sunday 29 March 2026: Monday 08:00 is 06:00 UTC, not 07:00.
    assert quiet.next_allowed(datetime(2026, 3, 28, 11, 0, tzinfo=UTC)) == datetime(
        2026, 3, 30, 6, 0, tzinfo=UTC
    )
    # Winter time returns on Sunday 25 October 2026: Monday 08:00 is 07:00 UTC.
    assert quiet.next_allowed(datetime(2026, 10, 24, 11, 0, tzinfo=UTC)) == datetime(
        2026, 10, 26, 7, 0, tzinfo=UTC
    )
    start, end = quiet.day_bounds(datetime(2026, 3, 29, 12, 0, tzinfo=UTC))
    assert end - start == timedelta(hours=23)
    # Other zones and settings: weekends allowed, a daytime window, none at all.
    assert QuietHours.of("18:00", "08:00", False).next_allowed(
        local(FRIDAY + timedelta(days=1), 12)
    ) == local(FRIDAY + timedelta(days=1), 12)
    assert QuietHours.of("12:00", "13:00", False).next_allowed(local(WEDNESDAY, 12, 30)) == local(
        WEDNESDAY, 13
    )
    assert not QuietHours.of("08:00", "08:00", False).is_quiet(local(WEDNESDAY, 3))
    ny = QuietHours(zone="America/New_York")
    assert ny.next_allowed(datetime(2026, 3, 4, 23, 30, tzinfo=UTC)) == datetime(
        2026, 3, 5, 13, 0, tzinfo=UTC
    )


def test_worker_defers_notification_due_in_quiet_hours(team_setup, subscribed, receiver, app):
    evening = local(WEDNESDAY, 20)
    notification_id = schedule(app, team_setup["alice"], when=evening)
    assert run_due(app, evening).get("deferred") == 1
    assert notification(app, notification_id).scheduled_for == local(WEDNESDAY + timedelta(days=1), 8)
    assert receiver.received == []
    assert run_due(app, local(WEDNESDAY + timedelta(days=1), 7, 59)).get("sent") is None
    assert run_due(app, local(WEDNESDAY + timedelta(days=1), 8))["sent"] == 1


def test_test_push_ignores_quiet_hours_and_a_lost_claim_is_taken_over(team_setup, subscribed, receiver, app):
    from sqlalchemy import update

    from server.extensions import db
    from server.models import Notification

    sunday_night = local(WEDNESDAY + timedelta(days=4), 23)
    test_id = schedule(app, team_setup["alice"], "test", when=sunday_night)
    lost_id = schedule(app, team_setup["alice"], when=sunday_night - timedelta(days=2, hours=10))
    with app.app_context():  # a worker died after claiming this one: its lease ran out
        db.session.execute(
            update(Notification).where(Notification.id == lost_id).values(status="sending", attempts=1)
        )
        db.session.commit()
    assert run_due(app, sunday_night) == {"sent": 1, "deferred": 1, "stale_removed": 0}
    assert notification(app, test_id).status == "sent"
    assert notification(app, lost_id).scheduled_for == local(WEDNESDAY + timedelta(days=5), 8)
    assert run_due(app, local(WEDNESDAY + timedelta(days=5), 8))["sent"] == 1


def test_switched_off_kind_is_not_sent(team_setup, subscribed, receiver, app):
    from server.extensions import db
    from server.models import User

    with app.app_context():
        db.session.get(User, team_setup["alice"]).notify_off = ["digest"]
        db.session.commit()
    now = local(WEDNESDAY, 12)
    notification_id = schedule(app, team_setup["alice"], when=now)
    run_due(app, now)
    assert notification(app, notification_id).status == "skipped" and receiver.received == []


def test_notify_is_idempotent_on_dedupe_key(team_setup, app):
    first = schedule(app, team_setup["lead"], "digest", {"team_id": team_setup["team"]}, key="digest:t:w")
    again = schedule(app, team_setup["lead"], "digest", {"team_id": team_setup["team"]}, key="digest:t:w")
    assert first == again
    with app.app_context(), pytest.raises(ValueError):
        from server.services.notifications import notify

        notify(team_setup["lead"], "gossip", {}, "x")


# --- nudges ------------------------------------------------------------------------------------


def log_visit(client) -> str:
    response = client.post(
        "/api/v1/visits",
        json={
            "client_id": str(uuid.uuid4()),
            "kind": "huisbezoek",
            "occurred_at": datetime.now(UTC).isoformat(),
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def nudges(app):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import Notification

    with app.app_context():
        rows = db.session.scalars(
            select(Notification).where(Notification.kind == "nudge").order_by(Notification.scheduled_for)
        ).all()
        db.session.expunge_all()
        return rows


def test_visit_schedules_one_nudge_after_the_users_delay(team_setup, run_jobs, app):
    from server.events import emit
    from server.extensions import db

    visit_id = log_visit(team_setup["client"]["alice"])
    run_jobs()
    with app.app_context():  # a redelivered event changes nothing
        emit("visit.created", visit_id=visit_id)
        db.session.commit()
    run_jobs()
    [nudge] = nudges(app)
    assert nudge.dedupe_key == f"nudge:visit:{visit_id}" and nudge.ref == {"visit_id": visit_id}
    assert timedelta(minutes=44) < nudge.scheduled_for - nudge.created_at <= timedelta(minutes=46)


def _move_nudges_to(app, when):
    from sqlalchemy import update

    from server.extensions import db
    from server.models import Notification

    with app.app_context():
        db.session.execute(
            update(Notification).where(Notification.kind == "nudge").values(scheduled_for=when)
        )
        db.session.commit()


def test_no_nudge_once_the_visit_has_a_reflection(team_setup, subscribed, receiver, run_jobs, app):
    from server.extensions import db
    from server.models import Reflection, Visit

    visit_id = log_visit(team_setup["client"]["alice"])
    run_jobs()
    with app.app_context():
        visit = db.session.get(Visit, uuid.UUID(visit_id))
        db.session.add(
            Reflection(
                client_id=uuid.uuid4(),
                author_id=visit.author_id,
                team_id=visit.team_id,
                visit_id=visit.id,
                occurred_at=visit.occurred_at,
                what_happened="Bezoek",
                payload_hash="x",
            )
        )
        db.session.commit()
    now = local(WEDNESDAY, 12)
    _move_nudges_to(app, now)
    run_due(app, now)
    assert [n.status for n in nudges(app)] == ["skipped"] and receiver.received == []


def test_at_most_one_nudge_per_local_day(team_setup, subscribed, receiver, run_jobs, app):
    alice = team_setup["client"]["alice"]
    for _ in range(3):
        log_visit(alice)
    run_jobs()
    assert len(nudges(app)) == 3
    now = local(WEDNESDAY, 12)
    _move_nudges_to(app, now)
    run_due(app, now)
    assert sorted(n.status for n in nudges(app)) == ["sent", "skipped", "skipped"]
    assert len(receiver.received) == 1 and receiver.received[0].headers["topic"] == "nudge"
    # The next day a new visit is nudged again.
    log_visit(alice)
    run_jobs()
    tomorrow = local(WEDNESDAY + timedelta(days=1), 10)
    from sqlalchemy import update

    from server.extensions import db
    from server.models import Notification

    with app.app_context():
        db.session.execute(
            update(Notification)
            .where(Notification.kind == "nudge", Notification.status == "pending")
            .values(scheduled_for=tomorrow)
        )
        db.session.commit()
    assert run_due(app, tomorrow)["sent"] == 1


# --- clean-up ----------------------------------------------------------------------------------


def test_stale_subscriptions_are_removed(team_setup, subscribed, receiver, app):
    from server.extensions import db
    from server.models import User

    bob = team_setup["client"]["bob"]
    assert bob.post("/api/v1/push/subscriptions", json=receiver.subscribe().as_json()).status_code == 201
    now = datetime.now(UTC)
    with app.app_context():
        db.session.get(User, team_setup["alice"]).last_seen_at = now - timedelta(days=61)
        db.session.get(User, team_setup["bob"]).last_seen_at = now - timedelta(days=59)
        db.session.commit()
    assert run_due(app, now)["stale_removed"] == 1
    assert (
        subscription_count(app, team_setup["alice"]) == 0 and subscription_count(app, team_setup["bob"]) == 1
    )


def test_retry_after_parsing_and_classification():
    assert parse_retry_after("30") == 30
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60
    assert parse_retry_after("999999999") == 24 * 3600 and parse_retry_after("soon") is None
    assert [classify(s).result for s in (201, 410, 404, 429, 503, 413, 400)] == [
        "delivered",
        "gone",
        "gone",
        "retry",
        "retry",
        "rejected",
        "rejected",
    ]
