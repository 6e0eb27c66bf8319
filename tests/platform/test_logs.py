"""Structured logs: JSON lines with one field set from web, worker and scheduler, a request id that
follows the work a request causes, and nothing personal and no token in any line."""

import io
import json
import logging
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from server.embedded import start_leerlus, start_worker, stop, wait_until
from server.events import Event
from server.logs import FIELDS, LeerlusJsonFormatter, request_id_var, scrub
from tests.support.processes import worker_env

CORPUS = Path(__file__).resolve().parents[1] / "data" / "pii_corpus.jsonl"


def corpus(count: int) -> list[dict]:
    rows = [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
    return [row for row in rows if row["pii"]][:count]


def parse_lines(text: str, source: str) -> list[dict]:
    records = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise AssertionError(f"{source}: not a JSON line: {line[:200]!r}") from error
        assert tuple(record) == FIELDS, (source, record)
        records.append(record)
    return records


def test_formatter_keeps_to_its_fields_and_scrubs_what_slips_through():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LeerlusJsonFormatter())
    log = logging.getLogger("leerlus.test.formatter")
    log.addHandler(handler)
    log.propagate = False
    token = request_id_var.set("req-12345678")
    try:
        log.warning(
            "mail naar %s, link /f/AbCdEf123_-x, Bearer eyJhbGciOi.x.y",
            "jan.jansen@example.nl",
            extra={"text": "Jan Jansen woont hier", "route": "/api/v1/visits/<uuid:visit_id>"},
        )
        try:
            raise ValueError("kapot bij piet@example.org")
        except ValueError:
            log.exception("mislukt")
    finally:
        request_id_var.reset(token)
        log.removeHandler(handler)
    first, second = parse_lines(stream.getvalue(), "formatter")
    assert first["request_id"] == "req-12345678" and first["route"] == "/api/v1/visits/<uuid:visit_id>"
    assert "Jan Jansen" not in stream.getvalue()
    for secret in ("jan.jansen@example.nl", "AbCdEf123_-x", "eyJhbGciOi", "piet@example.org"):
        assert secret not in stream.getvalue()
    assert second["level"] == "ERROR" and "ValueError" in second["exc_info"]
    assert scrub("wachtwoord=hunter2 token: abc") == "wachtwoord=[redacted] token: [redacted]"


def test_request_id_comes_back_and_a_malformed_one_is_replaced(app):
    client = app.test_client()
    kept = client.get("/healthz", headers={"X-Request-ID": "proxy-abc-12345"})
    assert kept.headers["X-Request-ID"] == "proxy-abc-12345"
    replaced = client.get("/healthz", headers={"X-Request-ID": "Jan Jansen <jan@example.nl>"})
    assert re.fullmatch(r"[0-9a-f]{16}", replaced.headers["X-Request-ID"])


