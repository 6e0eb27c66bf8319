"""The worker process: preload heavy modules once, then fork a work horse per job."""

import logging
import os

from rq import Worker
from rq.serializers import JSONSerializer

from server.extensions import db
from server.queue import QUEUE_NAMES, redis_connection

log = logging.getLogger(__name__)

# A killed worker's jobs are picked up quickly: its registration expires after WORKER_TTL and
# maintenance (which re-queues abandoned jobs) runs every MAINTENANCE_INTERVAL seconds.
WORKER_TTL = 30
MAINTENANCE_INTERVAL = 10


def preload() -> None:
    """Load de-identification (deduce, ~1 GB) and the classifier before forking: horses share them."""
    from server.privacy import get_deidentifier
    from server.themes import get_classifier

    get_deidentifier()
    get_classifier()


def make_worker(connection=None, worker_class=Worker) -> Worker:
    return worker_class(list(QUEUE_NAMES), connection=connection or redis_connection("worker"),
                        serializer=JSONSerializer, worker_ttl=WORKER_TTL, job_monitoring_interval=5,
                        maintenance_interval=MAINTENANCE_INTERVAL)


def run_worker(burst: bool = False) -> None:
    preload()
    # Connections must not be shared across fork: each horse opens its own.
    db.engine.dispose()
    os.register_at_fork(after_in_child=lambda: db.engine.dispose(close=False))
    make_worker().work(burst=burst, with_scheduler=True)
