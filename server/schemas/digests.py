"""Schemas for weekly digests (the content itself is documented in docs/digest.md)."""

from marshmallow import fields

from server.schemas.common import StrictSchema


class DigestSummaryOut(StrictSchema):
    iso_week = fields.String()
    status = fields.String(metadata={"description": "queued (requested, not built yet) or built"})
    built_at = fields.DateTime(allow_none=True)
    url = fields.String()


class DigestOut(StrictSchema):
    team_id = fields.UUID()
    iso_week = fields.String()
    built_at = fields.DateTime()
    scope = fields.String(metadata={"description": "full, or themes for medewerkers"})
    content = fields.Dict(metadata={"description": "the digest JSON, see docs/digest.md"})


class DigestBuildOut(StrictSchema):
    team_id = fields.UUID()
    iso_week = fields.String()
    status = fields.String()
    job_id = fields.String()


class BoardOut(StrictSchema):
    team_id = fields.UUID()
    iso_week = fields.String()
    digest_id = fields.UUID()
    built_at = fields.DateTime()
    content = fields.Dict(metadata={"description": "the digest JSON, see docs/digest.md"})
    successes = fields.Dict(metadata={"description": "intentions that worked, compliments, actions done"})
    effects = fields.List(fields.Dict(), metadata={"description": "did it help? cards, see docs/digest.md"})
    gaps = fields.List(fields.Dict(), metadata={"description": "at most three knowledge gaps, with why"})
    proposal = fields.Dict(allow_none=True)
    actions = fields.Dict(metadata={"description": "carried (open first), decided, previous_decisions"})
    topic = fields.Dict(metadata={"description": "theme of the month the bordsessie decides for"})
    members = fields.List(fields.Dict(), metadata={"description": "who can own an action"})
    themes = fields.List(fields.Dict(), metadata={"description": "themes an action can answer"})
