"""Area services: the operations of each area, used by the API views and the worker jobs alike.

One module per area. A view is route → schema → service → response; a job is a line that calls a
service. A rule (who may, what a write sets, what a job recomputes) lives in a service, once.
Services import models, auth helpers, audit, events and errors; never views or worker jobs.
"""
