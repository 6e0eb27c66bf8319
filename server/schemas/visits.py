"""Schemas for visits (and the moment of a visit or reflection)."""

from datetime import UTC, datetime, timedelta

from marshmallow import ValidationError, fields, validate

from server.models import VISIT_KINDS, utcnow
from server.schemas.common import StrictSchema, text

# Offline phones replay late, and their clocks can be off by hours; a day ahead is a clear error.
MAX_FUTURE = timedelta(hours=24)
# Nothing Leerlus records happened before it existed; year 1 overflowed week arithmetic in the worker.
EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)


class OccurredAt(fields.AwareDateTime):
    def __init__(self, **kwargs):
        super().__init__(required=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment > utcnow() + MAX_FUTURE:
            raise ValidationError("Dit ligt meer dan 24 uur in de toekomst. Klopt de klok van je telefoon?")
        if moment < EARLIEST:
            raise ValidationError("Kies een moment na 1 januari 2020. Klopt de klok van je telefoon?")
        return moment


class NestedVisitArgs(StrictSchema):
    client_id = fields.UUID(required=True)
    occurred_at = OccurredAt()
    kind = fields.String(load_default="huisbezoek", validate=validate.OneOf(VISIT_KINDS))
    pseudonym = text(60, load_default=None, allow_none=True)


class VisitArgs(NestedVisitArgs):
    team_id = fields.UUID(load_default=None)


class VisitOut(StrictSchema):
    id = fields.UUID()
    client_id = fields.UUID()
    occurred_at = fields.DateTime()
    kind = fields.String()
    pseudonym = fields.String(allow_none=True)
    has_reflection = fields.Boolean()
    feedback_requested = fields.Boolean()
