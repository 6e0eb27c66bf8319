"""The weekly theme digest: a pure builder (builder.py) over plain rows (rows.py, gathered by queries.py)."""

from server.digest.builder import VERSION, build
from server.digest.cells import REASON, effective_k, k_for_week

__all__ = ["REASON", "VERSION", "build", "effective_k", "k_for_week"]
