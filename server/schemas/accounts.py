"""Schemas for login, the current user, teams, members and invitations."""

import zoneinfo

from marshmallow import ValidationError, fields, validate, validates

from server.i18n import N_
from server.models import ROLES
from server.schemas.common import Line, StrictSchema, Text, text, whole

LANGUAGES = ("nl", "en")
NOTIFICATION_KINDS = ("digest", "nudge", "theme-rising", "action-due", "feedback-contact")
HHMM = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error=N_("Gebruik UU:MM, bijvoorbeeld 18:00."))


class LoginArgs(StrictSchema):
    email = Text(required=True, validate=validate.Length(min=3, max=254))
    password = Text(required=True, validate=validate.Length(min=1, max=200))


class MfaArgs(StrictSchema):
    # Six TOTP digits or a recovery code (URL-safe letters), spaces allowed as people type them.
    code = Text(
        required=True,
        validate=[
            validate.Length(min=6, max=20),
            validate.Regexp(r"^[A-Za-z0-9_ -]+$", error=N_("Alleen cijfers en letters.")),
        ],
    )


class MfaSetupOut(StrictSchema):
    secret = fields.String()
    otpauth_uri = fields.String()
    qr_svg = fields.String()


class RecoveryCodesOut(StrictSchema):
    recovery_codes = fields.List(fields.String(), metadata={"description": "Shown once; each works once."})


class UserOut(StrictSchema):
    id = fields.UUID()
    email = fields.String()
    display_name = fields.String()


class TeamRefOut(StrictSchema):
    id = fields.UUID()
    name = fields.String()
    role = fields.String()


class MeOut(StrictSchema):
    user = fields.Nested(UserOut)
    teams = fields.List(fields.Nested(TeamRefOut))
    csrf_token = fields.String()
    server_time = fields.AwareDateTime()
    language = fields.String()
    mfa_enabled = fields.Boolean()
    # Login's own {"mfa_required": true} means "send a code now"; this says the role needs one at all.
    mfa_required_by_role = fields.Boolean()
    preferences = fields.Dict()
    organisations = fields.List(fields.Nested(TeamRefOut))  # organisation-level roles (gemeente)


class LoginOut(MeOut):
    """MeOut, or — when the account has a second factor — only `mfa_required` and `csrf_token`:
    the session then waits for POST /auth/mfa."""

    mfa_required = fields.Boolean()


class PreferencesArgs(StrictSchema):
    notify_off = fields.List(fields.String(validate=validate.OneOf(NOTIFICATION_KINDS)))
    quiet_start = fields.String(validate=HHMM)
    quiet_end = fields.String(validate=HHMM)
    quiet_weekends = fields.Boolean()
    nudge_delay_minutes = whole(validate=validate.Range(min=5, max=24 * 60))


class MePatchArgs(StrictSchema):
    display_name = Line(validate=validate.Length(min=1, max=120))
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    preferences = fields.Nested(PreferencesArgs)


class PasswordChangeArgs(StrictSchema):
    current_password = Text(required=True, validate=validate.Length(min=1, max=200))
    new_password = Text(required=True, validate=validate.Length(min=1, max=200))


class ResetRequestArgs(StrictSchema):
    email = Text(required=True, validate=validate.Length(min=3, max=254))


class NewPasswordArgs(StrictSchema):
    password = Text(required=True, validate=validate.Length(min=1, max=200))
    display_name = Line(validate=validate.Length(min=1, max=120))


class TeamSettings(StrictSchema):
    name = Line(validate=validate.Length(min=1, max=200))
    timezone = fields.String()
    digest_weekday = fields.Integer(validate=validate.Range(min=0, max=6))
    digest_hour = fields.Integer(validate=validate.Range(min=0, max=23))
    k_threshold = fields.Integer(
        validate=validate.Range(
            min=3,
            max=20,
            error=N_("Kies een k van {min} tot en met {max} (minimaal 3 collega's per cijfer)."),
        )
    )
    feedback_link_days = fields.Integer(validate=validate.Range(min=1, max=90))
    raw_text_days = fields.Integer(validate=validate.Range(min=1, max=365))
    retention_months = fields.Integer(validate=validate.Range(min=1, max=120))
    wmo_items = fields.List(
        fields.String(
            validate=validate.OneOf(
                ["serieus", "samen_oplossingen", "past_bij_vraag", "weet_waar_terecht", "kwaliteit_leven"]
            )
        ),
        validate=validate.Length(min=1, max=3),
    )
    contact_route = text(300, load_default=None)
    members_see_themes = fields.Boolean()
    feedback_variant = fields.String(
        validate=validate.OneOf(["wmo", "jeugd"]),
        metadata={
            "description": "Default version of the resident page for new links: wmo (adults) or jeugd (12-17)."
        },
    )

    @validates("timezone")
    def _known_zone(self, value, **_):
        if value not in zoneinfo.available_timezones():
            raise ValidationError("Onbekende tijdzone.")


class TeamCreateArgs(TeamSettings):
    name = Line(required=True, validate=validate.Length(min=1, max=200))


class TeamOut(StrictSchema):
    id = fields.UUID()
    name = fields.String()
    timezone = fields.String()
    digest_weekday = fields.Integer()
    digest_hour = fields.Integer()
    k_threshold = fields.Integer()
    feedback_link_days = fields.Integer()
    raw_text_days = fields.Integer()
    retention_months = fields.Integer()
    wmo_items = fields.List(fields.String())
    contact_route = fields.String(allow_none=True)
    members_see_themes = fields.Boolean()
    feedback_variant = fields.String()
    role = fields.String()
    retention_bounds = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Integer()),
        metadata={
            "description": "[min, max] per retention setting, set by the beheerder for the installation."
        },
    )


class MemberOut(StrictSchema):
    id = fields.UUID()
    display_name = fields.String()
    email = fields.String()
    role = fields.String()
    active = fields.Boolean()


class MemberPatchArgs(StrictSchema):
    role = fields.String(validate=validate.OneOf(ROLES))
    active = fields.Boolean()


class InvitationArgs(StrictSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    role = fields.String(load_default="medewerker", validate=validate.OneOf(ROLES))


class InvitationOut(StrictSchema):
    id = fields.UUID()
    email = fields.String()
    role = fields.String()
    expires_at = fields.DateTime()
    # Only when no SMTP is configured: the inviter passes the link on themselves.
    invite_url = fields.String()
    emailed = fields.Boolean()
