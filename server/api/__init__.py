"""The JSON API under /api/v1: one blueprint per area, registered on the flask-smorest Api."""

from flask import Response, jsonify
from flask_smorest import Blueprint
from marshmallow import Schema
from sqlalchemy import func, select
from webargs.flaskparser import FlaskParser

from server.api.openapi import api
from server.extensions import db


class SchemaOnceParser(FlaskParser):
    """`@blp.arguments(SomeArgs)` with one schema instance per decorator, made at import time.

    webargs instantiates a schema class anew for every request (marshmallow deep-copies every
    declared field): 6-7 % of a reflection write's CPU. Reusing one instance is safe because our
    schemas keep no per-request state (marshmallow 4 has no schema context; validators that need
    the time or the request read them when they run)."""

    def use_args(self, argmap, *args, **kwargs):
        if isinstance(argmap, type) and issubclass(argmap, Schema):
            argmap = argmap()
        return super().use_args(argmap, *args, **kwargs)


# Every blueprint module imports this package first (server.api.<area>), so every @blp.arguments
# below is decorated with this parser.
Blueprint.ARGUMENTS_PARSER = SchemaOnceParser()


def answered(body: dict, status: int) -> Response:
    """A view's answer built by `values_of`, as JSON without marshmallow's dump.

    `values_of` reads each field's value off the row in its answer type, so the dump that
    `@blp.response` would run (a pass over every field and nested theme: ~4 % of a reflection
    write's Python calls) only copies them; the app's JSON provider (server/jsonout.py) writes UUIDs and
    datetimes as the schema's fields do. The view's `@blp.response` still documents the schema.
    """
    response = jsonify(body)
    response.status_code = status
    return response


def paginate(stmt, args: dict, serialise=None) -> dict:
    """Run a select for one page; answer the list shape every list endpoint shares."""
    page, size = args["page"], args["page_size"]
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.scalars(stmt.limit(size).offset((page - 1) * size)).all()
    items = [serialise(row) for row in rows] if serialise else rows
    return {"items": items, "page": page, "page_size": size, "total": total}


def register_blueprints(app) -> None:
    # Here, not at the top: every blueprint module imports paginate from this package.
    from server import pwa, resident
    from server.api import (
        acknowledgements,
        actions,
        auth,
        beheer,
        board,
        digests,
        feedback,
        health,
        intervisie,
        learning,
        organisations,
        portfolio,
        privacy,
        push,
        reflections,
        teams,
        themes,
        visits,
    )

    app.register_blueprint(health.blp)
    app.register_blueprint(resident.bp)  # /f/<token>, server-rendered for residents
    app.register_blueprint(pwa.blp)  # the PWA at /app/
    for module in (
        auth,
        teams,
        visits,
        reflections,
        themes,
        feedback,
        push,
        digests,
        actions,
        learning,
        privacy,
        intervisie,
        portfolio,
        organisations,
        board,
        acknowledgements,
        beheer,
    ):
        api.register_blueprint(module.blp)
