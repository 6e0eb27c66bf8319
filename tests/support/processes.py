"""Private services for fault-injection tests; starting, stopping and waiting for Leerlus's own
processes is shared with the benchmarks in server/embedded.py."""

import contextlib
import os
import shutil
import subprocess
import tempfile
from glob import glob
from pathlib import Path

from server.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]


def worker_env(database_url: str, redis_url: str, instance: Path) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        LEERLUS_INSTANCE_PATH=str(instance),
        PYTHONPATH=str(ROOT),
    )


def pg_binary(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if isinstance(found, list):
        return found[-1] if found else None
    return found


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on a free port (initdb refuses root, so run as postgres).

    Its folder is a fresh one under the system temp dir: pytest's own tmp folders are private to
    root, and the postgres user could not enter them.
    """

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="leerlus-pg-"))
        self.data = self.directory / "data"
        self.socket_dir = self.directory / "sock"
        self.socket_dir.mkdir()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.directory, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        subprocess.run(
            self.as_user
            + [pg_binary("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"],
            check=True,
            capture_output=True,
        )
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args) -> None:
        subprocess.run(
            self.as_user + [pg_binary("pg_ctl"), "-D", str(self.data), "-w", *args],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self._ctl(
            "-o",
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-l",
            str(self.directory / "pg.log"),
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)
