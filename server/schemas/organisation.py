"""Organisations (gemeenten), their invitations and the overview's query arguments."""

from marshmallow import fields, validate

from server.schemas.common import StrictSchema, Text


class OrganisationArgs(StrictSchema):
    name = Text(validate=validate.Length(min=1, max=200))
    k_threshold = fields.Integer(validate=validate.Range(min=2, max=50))
    team_ids = fields.List(fields.UUID(), validate=validate.Length(max=500))


class OrganisationCreateArgs(OrganisationArgs):
    name = Text(required=True, validate=validate.Length(min=1, max=200))


class OrganisationOut(StrictSchema):
    id = fields.UUID()
    name = fields.String()
    k_threshold = fields.Integer()
    role = fields.String()
    teams = fields.List(fields.Dict())


class OrganisationInvitationArgs(StrictSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class OrganisationInvitationOut(StrictSchema):
    organisation = fields.String()  # the gemeente's name
    role = fields.String()
    email = fields.String()
    expires_at = fields.DateTime()
    second_factor = fields.Boolean()


class PeriodArgs(StrictSchema):
    # 2026-10 (a month) or 2026-Q4 (a quarter); default: the last published month's quarter.
    period = fields.String(validate=validate.Length(max=10))


class OrganisationOverviewOut(StrictSchema):
    organisation = fields.Dict()
    period = fields.Dict()
    k = fields.Integer()
    published = fields.Boolean()
    teams = fields.List(fields.Dict())
    themes = fields.Dict()
    learning_zones = fields.List(fields.Dict())
    residents = fields.List(fields.Dict())
    response_rate = fields.Dict()
    decisions = fields.Dict()
    signals = fields.List(fields.Dict())
    purpose = fields.String()
    method = fields.List(fields.String())
    periods = fields.List(fields.Dict())
