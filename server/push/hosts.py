"""Which push endpoints we are willing to POST to: a subscription is a URL chosen by the client,
so without this check the worker could be pointed at internal services (SSRF)."""

import ipaddress
from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost"}


def parse_allowed(value: str | list[str] | tuple[str, ...]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    return [item.strip().lower() for item in items if item and item.strip()]


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_matches(pattern: str, host: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def _port_matches(pattern_port: str | None, port: int | None, scheme: str) -> bool:
    if pattern_port == "*":
        return True
    default = 443 if scheme == "https" else 80
    wanted = int(pattern_port) if pattern_port else default
    return (port or default) == wanted


def endpoint_problem(endpoint: str, allowed: list[str], *, loopback_http: bool = False) -> str | None:
    """None when `endpoint` may be used, else a Dutch reason.

    `allowed` holds "host", "host:port", "host:*" or "*.domain" entries. Plain http is only
    accepted for a loopback host and only when `loopback_http` (development and tests).
    """
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return "Dit is geen geldige URL."
    if not host or parts.username is not None or parts.password is not None:
        return "Dit is geen geldige push-URL."
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback_http and is_loopback(host)):
        return "Een push-adres moet https gebruiken."
    for pattern in allowed:
        pattern_host, _, pattern_port = pattern.rpartition(":") if _has_port(pattern) else (pattern, "", "")
        if _host_matches(pattern_host.strip("[]"), host) and _port_matches(
            pattern_port or None, port, parts.scheme
        ):
            return None
    return "Deze pushdienst is niet toegestaan."


def _has_port(pattern: str) -> bool:
    # "[::1]:443" or "host:443" / "host:*"; a bare IPv6 address has several colons and no port.
    tail = pattern.rsplit(":", 1)[-1]
    return ":" in pattern and (tail == "*" or tail.isdigit()) and (pattern.count(":") == 1 or "]" in pattern)
