"""The ports the embedded runtime, tests and benchmarks give the processes they start."""

import socket
from pathlib import Path

import pytest

from server.embedded import free_port

RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")


@pytest.mark.skipif(not RANGE.exists(), reason="Linux only: the kernel's ephemeral port range")
def test_a_free_port_is_one_outgoing_connections_are_never_given():
    low, high = (int(part) for part in RANGE.read_text().split())
    ports = {free_port() for _ in range(20)}
    assert all(port < low or port > high for port in ports), ports
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
