"""AVG duties: export and erase my own data; the audit log for beheerders."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import g, jsonify, make_response
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields, validate, validates_schema
from sqlalchemy import and_, func, or_, select

from server.api import intervisie, paginate
from server.audit import AUTHORED_OBJECTS, DENIED_ACTION, PSEUDONYM_PREFIX, audit, shown_row
from server.audit_labels import action_label, object_kinds, object_label
from server.auth.access import is_admin, login_required
from server.auth.passwords import verify_password
from server.auth.sessions import account, clear_cookie
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.models import (
    REFLECTION_TEXT_FIELDS,
    Action,
    AuditLog,
    FeedbackLink,
    InwonerFeedback,
    LearningQuestion,
    Notification,
    PushSubscription,
    Reflection,
    Team,
    User,
    Visit,
)
from server.schemas.common import MAX_PAGE, PageSchema, StrictSchema, Text

blp = Blueprint("privacy", __name__, url_prefix="/api/v1", description="Je gegevens en het auditlog")


class EraseArgs(StrictSchema):
    password = Text(required=True, validate=validate.Length(min=1, max=200))


class AuditArgs(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    subject_user_id = fields.UUID()
    object_id = Text(validate=validate.Length(max=80))
    action = Text(validate=validate.Length(max=60))
    actor_id = fields.UUID()
    person_id = fields.UUID(metadata={"description": "rows this person did, or that are about them"})
    team_id = fields.UUID()
    object_type = Text(validate=validate.Length(max=40))
    since = fields.Date(metadata={"description": "first day (Europe/Amsterdam), inclusive"})
    until = fields.Date(metadata={"description": "last day (Europe/Amsterdam), inclusive"})

    @validates_schema
    def _period(self, data, **_):
        errors = {}
        for key in ("since", "until"):
            if key in data and not 2000 <= data[key].year <= 2100:
                errors[key] = ["Kies een datum tussen 2000 en 2100."]
        if not errors and "since" in data and "until" in data and data["since"] > data["until"]:
            errors["until"] = ["De einddatum ligt voor de begindatum."]
        if errors:
            raise ValidationError(errors)


class AuditOut(StrictSchema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.UUID(allow_none=True)
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String(allow_none=True)
    subject_user_id = fields.UUID(allow_none=True)
    team_id = fields.UUID(allow_none=True)
    reason = fields.String(allow_none=True)
    result = fields.String()
    origin = fields.String(allow_none=True)
    actor_name = fields.String(allow_none=True)
    subject_name = fields.String(allow_none=True)
    team_name = fields.String(allow_none=True)
    action_label = fields.String(metadata={"description": "the action in the caller's language"})
    object_label = fields.String(metadata={"description": "the object type in the caller's language"})


class AuditKindOut(StrictSchema):
    id = fields.String()
    label = fields.String()


class AuditPage(PageSchema):
    items = fields.List(fields.Nested(AuditOut))
    kinds = fields.List(
        fields.Nested(AuditKindOut), metadata={"description": "the object types to filter on, labelled"}
    )


class ExportOut(StrictSchema):
    user = fields.Dict()
    teams = fields.List(fields.Dict())
    visits = fields.List(fields.Dict())
    reflections = fields.List(fields.Dict())
    feedback_on_my_visits = fields.List(fields.Dict())
    actions = fields.List(fields.Dict())
    learning_questions = fields.List(fields.Dict())
    push_subscriptions = fields.List(fields.Dict())
    notifications = fields.List(fields.Dict())
    audit_log_about_me = fields.List(fields.Dict())
    intervisie = fields.Dict()


def _rows(model, *conditions) -> list:
    return list(db.session.scalars(select(model).where(*conditions)))


def _columns(row, names) -> dict:
    return {name: getattr(row, name) for name in names}


@blp.get("/me/export")
@blp.response(200, ExportOut)
@login_required
def export_my_data():
    """Everything Leerlus keeps about me, as one JSON document (AVG art. 15 and 20)."""
    user = account()
    reflections = _rows(Reflection, Reflection.author_id == user.id)
    body = {
        "user": _columns(
            user,
            (
                "id",
                "email",
                "display_name",
                "language",
                "created_at",
                "last_seen_at",
                "notify_off",
                "quiet_start",
                "quiet_end",
                "quiet_weekends",
                "nudge_delay_minutes",
                "mfa_enabled",
            ),
        ),
        "teams": [{"id": m.team_id, "name": m.team.name, "role": m.role} for m in user.memberships],
        "visits": [
            _columns(v, ("id", "occurred_at", "kind", "pseudonym", "created_at"))
            for v in _rows(Visit, Visit.author_id == user.id)
        ],
        "reflections": [
            _columns(
                r,
                (
                    "id",
                    "occurred_at",
                    "received_at",
                    "visibility",
                    "learning_zone",
                    "energy",
                    "previous_intention_outcome",
                    "processed_at",
                    *REFLECTION_TEXT_FIELDS,
                ),
            )
            | {
                "themes": [{"id": t.theme_id, "source": t.source} for t in r.themes],
                "deidentified": r.deidentified,
            }
            for r in reflections
        ],
        "feedback_on_my_visits": [
            _columns(f, ("id", "submitted_at", "scores", "comment_deidentified", "contact_requested"))
            for f in _rows(InwonerFeedback, InwonerFeedback.medewerker_id == user.id)
        ],
        "actions": [
            _columns(a, ("id", "title", "due", "status", "created_at", "done_at"))
            for a in _rows(Action, or_(Action.owner_id == user.id, Action.created_by_id == user.id))
        ],
        "learning_questions": [
            _columns(q, ("id", "text", "due", "status", "learned", "shared", "created_at"))
            for q in _rows(LearningQuestion, LearningQuestion.author_id == user.id)
        ],
        "push_subscriptions": [
            _columns(s, ("id", "endpoint", "created_at", "last_success_at"))
            for s in _rows(PushSubscription, PushSubscription.user_id == user.id)
        ],
        "notifications": [
            _columns(n, ("id", "kind", "scheduled_for", "sent_at", "status", "read_at"))
            for n in _rows(Notification, Notification.user_id == user.id)
        ],
        "audit_log_about_me": [
            _columns(a, ("at", "action", "object_type", "object_id", "result"))
            for a in _rows(AuditLog, or_(AuditLog.subject_user_id == user.id, AuditLog.actor_id == user.id))
        ],
        "intervisie": intervisie.export_of(user.id),
    }
    audit("me.export", "user", user.id, subject_user_id=user.id)
    db.session.commit()
    response = make_response(jsonify(body))
    response.headers["Content-Disposition"] = 'attachment; filename="leerlus-mijn-gegevens.json"'
    return response


@blp.delete("/me")
@blp.arguments(EraseArgs)
@blp.alt_response(204, description="Account and everything written by it erased; logged out", success=True)
@login_required
def erase_me(args):
    """Erase my account and everything I wrote (AVG art. 17). The team's figures are recounted."""
    user = account()
    if not verify_password(user.password_hash, args["password"]):
        raise Problem(422, "Bevestig met je wachtwoord.", errors={"password": ["Onjuist wachtwoord."]})
    for reflection in _rows(Reflection, Reflection.author_id == user.id):
        emit(
            Event.REFLECTION_DELETED,
            team_id=reflection.team_id,
            occurred_at=reflection.occurred_at.isoformat(),
        )
        db.session.delete(reflection)
    for feedback in _rows(InwonerFeedback, InwonerFeedback.medewerker_id == user.id):
        emit(Event.FEEDBACK_DELETED, team_id=feedback.team_id, occurred_at=feedback.submitted_at.isoformat())
        db.session.delete(feedback)
    for model, column in ((Visit, Visit.author_id), (LearningQuestion, LearningQuestion.author_id)):
        for row in _rows(model, column == user.id):
            db.session.delete(row)
    intervisie.forget_facilitator(user.id)  # cases, marks and attendance go with the user (ON DELETE CASCADE)
    # Printed cards not yet tied to a visit (a visit's links go with the visit): they stop working.
    for link in _rows(
        FeedbackLink, (FeedbackLink.created_by_id == user.id) & FeedbackLink.visit_id.is_(None)
    ):
        db.session.delete(link)
    # Kept for accountability (NEN 7513): who erased, not what; the audit log holds no content.
    audit("me.erase", "user", user.id, subject_user_id=user.id)
    db.session.delete(db.session.get(User, user.id))
    db.session.commit()
    response = make_response("", 204)
    clear_cookie(response)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@blp.get("/audit")
