"""Push subscriptions (the browser's PushSubscription JSON) and notifications."""

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric import ec
from marshmallow import ValidationError, fields, validate, validates

from server.schemas.common import PageArgs, PageSchema, StrictSchema, Text


def _b64url(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValidationError("Geen geldige base64url-tekst.") from error


class SubscriptionKeys(StrictSchema):
    p256dh = Text(required=True, validate=validate.Length(min=80, max=100))
    auth = Text(required=True, validate=validate.Length(min=16, max=32))

    @validates("p256dh")
    def _p256dh(self, value: str, **_) -> None:
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64url(value))
        except ValueError as error:
            raise ValidationError("Geen geldige P-256 publieke sleutel.") from error

    @validates("auth")
    def _auth(self, value: str, **_) -> None:
        if len(_b64url(value)) != 16:
            raise ValidationError("De auth-sleutel moet 16 bytes zijn.")


class SubscriptionArgs(StrictSchema):
    endpoint = Text(required=True, validate=validate.Length(min=1, max=1000))
    keys = fields.Nested(SubscriptionKeys, required=True)
    # Sent by PushSubscription.toJSON(); the server's own clean-up decides when it is stale.
    expirationTime = fields.Float(allow_none=True, load_default=None)  # noqa: N815 - browser's name


class EndpointArgs(StrictSchema):
    endpoint = Text(validate=validate.Length(min=1, max=1000))


class SubscriptionOut(StrictSchema):
    id = fields.UUID()
    endpoint = fields.String()
    created_at = fields.DateTime()
    last_success_at = fields.DateTime(allow_none=True)
    failures = fields.Integer()


class VapidKeyOut(StrictSchema):
    public_key = fields.String(
        metadata={"description": "applicationServerKey (base64url, uncompressed P-256)"}
    )


class PushTestOut(StrictSchema):
    notification_id = fields.UUID()
    subscriptions = fields.Integer()


class NotificationVisitOut(StrictSchema):
    """The recipient's own visit a notification is about (a contact request, a reminder)."""

    id = fields.UUID()
    kind = fields.String()
    occurred_at = fields.DateTime()
    note = fields.String(
        allow_none=True,
        metadata={
            "description": "the medewerker's own note: the visit's pseudonym, else their reflection's opening"
        },
    )


class NotificationOut(StrictSchema):
    id = fields.UUID()
    kind = fields.String()
    ref = fields.Dict(keys=fields.String(), values=fields.String())
    status = fields.String()
    created_at = fields.DateTime()
    scheduled_for = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    read_at = fields.DateTime(allow_none=True)
    title = fields.String(metadata={"description": "the push message's Dutch title"})
    visit = fields.Nested(NotificationVisitOut, allow_none=True)


class NotificationListArgs(PageArgs):
    unread = fields.Boolean(metadata={"description": "only unread (true) or only read (false)"})


class NotificationPage(PageSchema):
    items = fields.List(fields.Nested(NotificationOut))
    unread = fields.Integer(metadata={"description": "how many of the user's notifications are unread"})


class NotificationPatchArgs(StrictSchema):
    read = fields.Boolean(required=True)


class NotificationsReadOut(StrictSchema):
    marked = fields.Integer()
    unread = fields.Integer()
