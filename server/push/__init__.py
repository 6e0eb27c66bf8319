"""Web Push: quiet hours, endpoint checks, payloads, VAPID keys and the HTTP sender.

Everything here except `notify` is plain Python (no Flask, no Redis), so the rules can be tested
with a controlled clock and reused by the benchmark.
"""
