"""Schemas for visits, reflections and themes."""

from datetime import UTC, date, datetime, timedelta

from marshmallow import ValidationError, fields, validate, validates

from server.i18n import N_
from server.models import LEARNING_ZONES, VISIBILITIES, VISIT_KINDS, utcnow
from server.schemas.common import PageArgs, StrictSchema, Text, text, whole

# Offline phones replay late, and their clocks can be off by hours; a day ahead is a clear error.
MAX_FUTURE = timedelta(hours=24)
# Nothing Leerlus records happened before it existed; year 1 overflowed week arithmetic in the worker.
EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)
OUTCOMES = ("ja", "deels", "nee")


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


class ThemeListArgs(StrictSchema):
    team_id = fields.UUID(load_default=None)


class SuggestArgs(StrictSchema):
    text = text(8000, required=True)
    kind = fields.String(load_default="reflection", validate=validate.OneOf(["reflection", "feedback"]))
    team_id = fields.UUID(load_default=None)


class SuggestionOut(StrictSchema):
    id = fields.String()
    label = fields.String()
    score = fields.Float()
    matched = fields.List(fields.String())


class SuggestOut(StrictSchema):
    items = fields.List(fields.Nested(SuggestionOut))
    safety_signal = fields.String(allow_none=True)


class ThemeOut(StrictSchema):
    id = fields.String()
    label = fields.String()
    group = fields.String()
    description = fields.String(allow_none=True)
    team_id = fields.UUID(allow_none=True)
    keywords = fields.List(fields.String())
    keepers = fields.List(fields.Dict())


class ThemeListOut(StrictSchema):
    items = fields.List(fields.Nested(ThemeOut))


class TeamThemeArgs(StrictSchema):
    label = Text(required=True, validate=validate.Length(min=1, max=120))
    description = text(1000, load_default=None, allow_none=True)
    keywords = fields.List(
        Text(validate=validate.Length(min=2, max=60)), load_default=list, validate=validate.Length(max=40)
    )
    keeper_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=5))


class TeamThemePatchArgs(StrictSchema):
    label = Text(validate=validate.Length(min=1, max=120))
    description = Text(validate=validate.Length(max=1000), allow_none=True)
    keywords = fields.List(Text(validate=validate.Length(min=2, max=60)), validate=validate.Length(max=40))
    keeper_ids = fields.List(fields.UUID(), validate=validate.Length(max=5))
    active = fields.Boolean()
