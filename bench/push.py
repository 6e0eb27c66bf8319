"""Pushes per second from one worker to a local push service: one reused session vs. a new
connection per push (what pywebpush does when no session is passed).

    .venv/bin/python -m bench.push [--count 300]

Loopback only (tests.push_receiver on 127.0.0.1, receiver-side checks off), over https like every
real push service, and over plain http to show what the TLS handshake costs. Over the internet
each new connection also costs round trips, so the gap there is larger still.
"""

import argparse
import time

import requests

from server.push.keys import generate_private_key, parse_private_key
from server.push.payload import build_payload
from server.push.sender import DELIVERED, PushSender, new_session
from tests.push_receiver import PushReceiver


class OneShotSession(requests.Session):
    """The naive way: a fresh connection (and TLS handshake) for every push."""

    def post(self, *args, **kwargs):
        with requests.Session() as session:
            session.verify, session.trust_env = self.verify, self.trust_env
            return session.post(*args, **kwargs)


def run(sender: PushSender, receiver: PushReceiver, count: int) -> tuple[float, int]:
    subscription = receiver.subscribe().as_json()
    payload = build_payload("digest", "00000000-0000-0000-0000-000000000000")
    before = receiver.connections
    start = time.perf_counter()
    for _ in range(count):
        outcome = sender.send(
            subscription["endpoint"],
            subscription["keys"]["p256dh"],
            subscription["keys"]["auth"],
            payload,
            ttl=3600,
            urgency="low",
            topic="bench",
        )
        assert outcome.result == DELIVERED, outcome
    return count / (time.perf_counter() - start), receiver.connections - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="pushes per variant (at most 5000)")
    count = min(parser.parse_args().count, 5000)
    vapid = parse_private_key(generate_private_key())
    print(f"pushes: {count} per variant, one worker, push service on 127.0.0.1")
    for tls in (True, False):
        with PushReceiver(verify=False, tls=tls) as receiver:
            reused_session, naive_session = new_session(), OneShotSession()
            for session in (reused_session, naive_session):
                # Trust only the receiver's certificate (REQUESTS_CA_BUNDLE would override it).
                session.verify, session.trust_env = receiver.ca_file or True, False
            reused = PushSender(vapid, "mailto:bench@leerlus.local", session=reused_session)
            naive = PushSender(vapid, "mailto:bench@leerlus.local", session=naive_session)
            run(reused, receiver, 20)  # warm-up: imports, first connection
            fast, fast_connections = run(reused, receiver, count)
            slow, slow_connections = run(naive, receiver, count)
        scheme = "https" if tls else "http "
        print(f"{scheme} reused session : {fast:7.1f} pushes/s  ({fast_connections} new connections)")
        print(f"{scheme} new connection : {slow:7.1f} pushes/s  ({slow_connections} new connections)")
        print(f"{scheme} ratio          : {fast / slow:7.2f}x")


if __name__ == "__main__":
    main()
