"""RQ hygiene (security-tests T7): after a whole flow with canary PII, nothing personal is in Redis.

Every key is read by type and RQ's compressed job payloads are unpacked before searching, so a
canary cannot hide in zlib. Job arguments must be ids, the serializer JSON, failures short-lived.
"""

import contextlib
import json
import re
import uuid
import zlib
from datetime import UTC, datetime

from redis import Redis
from rq import Queue
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer

from server.queue import FAILURE_TTL
from tests.api.test_hostile_text import _nonce

CANARY = "Henk Canarius, Vogelzang 7, 9999 ZZ Kanariedorp, tel 06-98765432, BSN 123456782, henk@canarius.nl"
CANARY_BITS = ["Canarius", "Vogelzang", "9999 ZZ", "06-98765432", "123456782", "canarius.nl"]
# What a job may carry: ids (ints, UUIDs), ISO weeks and timestamps, dotted function names.
ID_LIKE = re.compile(r"^(\d+|[0-9a-f-]{36}|\d{4}-W\d{2}|\d{4}-\d{2}-\d{2}T[\d:.+-]+|[\w.]+)$")


def everything_in(redis: Redis) -> dict[str, str]:
    """Every key's content as text, with RQ's zlib-compressed job data unpacked."""

    def text(value) -> str:
        if isinstance(value, bytes):
            with contextlib.suppress(zlib.error):
                value = zlib.decompress(value)
            return value.decode("utf-8", "replace")
        return str(value)

    found = {}
    for key in redis.scan_iter("*"):
        kind = redis.type(key).decode()
        if kind == "string":
            values = [redis.get(key)]
        elif kind == "hash":
            values = [part for pair in redis.hgetall(key).items() for part in pair]
        elif kind == "list":
            values = redis.lrange(key, 0, -1)
        elif kind == "set":
            values = list(redis.smembers(key))
        elif kind == "zset":
            values = redis.zrange(key, 0, -1)
        else:
            values = [repr(redis.xrange(key))] if kind == "stream" else [kind]
        found[key.decode()] = "\n".join(text(value) for value in values)
    return found


def test_no_canary_in_redis_after_the_whole_flow(app, team_setup, run_jobs, redis_url):
    alice, lead = team_setup["client"]["alice"], team_setup["client"]["lead"]
    now = datetime.now(UTC).isoformat()
    visit = alice.post(
        "/api/v1/visits", json={"client_id": str(uuid.uuid4()), "occurred_at": now}
    ).get_json()["id"]
    created = alice.post(
        "/api/v1/reflections",
        json={
            "client_id": str(uuid.uuid4()),
            "occurred_at": now,
            "visit_id": visit,
            "visibility": "team",
            "what_happened": CANARY,
            "next_time": CANARY,
        },
    )
    assert created.status_code == 201
    assert (
        alice.patch(f"/api/v1/reflections/{created.get_json()['id']}", json={"why": CANARY}).status_code
        == 200
    )
    question = alice.post("/api/v1/learning-questions", json={"text": CANARY}).get_json()["id"]
    assert alice.patch(f"/api/v1/learning-questions/{question}", json={"shared": True}).status_code == 200
    token = alice.post(f"/api/v1/visits/{visit}/feedback-link", json={}).get_json()["token"]
    resident = app.test_client()
    page = resident.get(f"/f/{token}").get_data(as_text=True)
    assert resident.post(f"/f/{token}", data={"nonce": _nonce(page), "comment": CANARY}).status_code == 200
    assert (
        lead.post(
            f"/api/v1/teams/{team_setup['team']}/invitations", json={"email": "henk@canarius.nl"}
        ).status_code
        == 201
    )
    assert lead.post(f"/api/v1/teams/{team_setup['team']}/digests/2026-W01/build").status_code == 202

    redis = Redis.from_url(redis_url)
    with app.app_context():
        # One job that fails, so the failed registry and its TTL are part of the sweep.
        queue = Queue("default", connection=redis, serializer=JSONSerializer)
        failing = queue.enqueue_call(
            "workers.does_not_exist", args=(str(uuid.uuid4()),), failure_ttl=FAILURE_TTL
        )
    run_jobs()

    contents = everything_in(redis)
    jobs = {key: value for key, value in contents.items() if key.startswith("rq:job:")}
    assert len(jobs) >= 3, sorted(contents)
    leaks = [f"{key}: {bit}" for key, value in contents.items() for bit in CANARY_BITS if bit in value]
    assert not leaks, leaks

    for key in redis.scan_iter("rq:job:*"):
        if redis.type(key) != b"hash":
            continue
        data = redis.hget(key, "data")
        if data is None:
            continue
        # JSON, never pickle: a pickle in Redis would be code for whoever can write to Redis.
        function, _instance, args, kwargs = json.loads(zlib.decompress(data))
        values = [*args, *kwargs.values()]
        assert all(isinstance(v, int) or isinstance(v, str) and ID_LIKE.match(v) for v in values), (
            function,
            values,
        )

    failed = FailedJobRegistry(queue=queue)
    assert failing.id in failed.get_job_ids()
    assert 0 < redis.ttl(f"rq:job:{failing.id}") <= FAILURE_TTL


def test_queue_settings(ctx):
    from server.queue import get_queue

    assert FAILURE_TTL <= 7 * 24 * 3600, "RQ's default keeps failed jobs (and their tracebacks) for a year"
    assert get_queue().serializer is JSONSerializer
