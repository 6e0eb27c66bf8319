"""Schemas for the beheerder's console: accounts across teams and the installation's bounds."""

from marshmallow import ValidationError, fields, validate, validates_schema

from server.schemas.accounts import TeamRefOut
from server.schemas.common import PageArgs, StrictSchema, Text


class UserListArgs(PageArgs):
    q = Text(validate=validate.Length(max=120), metadata={"description": "part of a name or e-mail address"})
    team_id = fields.UUID()
    active = fields.Boolean()


class AdminUserOut(StrictSchema):
    id = fields.UUID()
    display_name = fields.String()
    email = fields.String()
    active = fields.Boolean()
    mfa_enabled = fields.Boolean(metadata={"description": "a second factor is set up"})
    mfa_enrol_required = fields.Boolean(metadata={"description": "reset: set up again at next login"})
    roles = fields.List(fields.String(), metadata={"description": "distinct roles over all teams"})
    teams = fields.List(fields.Nested(TeamRefOut))
    last_seen_at = fields.DateTime(allow_none=True)
    is_self = fields.Boolean()


class AdminUserPatchArgs(StrictSchema):
    active = fields.Boolean(required=True)


def _days(maximum: int):
    return fields.Integer(required=True, validate=validate.Range(min=1, max=maximum))


class RetentionBoundsArgs(StrictSchema):
    raw_text_days_min = _days(365)
    raw_text_days_max = _days(365)
    retention_months_min = _days(120)
    retention_months_max = _days(120)

    @validates_schema
    def _ordered(self, data, **_):
        errors = {}
        for field in ("raw_text_days", "retention_months"):
            low, high = data.get(f"{field}_min"), data.get(f"{field}_max")
            if low is not None and high is not None and low > high:
                errors[f"{field}_min"] = ["Het minimum is hoger dan het maximum."]
        if errors:
            raise ValidationError(errors)


class TeamRetentionOut(StrictSchema):
    id = fields.UUID()
    name = fields.String()
    raw_text_days = fields.Integer()
    retention_months = fields.Integer()


class RetentionBoundsOut(StrictSchema):
    raw_text_days_min = fields.Integer()
    raw_text_days_max = fields.Integer()
    retention_months_min = fields.Integer()
    retention_months_max = fields.Integer()
    ceiling = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={
            "description": "what the installation's environment allows at most (RAW_TEXT_DAYS_MAX, ...)"
        },
    )
    teams = fields.List(fields.Nested(TeamRetentionOut))
    changed_teams = fields.List(
        fields.Nested(TeamRetentionOut),
        metadata={"description": "after PUT: teams whose settings moved within the new bounds"},
    )
