"""Schemas for intervisie cases and sessions, team learning notes and the personal portfolio."""

from marshmallow import ValidationError, fields, validate, validates_schema

from server.intervisie import BEROEPSCODE_ARTICLES, METHODS
from server.schemas.common import PageArgs, StrictSchema, Text, text

CASE_SOURCES = ("reflection", "learning_question")
SESSION_STATUSES = ("running", "closed")


class CaseArgs(StrictSchema):
    client_id = fields.UUID(required=True)
    team_id = fields.UUID(load_default=None, allow_none=True)
    reflection_id = fields.UUID(load_default=None, allow_none=True)
    learning_question_id = fields.UUID(load_default=None, allow_none=True)
    present_myself = fields.Boolean(
        load_default=False,
        metadata={"description": "true: colleagues see your name as the one who brings the case in"},
    )

    @validates_schema
    def _one_source(self, data, **_):
        if (data.get("reflection_id") is None) == (data.get("learning_question_id") is None):
            raise ValidationError("Kies een reflectie óf een leervraag.", "reflection_id")


class CaseListArgs(PageArgs):
    team_id = fields.UUID(load_default=None)
    status = fields.String(load_default="offered", validate=validate.OneOf(("offered", "used", "all")))


class PersonOut(StrictSchema):
    id = fields.UUID()
    display_name = fields.String()


class CaseOut(StrictSchema):
    """What the team sees of a case: text and themes, the week it was offered; a name only when chosen."""

    id = fields.UUID()
    team_id = fields.UUID()
    source = fields.String()
    text = fields.String()
    themes = fields.List(fields.Dict())
    iso_week = fields.String()
    status = fields.String()
    presenter = fields.Nested(PersonOut, allow_none=True)
    mine = fields.Boolean()


class SessionArgs(StrictSchema):
    client_id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    method = fields.String(required=True, validate=validate.OneOf(tuple(METHODS)))
    held_on = fields.Date(required=True)
    theme_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))


class SessionPatchArgs(StrictSchema):
    step = fields.Integer(validate=validate.Range(min=0, max=20))
    questions = fields.List(Text(validate=validate.Length(min=1, max=500)), validate=validate.Length(max=50))
    options = fields.List(Text(validate=validate.Length(min=1, max=500)), validate=validate.Length(max=50))
    insight = text(1000)
    beroepscode_article = fields.Integer(
        allow_none=True, validate=validate.Range(min=1, max=BEROEPSCODE_ARTICLES)
    )
    beroepscode_title = Text(allow_none=True, validate=validate.Length(max=200))
    participant_ids = fields.List(fields.UUID(), validate=validate.Length(max=100))
    theme_id = fields.String(allow_none=True, validate=validate.Length(max=64))
    status = fields.String(validate=validate.OneOf(SESSION_STATUSES))


class SessionActionArgs(StrictSchema):
    client_id = fields.UUID(required=True)
    title = text(300, required=True, min_length=1)
    owner_id = fields.UUID(required=True, metadata={"description": "a participant of the session"})
    due = fields.Date(load_default=None, allow_none=True)


class SessionListArgs(PageArgs):
    team_id = fields.UUID(load_default=None)


class StepOut(StrictSchema):
    key = fields.String()
    title = fields.String()
    minutes = fields.Integer()
    guide = fields.String()
    collects = fields.String(allow_none=True)


class MethodOut(StrictSchema):
    id = fields.String()
    label = fields.String()
    purpose = fields.String()
    minutes = fields.Integer()
    steps = fields.List(fields.Nested(StepOut))


class MethodListOut(StrictSchema):
    items = fields.List(fields.Nested(MethodOut))
    beroepscode = fields.String()
    beroepscode_articles = fields.Integer()


class SessionOut(StrictSchema):
    id = fields.UUID()
    team_id = fields.UUID()
    method = fields.Nested(MethodOut)
    held_on = fields.Date()
    status = fields.String()
    step = fields.Integer()
    theme = fields.Dict(allow_none=True)
    case = fields.Nested(CaseOut, allow_none=True)
    facilitator = fields.Nested(PersonOut, allow_none=True)
    i_facilitate = fields.Boolean()
    participants = fields.List(fields.Nested(PersonOut))
    notes_visible = fields.Boolean(metadata={"description": "false: notes not yet de-identified for you"})
    questions = fields.List(fields.String())
    options = fields.List(fields.String())
    insight = fields.String()
    beroepscode_article = fields.Integer(allow_none=True)
    beroepscode_title = fields.String(allow_none=True)
    beroepscode = fields.String()
    action = fields.Dict(allow_none=True)
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class LearningNoteArgs(PageArgs):
    theme_id = fields.String(validate=validate.Length(max=64))


class LearningNoteOut(StrictSchema):
    id = fields.UUID()
    theme = fields.Dict(allow_none=True)
    method = fields.String()
    text = fields.String()
    iso_week = fields.String()
    session_id = fields.UUID(allow_none=True)


# -- portfolio ---------------------------------------------------------------------------------------


class PortfolioArgs(StrictSchema):
    # Required, but checked in the view: a missing period must not answer before the login check.
    start = fields.Date(load_default=None, data_key="from", metadata={"description": "required"})
    end = fields.Date(load_default=None, data_key="to", metadata={"description": "required"})

    @validates_schema
    def _period(self, data, **_):
        for key, name in (("start", "from"), ("end", "to")):
            # Far-off years overflow when the day is turned into UTC instants.
            if data.get(key) and not 2000 <= data[key].year <= 2100:
                raise ValidationError("Kies een datum tussen 2000 en 2100.", name)
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                raise ValidationError("De einddatum ligt voor de begindatum.", "to")
            if (data["end"] - data["start"]).days > 366 * 6:
                raise ValidationError("Kies een periode van hoogstens zes jaar.", "to")


class PortfolioOut(StrictSchema):
    period = fields.Dict()
    created_at = fields.DateTime()
    person = fields.Dict()
    reflections = fields.List(fields.Dict())
    learning_questions = fields.List(fields.Dict())
    intervisie = fields.List(fields.Dict())
    themes_of_the_month = fields.List(fields.Dict())
    resident_feedback = fields.Dict()
    totals = fields.Dict()
    registers = fields.List(fields.Dict())


class PortfolioMarkOut(StrictSchema):
    reflection_id = fields.UUID()
    in_portfolio = fields.Boolean()


class AttendanceOut(StrictSchema):
    theme_of_the_month_id = fields.UUID()
    attended = fields.Boolean()
