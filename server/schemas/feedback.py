"""Schemas for feedback links (asked by a medewerker) and the answers on their own visits."""

from marshmallow import fields, validate

from server.resident.card import LAYOUTS
from server.resident.messages import LANGUAGES, VARIANTS
from server.schemas.common import PageSchema, StrictSchema


class FeedbackLinkArgs(StrictSchema):
    # The language the resident page opens in; the resident can still switch.
    language = fields.String(load_default="nl", validate=validate.OneOf(tuple(LANGUAGES)))
    variant = fields.String(
        load_default=None,
        validate=validate.OneOf(VARIANTS),
        metadata={
            "description": "wmo (adults) or jeugd (12-17: 'je', youth-care items); default: the team's setting."
        },
    )


class FeedbackCardArgs(FeedbackLinkArgs):
    layout = fields.String(
        load_default="a6",
        validate=validate.OneOf(LAYOUTS),
        metadata={"description": "a6: one card per page; a4: four cards per page."},
    )
    token = fields.String(
        load_default=None,
        validate=validate.Length(max=100),
        metadata={
            "description": "The visit's open link, as the app still holds it (with `code`): print that link "
            "instead of making a new one. The server keeps only hashes, so it needs both."
        },
    )
    code = fields.String(load_default=None, validate=validate.Length(max=20))


class FeedbackCardBatchArgs(FeedbackLinkArgs):
    count = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=40),
        metadata={"description": "How many cards: one per visit planned this week."},
    )
    layout = fields.String(load_default="a4", validate=validate.OneOf(LAYOUTS))


class FeedbackCodeArgs(StrictSchema):
    code = fields.String(
        required=True,
        validate=validate.Length(min=1, max=20),
        metadata={"description": "The short code printed on the card, e.g. 7KQ4-M2XD."},
    )


class FeedbackCodeOut(StrictSchema):
    visit_id = fields.UUID()
    answered = fields.Boolean()


class FeedbackLinkOut(StrictSchema):
    token = fields.String()
    url = fields.String()
    expires_at = fields.DateTime()
    language = fields.String()
    variant = fields.String()
    code = fields.String(metadata={"description": "Short code to type at `code_url` when scanning fails."})
    code_url = fields.String()
    qr_svg = fields.String(
        metadata={"description": "Inline SVG of the QR code for `url`; no external resources."}
    )
    share_title = fields.String(metadata={"description": "The page's title, in the link's language."})
    share_text = fields.String(
        metadata={
            "description": "Text to share with `url`, in the link's language, counting the form's questions."
        }
    )
    reshare_text = fields.String(metadata={"description": "The one reminder's text, likewise."})
    scan_text = fields.String(metadata={"description": "Line above the QR code on the phone, likewise."})


class ReshareOut(StrictSchema):
    expires_at = fields.DateTime()
    reshared_at = fields.DateTime()


class FeedbackThemeOut(StrictSchema):
    id = fields.String()
    score = fields.Float(allow_none=True)
    label = fields.String()


class FeedbackOut(StrictSchema):
    id = fields.UUID()
    visit_id = fields.UUID(allow_none=True)
    submitted_at = fields.DateTime()
    corrected_at = fields.DateTime(allow_none=True)
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Per Wmo item, 1-5 where 5 = helemaal mee eens."},
    )
    comment = fields.String(
        allow_none=True,
        metadata={
            "description": "The resident's comment, de-identified; null until the worker has processed it. "
            "Plain text: escape it when rendering."
        },
    )
    contact_requested = fields.Boolean()
    language = fields.String(metadata={"description": "The language the resident page was opened in."})
    comment_language = fields.String(
        allow_none=True,
        metadata={
            "description": "The language the comment is written in (nl, en, tr, ar, pl or uk), detected by the "
            "worker; the comment is shown as written. Null without a comment or until processed."
        },
    )
    processed = fields.Boolean()
    themes = fields.List(fields.Nested(FeedbackThemeOut))


class ResponseRateOut(StrictSchema):
    issued = fields.Integer(metadata={"description": "Links you asked for, not counting ones you replaced."})
    answered = fields.Integer()
    rate = fields.Float(
        allow_none=True, metadata={"description": "answered / issued; null when none issued."}
    )


class MonthRateOut(ResponseRateOut):
    month = fields.String(metadata={"description": "YYYY-MM, in the team's time zone."})
    team = fields.Nested(
        ResponseRateOut,
        allow_none=True,
        metadata={
            "description": "The whole team's rate this month; null unless at least k colleagues besides you "
            "asked for feedback this month (so your own figure cannot be subtracted to reveal one)."
        },
    )


class FeedbackPage(PageSchema):
    items = fields.List(fields.Nested(FeedbackOut))
    response_rate = fields.Nested(ResponseRateOut, metadata={"description": "Only ever your own."})
    response_rate_month = fields.Nested(
        MonthRateOut,
        metadata={
            "description": "Your own links asked for this month and how many were answered (only you see it)."
        },
    )
