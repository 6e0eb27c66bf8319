"""Schemas for actions: created from a reflection's "volgende keer" or from a digest."""

from marshmallow import fields, validate

from server.schemas.common import PageArgs, StrictSchema, Text, text

# blocked: still open, but stuck on something outside the owner (said at the bordsessie).
STATUSES = ("open", "done", "dropped", "blocked")


class ActionCreateArgs(StrictSchema):
    client_id = fields.UUID(required=True)
    title = text(300, required=True, min_length=1)
    owner_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "a member of the team; default: yourself"},
    )
    due = fields.Date(load_default=None, allow_none=True)
    team_id = fields.UUID(load_default=None, allow_none=True)
    reflection_id = fields.UUID(load_default=None, allow_none=True)
    digest_id = fields.UUID(load_default=None, allow_none=True)
    theme_id = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "the theme the action answers (bordsessie)"},
    )


class ActionPatchArgs(StrictSchema):
    title = Text(validate=validate.Length(min=1, max=300))
    owner_id = fields.UUID(allow_none=True)
    due = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUSES))


class ActionListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    team_id = fields.UUID()
    mine = fields.Boolean(load_default=False, metadata={"description": "only actions you own"})


class ActionPersonOut(StrictSchema):
    id = fields.UUID()
    display_name = fields.String()


class ActionOut(StrictSchema):
    id = fields.UUID()
    client_id = fields.UUID()
    team_id = fields.UUID()
    title = fields.String()
    owner = fields.Nested(ActionPersonOut, allow_none=True)
    created_by = fields.Nested(ActionPersonOut, allow_none=True)
    due = fields.Date(allow_none=True)
    status = fields.String()
    reflection_id = fields.UUID(allow_none=True)
    digest_id = fields.UUID(allow_none=True)
    theme_id = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    done_at = fields.DateTime(allow_none=True)
