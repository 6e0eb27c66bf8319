"""Small request helpers shared by rate limiting and audit logging."""

from flask import request


def client_ip() -> str:
    # Behind a reverse proxy, PROXY_HOPS makes ProxyFix rewrite remote_addr first.
    return request.remote_addr or "unknown"
