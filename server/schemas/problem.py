"""The RFC 9457 problem document every API error answers with (server/errors.py writes it).

Documentation only: server/errors.py builds the body itself; this schema is what the OpenAPI document
says about it (the "Problem" component, served as application/problem+json), and tests validate real
error responses against it.
"""

from marshmallow import INCLUDE, Schema, fields, validate

PROBLEM_CONTENT_TYPE = "application/problem+json"

# webargs nests a field's messages one level deeper for nested schemas and list items
# ({"keys": {"p256dh": [...]}}, {"themes": {"0": [...]}}); every other field has a list of messages.
_FIELD_MESSAGES = {
    "oneOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "object", "additionalProperties": True},
    ],
}


class ProblemSchema(Schema):
    class Meta:
        # RFC 9457 extension members are allowed (e.g. /readyz adds "checks").
        unknown = INCLUDE
        ordered = True

    type = fields.String(
        required=True,
        metadata={
            "description": 'The problem type: "about:blank" when the status says it all, otherwise a '
            'relative reference such as "/problems/csrf", "/problems/mfa-required" or '
            '"/problems/client-id-reused".',
            "example": "about:blank",
        },
    )
    title = fields.String(
        required=True,
        metadata={"description": "Short Dutch summary of the status.", "example": "Ongeldige invoer"},
    )
    status = fields.Integer(
        required=True,
        validate=validate.Range(min=400, max=599),
        metadata={"description": "The HTTP status code, repeated.", "example": 422},
    )
    detail = fields.String(
        required=True,
        metadata={
            "description": "Plain Dutch explanation for this occurrence, fit to show to the user.",
            "example": "Een of meer velden kloppen niet.",
        },
    )
    instance = fields.String(
        metadata={"description": "A reference to this occurrence (reserved; not sent yet)."}
    )
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(metadata=_FIELD_MESSAGES),
        metadata={
            "description": "With 422 (and some 4xx refusals): field name -> messages. Messages that "
            'concern the body as a whole are under "_schema" or "_json".',
            "example": {"what_happened": ["Verplicht veld."]},
        },
    )
