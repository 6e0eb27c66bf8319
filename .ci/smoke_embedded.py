"""Smoke test of the embedded default: `make run` boots, a demo login writes a reflection that a
worker processes, and Ctrl-C stops every process it started."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from http.cookiejar import CookieJar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    port = free_port()
    instance = tempfile.mkdtemp(prefix="leerlus-smoke-")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PORT=str(port), LEERLUS_INSTANCE_PATH=instance)
    log = open(os.path.join(instance, "run.log"), "w")
    proc = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def call(method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", **(headers or {})})
        with opener.open(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")

    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if call("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("make run did not come up")
            time.sleep(1)
        status, me = call("POST", "/api/v1/auth/login",
                          {"email": "teamleider@demo.leerlus.nl", "password": "leerlus-demo"})
        assert status == 200 and me["teams"][0]["role"] == "teamleider", me
        status, me = call("POST", "/api/v1/auth/login",
                          {"email": "medewerker1@demo.leerlus.nl", "password": "leerlus-demo"})
        csrf = {"X-CSRF-Token": me["csrf_token"]}
        status, created = call("POST", "/api/v1/reflections", {
            "client_id": str(uuid.uuid4()), "occurred_at": datetime.now(UTC).isoformat(),
            "what_happened": "Rookproef: huisbezoek bij dhr Jansen, deurwaarder stond op de stoep."}, csrf)
        assert status == 201, created
        deadline = time.monotonic() + 180
        while True:
            _, row = call("GET", f"/api/v1/reflections/{created['id']}")
            if row["processed_at"]:
                break
            if time.monotonic() > deadline:
                raise SystemExit("the worker did not process the reflection")
            time.sleep(1)
        print("smoke: web, worker and demo login work; reflection processed", flush=True)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise SystemExit("make run did not stop on Ctrl-C")
        log.close()
        time.sleep(1)
        # Same session as `make run`, or a redis-server keeping its files in our instance folder.
        leftovers = set()
        for args in (["pgrep", "-s", str(proc.pid)], ["pgrep", "-f", instance]):
            leftovers |= set(subprocess.run(args, capture_output=True, text=True).stdout.split())
        if leftovers:
            print(open(os.path.join(instance, "run.log")).read()[-4000:])
            raise SystemExit(f"processes left running after Ctrl-C: {leftovers}")
    print("smoke: Ctrl-C stopped every process", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
