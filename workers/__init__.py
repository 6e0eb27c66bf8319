"""RQ job functions, the worker entry point and the scheduler.

Jobs take identifiers only and recompute from the database, so running one twice is harmless.
"""
