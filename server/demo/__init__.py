"""The demo team: realistic weeks of a Dutch wijkteam, seeded and topped up idempotently."""

from server.demo.seed import PASSWORD, seed_demo

__all__ = ["PASSWORD", "seed_demo"]