@blp.arguments(AuditArgs, location="query")
@blp.response(200, AuditPage)
@login_required
def read_audit_log(args):
    """Who read or changed what (beheerders only); reading it is itself audited."""
    if not is_admin(g.user):
        raise Problem(403, "Alleen een beheerder leest het auditlog.")
    stmt = select(AuditLog).order_by(AuditLog.id.desc())
    for field in ("subject_user_id", "object_id", "action", "actor_id", "team_id", "object_type"):
        if field in args:
            stmt = stmt.where(getattr(AuditLog, field) == args[field])
    # Refusals on authored objects written before they were pseudonymised must not be found
    # through their owner or their real id (shown_row masks them in the listing too).
    unmasked = ~and_(
        AuditLog.action == DENIED_ACTION,
        AuditLog.object_type.in_(AUTHORED_OBJECTS),
        ~func.coalesce(AuditLog.object_id, "").startswith(PSEUDONYM_PREFIX),
    )
    if "subject_user_id" in args or "object_id" in args:
        stmt = stmt.where(unmasked)
    if "person_id" in args:
        # Who did it, or whom it was about — but never the owner an older refusal row still names.
        person = args["person_id"]
        stmt = stmt.where(
            or_(AuditLog.actor_id == person, and_(AuditLog.subject_user_id == person, unmasked))
        )
    zone = ZoneInfo(AUDIT_ZONE)
    if "since" in args:
        stmt = stmt.where(AuditLog.at >= datetime.combine(args["since"], time.min, zone))
    if "until" in args:
        stmt = stmt.where(AuditLog.at < datetime.combine(args["until"] + timedelta(days=1), time.min, zone))
    page = paginate(stmt, args, shown_row)
    _add_names(page["items"])
    language = g.user.language
    for item in page["items"]:
        item["action_label"] = action_label(item["action"], language)
        item["object_label"] = object_label(item["object_type"], language)
    page["kinds"] = object_kinds(language)
    audit("audit.read", "audit_log", None, reason=args.get("action"))
    db.session.commit()
    return page


# The audit viewer's days are the installation's days (the teams work in the Netherlands).
AUDIT_ZONE = "Europe/Amsterdam"


def _add_names(items: list[dict]) -> None:
    """Names for the ids a beheerder sees anyway (accounts and teams they manage); an erased account
    has none. A masked row has no subject, so no name can point at an author."""
    user_ids = {item[key] for item in items for key in ("actor_id", "subject_user_id") if item[key]}
    team_ids = {item["team_id"] for item in items if item["team_id"]}
    users = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all())
    teams = dict(db.session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
    for item in items:
        item["actor_name"] = users.get(item["actor_id"])
        item["subject_name"] = users.get(item["subject_user_id"])
        item["team_name"] = teams.get(item["team_id"])
