"""Schemas for reflections: the author's own and the team's (de-identified)."""

from datetime import date

from marshmallow import ValidationError, fields, validate, validates

from server.i18n import N_
from server.models import LEARNING_ZONES, VISIBILITIES
from server.schemas.common import PageArgs, StrictSchema, Text, text, whole
from server.schemas.visits import NestedVisitArgs, OccurredAt

OUTCOMES = ("ja", "deels", "nee")

ThemeIds = fields.List(
    Text(validate=validate.Length(min=1, max=64)), load_default=list, validate=validate.Length(max=12)
)


class ReflectionArgs(StrictSchema):
    client_id = fields.UUID(required=True)
    occurred_at = OccurredAt()
    what_happened = text(2000, required=True, min_length=1)
    noticed = text(2000)
    why = text(2000)
    next_time = text(2000)
    learning_zone = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(LEARNING_ZONES))
    energy = whole(load_default=None, allow_none=True, validate=validate.Range(min=1, max=5))
    themes = ThemeIds
    # The subset of `themes` that the author confirmed from a suggestion (source "suggested").
    suggested = ThemeIds
    visibility = fields.String(load_default="private", validate=validate.OneOf(VISIBILITIES))
    previous_intention_outcome = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(OUTCOMES)
    )
    visit_id = fields.UUID(load_default=None, allow_none=True)
    visit = fields.Nested(NestedVisitArgs, load_default=None, allow_none=True)
    learning_question_id = fields.UUID(load_default=None, allow_none=True)
    team_id = fields.UUID(load_default=None)

    @validates("what_happened")
    def _not_blank(self, value, **_):
        if not value.strip():
            raise ValidationError("Schrijf kort wat er gebeurde.")


class ReflectionPatchArgs(StrictSchema):
    what_happened = Text(validate=validate.Length(min=1, max=2000))
    noticed = Text(validate=validate.Length(max=2000))
    why = Text(validate=validate.Length(max=2000))
    next_time = Text(validate=validate.Length(max=2000))
    learning_zone = fields.String(allow_none=True, validate=validate.OneOf(LEARNING_ZONES))
    energy = whole(allow_none=True, validate=validate.Range(min=1, max=5))
    themes = fields.List(Text(validate=validate.Length(min=1, max=64)), validate=validate.Length(max=12))
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))


# A filter date is turned into a moment in the team's time zone: dates near year 1 or 9999 would
# overflow that, and no reflection is older than the app.
FILTER_DATES = validate.Range(
    min=date(1970, 1, 1), max=date(2999, 12, 31), error=N_("Kies een datum tussen 1970 en 2999.")
)


class ReflectionListArgs(PageArgs):
    theme = Text(validate=validate.Length(max=64))
    since = fields.Date(validate=FILTER_DATES)
    until = fields.Date(validate=FILTER_DATES)


class ThemeRefOut(StrictSchema):
    id = fields.String()
    label = fields.String()
    source = fields.String()
    score = fields.Float(allow_none=True)
    matched = fields.List(fields.String())


class ReflectionOut(StrictSchema):
    id = fields.UUID()
    client_id = fields.UUID()
    team_id = fields.UUID()
    visit_id = fields.UUID(allow_none=True)
    occurred_at = fields.DateTime()
    received_at = fields.DateTime()
    updated_at = fields.DateTime(allow_none=True)
    what_happened = fields.String()
    noticed = fields.String()
    why = fields.String()
    next_time = fields.String()
    learning_zone = fields.String(allow_none=True)
    energy = fields.Integer(allow_none=True)
    visibility = fields.String()
    previous_intention_outcome = fields.String(allow_none=True)
    learning_question_id = fields.UUID(allow_none=True)
    themes = fields.List(fields.Nested(ThemeRefOut))
    processed_at = fields.DateTime(allow_none=True)
    safety_signal = fields.String(allow_none=True)
    editable_until = fields.DateTime()


class TeamReflectionOut(StrictSchema):
    """What colleagues see: de-identified text, week-level date, no author."""

    id = fields.UUID()
    iso_week = fields.String()
    what_happened = fields.String()
    noticed = fields.String()
    why = fields.String()
    next_time = fields.String()
    learning_zone = fields.String(allow_none=True)
    themes = fields.List(fields.Nested(ThemeRefOut))


class TeamReflectionArgs(PageArgs):
    team_id = fields.UUID(load_default=None)
    theme = Text(validate=validate.Length(max=64))