def test_no_personal_data_or_token_reaches_any_log_line(app, team_setup, database_url, redis_url, tmp_path):
    """Texts full of names go through the API and a real worker and scheduler; every line of all
    three processes is JSON with the one field set, and none holds a name, a number or a token."""
    from server.extensions import db
    from server.models import InwonerFeedback, OutboxEvent, Reflection, Visit, utcnow

    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(LeerlusJsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    rows = corpus(12)
    # Every name, address, number and e-mail address (an age like "83" alone would match any timestamp).
    secrets = {pii["text"] for row in rows for pii in row["pii"] if pii["category"] != "LEEFTIJD"}
    alice = team_setup["client"]["alice"]
    env = worker_env(database_url, redis_url, tmp_path) | {"OUTBOX_RELAY_SECONDS": "1", "LOG_LEVEL": "DEBUG"}
    worker_log, scheduler_log = tmp_path / "worker.log", tmp_path / "scheduler.log"
    worker = start_worker(env, worker_log)
    scheduler = start_leerlus(["scheduler"], env, scheduler_log)
    try:
        request_ids = []
        for row in rows[:8]:
            response = alice.post(
                "/api/v1/reflections",
                json={
                    "client_id": str(uuid.uuid4()),
                    "occurred_at": datetime.now(UTC).isoformat(),
                    "what_happened": row["text"],
                    "next_time": row["text"],
                    "visibility": "team",
                },
            )
            assert response.status_code == 201, response.get_json()
            request_ids.append(response.headers["X-Request-ID"])
        # Rejected input echoes nothing into the logs either.
        assert alice.post("/api/v1/reflections", json={"what_happened": rows[0]["text"]}).status_code == 422
        failed = app.test_client().post(
            "/api/v1/auth/login", json={"email": "o.alkhatib12@gmail.com", "password": rows[1]["text"]}
        )
        assert failed.status_code in (401, 429)
        secrets |= {"o.alkhatib12@gmail.com", alice.csrf}
        # Residents' comments through feedback links: the link token is a secret too.
        with app.app_context():
            visits = []
            for _ in rows[8:]:
                visit = Visit(
                    client_id=uuid.uuid4(),
                    author_id=team_setup["alice"],
                    team_id=team_setup["team"],
                    kind="huisbezoek",
                    occurred_at=utcnow() - timedelta(hours=1),
                    payload_hash="0" * 64,
                )
                db.session.add(visit)
                visits.append(visit)
            db.session.commit()
            visit_ids = [visit.id for visit in visits]
        resident = app.test_client()
        for visit_id, row in zip(visit_ids, rows[8:], strict=True):
            link = alice.post(f"/api/v1/visits/{visit_id}/feedback-link", json={})
            token = link.get_json()["token"]
            secrets.add(token)
            page = resident.get(f"/f/{token}").get_data(as_text=True)
            nonce = re.search(r'name="nonce" value="([^"]+)"', page).group(1)
            sent = resident.post(
                f"/f/{token}",
                data={
                    "nonce": nonce,
                    "serieus": "4",
                    "samen_oplossingen": "4",
                    "comment": row["text"],
                    "contact": "nee",
                },
            )
            assert sent.status_code == 200

        def all_processed():
            assert worker.poll() is None and scheduler.poll() is None, "a process died"
            with app.app_context():
                db.session.expire_all()
                pending = db.session.scalar(
                    select(func.count()).select_from(OutboxEvent).where(OutboxEvent.processed_at.is_(None))
                )
                return (
                    pending == 0
                    and db.session.scalar(
                        select(func.count()).select_from(Reflection).where(Reflection.processed_at.is_(None))
                    )
                    == 0
                )

        wait_until(all_processed, 240, interval=1, what="the worker to process every event")
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(InwonerFeedback)) == len(rows[8:])
            # The request's own event; the events its job emitted (a recount, a refine) carry its id too.
            first_event = db.session.scalar(
                select(OutboxEvent).where(
                    OutboxEvent.request_id == request_ids[0], OutboxEvent.kind == Event.REFLECTION_SUBMITTED
                )
            )
            assert first_event is not None
            first_job = f"outbox-{first_event.id}"
            # The job passes the id on to the events it emits (a refine of unsure themes, item 18).
            caused_jobs = {
                f"outbox-{event_id}"
                for event_id in db.session.scalars(
                    select(OutboxEvent.id).where(OutboxEvent.request_id == request_ids[0])
                )
            }
    finally:
        stop(scheduler)
        stop(worker)
        root.removeHandler(handler)
        root.setLevel(level)

    sources = {
        "web": captured.getvalue(),
        "worker": worker_log.read_text(),
        "scheduler": scheduler_log.read_text(),
    }
    records = {name: parse_lines(text, name) for name, text in sources.items()}
    assert {r["process"] for r in records["worker"]} == {"worker"}
    assert {r["process"] for r in records["scheduler"]} == {"scheduler"}
    assert any(r["route"] == "/api/v1/reflections" and r["status"] == 201 for r in records["web"])
    # The request's id is on the lines of the job it caused, in another process.
    traced = [r for r in records["worker"] if r["request_id"] == request_ids[0]]
    assert traced and first_job in {r["job_id"] for r in traced}
    assert {r["job_id"] for r in traced} <= caused_jobs
    assert any("processed" in r["message"] for r in traced)
    for name, text in sources.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} in the {name} log"
