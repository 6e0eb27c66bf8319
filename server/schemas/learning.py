"""Schemas for learning questions, the personal overview, theme of the month and the knowledge map."""

import re

from marshmallow import ValidationError, fields, validate, validates, validates_schema

from server.i18n import N_
from server.schemas.common import PageArgs, StrictSchema, Text, text

QUESTION_STATUSES = ("open", "closed")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class LearningQuestionArgs(StrictSchema):
    client_id = fields.UUID(load_default=None, allow_none=True)
    text = text(500, required=True, min_length=1)
    due = fields.Date(load_default=None, allow_none=True)
    reflection_id = fields.UUID(load_default=None, allow_none=True)
    team_id = fields.UUID(load_default=None)

    @validates("text")
    def _not_blank(self, value, **_):
        if not value.strip():
            raise ValidationError("Schrijf je leervraag in een paar woorden.")


class LearningQuestionPatchArgs(StrictSchema):
    text = Text(validate=validate.Length(min=1, max=500))
    due = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(QUESTION_STATUSES))
    learned = Text(validate=validate.Length(max=1000), allow_none=True)
    shared = fields.Boolean()


class LearningQuestionListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(QUESTION_STATUSES))


class TeamLearningQuestionArgs(PageArgs):
    team_id = fields.UUID(load_default=None)
    status = fields.String(load_default="open", validate=validate.OneOf((*QUESTION_STATUSES, "all")))


class ColleagueOut(StrictSchema):
    id = fields.UUID()
    display_name = fields.String()


class LearningQuestionOut(StrictSchema):
    """The author's own question, with the colleagues who said they know something about it."""

    id = fields.UUID()
    client_id = fields.UUID(allow_none=True)
    team_id = fields.UUID()
    text = fields.String()
    due = fields.Date(allow_none=True)
    status = fields.String()
    learned = fields.String(allow_none=True)
    shared = fields.Boolean()
    visible_to_team = fields.Boolean()
    reflection_id = fields.UUID(allow_none=True)
    linked_reflections = fields.Integer()
    helpers = fields.List(fields.Nested(ColleagueOut))
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class TeamLearningQuestionOut(StrictSchema):
    """What colleagues see: de-identified text, week-level date, no author, no helper names."""

    id = fields.UUID()
    iso_week = fields.String()
    text = fields.String()
    status = fields.String()
    themes = fields.List(fields.Dict())
    helpers = fields.Integer()
    i_know_something = fields.Boolean()
    mine = fields.Boolean()


class OverviewArgs(StrictSchema):
    weeks = fields.Integer(load_default=12, validate=validate.Range(min=1, max=52))


class OverviewOut(StrictSchema):
    weeks = fields.List(fields.Dict())
    themes = fields.List(fields.Dict())
    questions = fields.Dict()
    theme_of_the_month = fields.Dict(allow_none=True)
    recent_reflections = fields.List(fields.Dict())


class LinkArgs(StrictSchema):
    title = text(120)
    url = fields.Url(required=True, schemes={"http", "https"}, validate=validate.Length(max=500))


class ThemeOfTheMonthArgs(StrictSchema):
    theme_id = Text(required=True, validate=validate.Length(min=1, max=64))
    description = text(2000)
    links = fields.List(fields.Nested(LinkArgs), load_default=list, validate=validate.Length(max=10))
    casusoverleg_on = fields.Date(load_default=None, allow_none=True)
    month = fields.String(load_default=None, allow_none=True)

    @validates_schema
    def _month(self, data, **_):
        if data.get("month") is not None and not MONTH.match(data["month"]):
            raise ValidationError(N_("Gebruik de vorm 2026-11."), "month")


class ThemeOfTheMonthQuery(StrictSchema):
    month = fields.String(validate=validate.Regexp(MONTH, error=N_("Gebruik de vorm 2026-11.")))


class ThemeOfTheMonthOut(StrictSchema):
    month = fields.String()
    theme_id = fields.String(allow_none=True)
    label = fields.String(allow_none=True)
    description = fields.String()
    links = fields.List(fields.Dict())
    casusoverleg_on = fields.Date(allow_none=True)
    set_by = fields.Nested(ColleagueOut, allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    keepers = fields.List(fields.Nested(ColleagueOut))
    contributions = fields.Dict(allow_none=True)
    my_contributions = fields.Integer()
    suggestion = fields.Dict(allow_none=True)


class KnowledgeMapOut(StrictSchema):
    team_id = fields.UUID()
    k = fields.Integer()
    from_week = fields.String()
    to_week = fields.String()
    weeks = fields.Integer()
    themes = fields.List(fields.Dict())
    gaps = fields.List(fields.Dict(), metadata={"description": "at most three real gaps, each with why"})
