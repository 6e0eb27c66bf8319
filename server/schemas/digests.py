"""Schemas for weekly digests (the content itself is documented in docs/digest.md)."""

from marshmallow import fields

from server.schemas.common import StrictSchema, text


class DigestSummaryOut(StrictSchema):
    iso_week = fields.String()
    status = fields.String(metadata={"description": "queued (requested, not built yet) or built"})
    built_at = fields.DateTime(allow_none=True)
    url = fields.String()


class DigestOut(StrictSchema):
    team_id = fields.UUID()
    iso_week = fields.String()
    built_at = fields.DateTime()
    scope = fields.String(metadata={"description": "full, or themes for medewerkers"})
    content = fields.Dict(metadata={"description": "the digest JSON, see docs/digest.md"})
    proposal = fields.Dict(
        allow_none=True,
        metadata={
            "description": "the topic proposal shared with the board and the leeragenda (docs/bordsessie.md); "
            "null for the themes scope"
        },
    )


class DigestBuildOut(StrictSchema):
    team_id = fields.UUID()
    iso_week = fields.String()
    status = fields.String()
    job_id = fields.String()


class BoardOut(StrictSchema):
    team_id = fields.UUID()
    iso_week = fields.String()
    digest_id = fields.UUID()
    built_at = fields.DateTime()
    content = fields.Dict(metadata={"description": "the digest JSON, see docs/digest.md"})
    successes = fields.Dict(metadata={"description": "intentions that worked, compliments, actions done"})
    effects = fields.List(fields.Dict(), metadata={"description": "did it help? cards, see docs/digest.md"})
    gaps = fields.List(fields.Dict(), metadata={"description": "at most three knowledge gaps, with why"})
    proposal = fields.Dict(allow_none=True)
    actions = fields.Dict(metadata={"description": "carried (open first), decided, previous_decisions"})
    topic = fields.Dict(metadata={"description": "theme of the month the bordsessie decides for"})
    members = fields.List(fields.Dict(), metadata={"description": "who can own an action"})
    themes = fields.List(fields.Dict(), metadata={"description": "themes an action can answer"})


class TeamNoteArgs(StrictSchema):
    # said first: the field named text would otherwise shadow the helper of the same name.
    said = text(500, metadata={"description": "for residents: 'U zei …'"})
    text = text(1000, required=True, metadata={"description": "the note, or for residents: 'Wij doen …'"})


class TeamNoteOut(StrictSchema):
    id = fields.UUID()
    team_id = fields.UUID()
    audience = fields.String(metadata={"description": "medewerkers or inwoners"})
    iso_week = fields.String()
    said = fields.String()
    text = fields.String()
    said_deidentified = fields.String(allow_none=True)
    text_deidentified = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    status = fields.String(metadata={"description": "reviewing (being de-identified), ready, published"})


class TeamNotePublicOut(StrictSchema):
    iso_week = fields.String(allow_none=True, metadata={"description": "null: nothing published yet"})
    text = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)


class EffectArgs(StrictSchema):
    week = fields.String(metadata={"description": "ISO week the card is for; default: the last ended week"})


class EffectOut(StrictSchema):
    iso_week = fields.String(metadata={"description": "the week the card is for"})
    action = fields.Dict()
    theme = fields.Dict()
    before = fields.Dict(
        metadata={"description": "theme_share, panic_share, resident_score: cells with counts"}
    )
    after = fields.Dict()
    caution = fields.String()
