"""Accounts: password hashing, server-side sessions, CSRF and per-object authorisation."""
