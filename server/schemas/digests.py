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
