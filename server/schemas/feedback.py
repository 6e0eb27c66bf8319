"""Schemas for feedback links (asked by a medewerker) and the answers on their own visits."""

from marshmallow import fields, validate

from server.resident.messages import LANGUAGES
from server.schemas.common import PageSchema, StrictSchema


class FeedbackLinkArgs(StrictSchema):
    # The language the resident page opens in; the resident can still switch.
    language = fields.String(load_default="nl", validate=validate.OneOf(tuple(LANGUAGES)))


class FeedbackLinkOut(StrictSchema):
    token = fields.String()
    url = fields.String()
    expires_at = fields.DateTime()
    language = fields.String()
    qr_svg = fields.String(metadata={"description": "Inline SVG of the QR code for `url`; no external resources."})


class FeedbackThemeOut(StrictSchema):
    id = fields.String()
    score = fields.Float(allow_none=True)
    label = fields.String()


class FeedbackOut(StrictSchema):
    id = fields.UUID()
    visit_id = fields.UUID(allow_none=True)
    submitted_at = fields.DateTime()
    corrected_at = fields.DateTime(allow_none=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "Per Wmo item, 1-5 where 5 = helemaal mee eens."})
    comment = fields.String(allow_none=True, metadata={
        "description": "The resident's comment, de-identified; null until the worker has processed it. "
                       "Plain text: escape it when rendering."})
    contact_requested = fields.Boolean()
    language = fields.String(metadata={"description": "The language the resident page was opened in."})
    comment_language = fields.String(allow_none=True, metadata={
        "description": "The language the comment is written in (nl, en, tr, ar, pl or uk), detected by the "
                       "worker; the comment is shown as written. Null without a comment or until processed."})
    processed = fields.Boolean()
    themes = fields.List(fields.Nested(FeedbackThemeOut))


class ResponseRateOut(StrictSchema):
    issued = fields.Integer(metadata={"description": "Links you asked for, not counting ones you replaced."})
    answered = fields.Integer()
    rate = fields.Float(allow_none=True, metadata={"description": "answered / issued; null when none issued."})


class FeedbackPage(PageSchema):
    items = fields.List(fields.Nested(FeedbackOut))
    response_rate = fields.Nested(ResponseRateOut, metadata={"description": "Only ever your own."})
