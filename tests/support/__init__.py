"""Helpers for tests that run real processes (workers, servers, private databases)."""
