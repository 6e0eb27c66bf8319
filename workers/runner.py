"""The worker process: load the heavy NLP once, then run jobs in preloaded processes.

Jobs run inside the worker process (RQ's SimpleWorker) rather than in a work horse forked per job:
a fresh horse writes reference counts all over deduce's ~1 GB of lookup structures, copying those
pages on every job, which measured seconds per job against ~0.2 s in process (docs/performance.md).
More throughput comes from more processes: `--processes N` forks N workers from the preloaded
parent (RQ's WorkerPool), so they share the NLP data copy-on-write and the pool respawns any that die.
"""

import logging
import os

from rq import SimpleWorker
from rq.serializers import JSONSerializer
from rq.worker_pool import WorkerPool

from server.extensions import db
from server.logs import job_id_var, request_id_var
from server.privacy import get_deidentifier
from server.queue import QUEUE_NAMES, redis_connection
from server.themes import get_classifier, language, multilingual, semantic

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


class LeerlusWorker(SimpleWorker):
    """Runs jobs in its own (preloaded) process, with timings for quick recovery after a kill."""

    def __init__(self, *args, **kwargs):
        # Defaults here, not at the call site: RQ's WorkerPool constructs workers itself.
        kwargs.setdefault("serializer", JSONSerializer)
        kwargs.setdefault("worker_ttl", WORKER_TTL)
        kwargs.setdefault("job_monitoring_interval", MONITORING_INTERVAL)
        kwargs.setdefault("maintenance_interval", MAINTENANCE_INTERVAL)
        super().__init__(*args, **kwargs)

    def perform_job(self, job, queue, *args, **kwargs) -> bool:
        # The job's log lines carry its id and the id of the request that caused it (server/logs.py).
        job_token = job_id_var.set(job.id)
        request_token = request_id_var.set((job.meta or {}).get("request_id"))
        try:
            return super().perform_job(job, queue, *args, **kwargs)
        finally:
            request_id_var.reset(request_token)
            job_id_var.reset(job_token)

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        if job.timeout and job.timeout > 0:
            return int(min(job.timeout - working_time, self.job_monitoring_interval)) + HEARTBEAT_GRACE
        return self.job_monitoring_interval + HEARTBEAT_GRACE


def preload() -> None:
    """Load de-identification (deduce, ~1 GB) and the classifier once, before any fork."""
    get_deidentifier()
    get_classifier()
    # Resident comments in other languages: lingua (~40 MB) and e5 (~80 MB). Each degrades
    # (logged, /readyz) instead of failing the worker when it cannot load.
    language.warm()
    multilingual.get_embedder()
    multilingual.get_head()
    # Dutch text in the worker: the fast model plus e5 embeddings (semantic.py).
    semantic.get_semantic_model()


def make_worker(connection=None) -> LeerlusWorker:
    return LeerlusWorker(list(QUEUE_NAMES), connection=connection or redis_connection("worker"))


def run_worker(burst: bool = False, processes: int = 1) -> None:
    preload()
    # Database connections must not be shared across fork: each process opens its own.
    db.engine.dispose()
    os.register_at_fork(after_in_child=lambda: db.engine.dispose(close=False))
    if processes <= 1:
        make_worker().work(burst=burst, with_scheduler=True)
        return
    WorkerPool(
        list(QUEUE_NAMES),
        connection=redis_connection("worker"),
        num_workers=processes,
        worker_class=LeerlusWorker,
        serializer=JSONSerializer,
    ).start(burst=burst)
