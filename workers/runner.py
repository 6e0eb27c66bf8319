"""The worker process: preload heavy modules once, then fork a work horse per job."""

import logging
import os

from rq import SimpleWorker, Worker
from rq.serializers import JSONSerializer

from server.extensions import db
from server.queue import QUEUE_NAMES, redis_connection

log = logging.getLogger(__name__)

# A killed worker's jobs are picked up quickly: its registration expires after WORKER_TTL and
# maintenance (which re-queues abandoned jobs) runs every MAINTENANCE_INTERVAL seconds.
WORKER_TTL = 30
MAINTENANCE_INTERVAL = 10
MONITORING_INTERVAL = 5
# RQ lets a job's execution entry outlive its last heartbeat by a fixed 60 s before maintenance
# calls it abandoned; 15 s is plenty between heartbeats every 5 s and gets jobs of a killed
# worker retried well within a minute.
HEARTBEAT_GRACE = 15


class QuickRecovery:
    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        if job.timeout and job.timeout > 0:
            return int(min(job.timeout - working_time, self.job_monitoring_interval)) + HEARTBEAT_GRACE
        return self.job_monitoring_interval + HEARTBEAT_GRACE


class LeerlusWorker(QuickRecovery, Worker):
    """Forks a work horse per job (production)."""


class LeerlusSimpleWorker(QuickRecovery, SimpleWorker):
    """Runs jobs in its own process (tests and benchmarks)."""


def preload() -> None:
    """Load de-identification (deduce, ~1 GB) and the classifier before forking: horses share them."""
    from server.privacy import get_deidentifier
    from server.themes import get_classifier

    get_deidentifier()
    get_classifier()


def make_worker(connection=None, simple: bool = False) -> Worker:
    worker_class = LeerlusSimpleWorker if simple else LeerlusWorker
    return worker_class(list(QUEUE_NAMES), connection=connection or redis_connection("worker"),
                        serializer=JSONSerializer, worker_ttl=WORKER_TTL,
                        job_monitoring_interval=MONITORING_INTERVAL, maintenance_interval=MAINTENANCE_INTERVAL)


def run_worker(burst: bool = False) -> None:
    preload()
    # Connections must not be shared across fork: each horse opens its own.
    db.engine.dispose()
    os.register_at_fork(after_in_child=lambda: db.engine.dispose(close=False))
    make_worker().work(burst=burst, with_scheduler=True)
