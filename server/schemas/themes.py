"""Schemas for themes: the taxonomy with the team's own themes, and suggestions while typing."""

from marshmallow import fields, validate

from server.schemas.common import StrictSchema, Text, text


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
