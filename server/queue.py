"""Redis and RQ plumbing: one place that knows how to reach the queue."""

from collections.abc import Callable
from functools import cache

from flask import current_app
from redis import Redis
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError
from rq.serializers import JSONSerializer

from server.logs import current_request_id

DEFAULT_QUEUE = "default"
# Low-priority work (e5 refinement of themes the author already sees): RQ takes a worker's queues in
# this order, so these jobs only use the time when nothing else waits.
REFINE_QUEUE = "refine"
QUEUE_NAMES = (DEFAULT_QUEUE, REFINE_QUEUE)
# Only ids travel through Redis, so a short failure TTL keeps nothing personal around either way.
FAILURE_TTL = 7 * 24 * 3600
RETRY = Retry(max=5, interval=[5, 30, 120, 600, 1800])


@cache
def _redis(url: str, purpose: str) -> Redis:
    if purpose == "web":
        # A Redis that accepts connections but never answers must not hang a request.
        return Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1.0, retry_on_timeout=False)
    # Workers block on BLPOP for longer than any socket timeout we would want on the web side.
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=None, health_check_interval=30)


def redis_connection(purpose: str = "web") -> Redis:
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not configured")
    return _redis(url, purpose)


def get_queue(name: str = DEFAULT_QUEUE, purpose: str = "web") -> Queue:
    return Queue(name, connection=redis_connection(purpose), serializer=JSONSerializer)


def enqueue(
    func: Callable,
    *args,
    job_id: str | None = None,
    queue: str = DEFAULT_QUEUE,
    purpose: str = "web",
    request_id: str | None = None,
    **kwargs,
) -> bool:
    """Enqueue a job function (RQ stores its dotted path); False when a job with this id exists.

    Arguments must be ids: they are stored in Redis as JSON. With a job_id the enqueue is unique,
    so two relays or two schedulers cannot put the same work in the queue twice. The job's meta
    carries the causing request's id (given, or the current one) for its log lines.
    """
    request_id = request_id or current_request_id()
    try:
        get_queue(queue, purpose=purpose).enqueue_call(
            func,
            args=args,
            kwargs=kwargs,
            job_id=job_id,
            unique=job_id is not None,
            failure_ttl=FAILURE_TTL,
            retry=RETRY,
            meta={"request_id": request_id} if request_id else None,
        )
    except DuplicateJobError:
        return False
    return True
