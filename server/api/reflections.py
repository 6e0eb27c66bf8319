"""Reflections: the medewerker's own (raw text, author only) and the team's (de-identified only)."""

import uuid
import zoneinfo
from datetime import UTC, datetime, time, timedelta

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import select

from server.api import paginate
from server.api.visits import create_or_replay_visit, own_visit_or_404
from server.audit import audit
from server.auth.access import (
    content_team_or_404,
    login_required,
    own_or_404,
    own_reference_or_422,
    writing_team,
)
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.i18n import gettext
from server.idempotency import commit_once, find_replay, payload_hash
from server.models import REFLECTION_TEXT_FIELDS, LearningQuestion, Reflection, ReflectionTheme, utcnow
from server.privacy.placeholders import without_placeholders
from server.schemas.common import page_of
from server.schemas.work import (
    ReflectionArgs,
    ReflectionListArgs,
    ReflectionOut,
    ReflectionPatchArgs,
    TeamReflectionArgs,
    TeamReflectionOut,
)
from server.team_themes import allowed_theme_ids, theme_label
from server.weeks import iso_week_of

blp = Blueprint("reflections", __name__, url_prefix="/api/v1", description="Reflecties")

EDIT_WINDOW = timedelta(hours=24)


def themes_body(reflection: Reflection, shown_text: str | None = None) -> list[dict]:
    """The reflection's themes. `shown_text`: the only text the reader may see (team views)."""
    order = {"author": 0, "suggested": 1, "classifier": 2}
    rows = sorted(reflection.themes, key=lambda t: (order.get(t.source, 3), -(t.score or 0)))
    return [
        {
            "id": t.theme_id,
            "label": theme_label(t.theme_id),
            "source": t.source,
            "score": t.score,
            "matched": t.matched if shown_text is None else visible_matches(t.matched, shown_text),
        }
        for t in rows
    ]


def visible_matches(words: list[str], shown_text: str) -> list[str]:
    """Only matched words that occur in the text the reader sees.

    The worker classifies the de-identified text, so this drops nothing for rows it wrote; it is the
    last line of defence for rows matched on raw text before that (and for any future slip).
    """
    # Inside a placeholder a word is not the author's: "[school]" or "[naam 1]" explains nothing.
    haystack = " ".join(without_placeholders(shown_text, " | ").split()).lower()
    return [word for word in words or [] if " ".join(str(word).split()).lower() in haystack]


def reflection_body(reflection: Reflection) -> dict:
    body = {
        column: getattr(reflection, column)
        for column in (
            "id",
            "client_id",
            "team_id",
            "visit_id",
            "occurred_at",
            "received_at",
            "updated_at",
            "learning_zone",
            "energy",
            "visibility",
            "previous_intention_outcome",
            "learning_question_id",
            "processed_at",
            "safety_signal",
            *REFLECTION_TEXT_FIELDS,
        )
    }
    body["themes"] = themes_body(reflection)
    body["editable_until"] = reflection.received_at + EDIT_WINDOW
    return body


def _validate_themes(team_id, themes: list[str], suggested: list[str]) -> None:
    if themes:  # the team's own themes cost a query: only when the author picked any
        allowed = allowed_theme_ids(team_id, kind="reflection")
        unknown = [theme for theme in themes if theme not in allowed]
        if unknown:
            # Outside the Problem(...) call: pybabel skips a gettext inside a list inside a keyword call.
            named = [gettext("Onbekend thema: %(theme)s", theme=t) for t in unknown]
            raise Problem(422, "Onbekend thema.", errors={"themes": named})
    if not set(suggested) <= set(themes):
        raise Problem(
            422,
            "Een bevestigde suggestie hoort ook bij de thema's.",
            errors={"suggested": ["Moet een deel van themes zijn."]},
        )


def _set_author_themes(reflection: Reflection, themes: list[str], suggested: list[str]) -> None:
    """The author's chips always win: they replace earlier chips and any classifier guess for them."""
    keep = [t for t in reflection.themes if t.source == "classifier" and t.theme_id not in themes]
    reflection.themes = keep + [
        # matched as the column default sets it at flush: a new row is serialised before its flush.
        ReflectionTheme(theme_id=theme, source="suggested" if theme in suggested else "author", matched=[])
        for theme in dict.fromkeys(themes)
    ]


def _create(args: dict, look_for_replay: bool) -> tuple[Reflection, bool]:
    """(reflection, created); nothing is flushed, so the caller's commit writes it in one go.

    `look_for_replay=False` is the optimistic first attempt: a new client_id (nearly every write)
    skips the replay lookup, and a replay instead fails the unique (author_id, client_id) constraint
    at commit, after which commit_once calls us again with `look_for_replay=True`. A replay that no
    longer passes validation (a theme since removed) still answers with the original row.
    """
    team = writing_team(args.pop("team_id"))
    fingerprint = payload_hash(args)

    def replay() -> Reflection | None:
        return find_replay(Reflection, Reflection.author_id, g.user.id, args["client_id"], fingerprint)

    if look_for_replay and (existing := replay()) is not None:
        return existing, False
    try:
        _validate_themes(team.id, args["themes"], args["suggested"])
        own_reference_or_422(
            LearningQuestion, args["learning_question_id"], "learning_question_id", "Onbekende leervraag."
        )
        visit_id = args["visit_id"]
        if args["visit"] is not None:
            visit_id = create_or_replay_visit(args["visit"], team)[0].id
        elif visit_id is not None:
            own_visit_or_404(visit_id)
    except Problem:
        if not look_for_replay and (existing := replay()) is not None:
            return existing, False
        raise
    reflection = Reflection(
        # Set here rather than by the column defaults at flush: the event and the answer need them
        # before the one flush that commit does.
        id=uuid.uuid4(),
        received_at=utcnow(),
        client_id=args["client_id"],
        author_id=g.user.id,
        team_id=team.id,
        visit_id=visit_id,
        occurred_at=args["occurred_at"],
        learning_zone=args["learning_zone"],
        energy=args["energy"],
        visibility=args["visibility"],
        previous_intention_outcome=args["previous_intention_outcome"],
        learning_question_id=args["learning_question_id"],
        payload_hash=fingerprint,
        **{field: args[field] for field in REFLECTION_TEXT_FIELDS},
    )
    _set_author_themes(reflection, args["themes"], args["suggested"])
    _flag_safety(reflection)
    db.session.add(reflection)
    emit(Event.REFLECTION_SUBMITTED, reflection_id=reflection.id)
    return reflection, True


def _flag_safety(reflection: Reflection) -> None:
    """Detected right away (pure rules, no NLP models) so the PWA can show the meldcode steps at once."""
    from server.themes import detect_safety_signal

    signal = detect_safety_signal("\n".join(getattr(reflection, f) or "" for f in REFLECTION_TEXT_FIELDS))
    reflection.safety_signal = signal.kind if signal else None


@blp.post("/reflections")
@blp.arguments(ReflectionArgs)
@blp.response(201, ReflectionOut)
@blp.alt_response(200, schema=ReflectionOut, description="Replay of an earlier client_id")
@blp.alt_response(404, "NOT_FOUND")  # visit_id names a visit that is not yours
@login_required
def create_reflection(args):
    attempts = []

    def create():
        attempts.append(1)
        reflection, created = _create(dict(args), look_for_replay=len(attempts) > 1)
        # Serialised before commit: every value is set (nothing comes from the database), and commit
        # would expire them, costing two SELECTs to read back what we just wrote. Before the flush,
        # too: on SQLite the write lock is held from the first INSERT to COMMIT, so no Python work
        # in between.
        return reflection_body(reflection), created

    body, created = commit_once(create)
    return body, 201 if created else 200


def _local_day_start(day, zone) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


@blp.get("/reflections")
@blp.arguments(ReflectionListArgs, location="query")
@blp.response(200, page_of(ReflectionOut, "ReflectionPage"))
@login_required
def list_reflections(args):
    stmt = select(Reflection).where(Reflection.author_id == g.user.id)
    zone = zoneinfo.ZoneInfo(
        g.user.memberships[0].team.timezone if g.user.memberships else "Europe/Amsterdam"
    )
    if "theme" in args:
        stmt = stmt.where(Reflection.themes.any(ReflectionTheme.theme_id == args["theme"]))
    if "since" in args:
        stmt = stmt.where(Reflection.occurred_at >= _local_day_start(args["since"], zone))
    if "until" in args:
        stmt = stmt.where(Reflection.occurred_at < _local_day_start(args["until"] + timedelta(days=1), zone))
    stmt = stmt.order_by(Reflection.occurred_at.desc(), Reflection.received_at.desc())
    return paginate(stmt, args, reflection_body)


def own_reflection_or_404(reflection_id) -> Reflection:
    return own_or_404(Reflection, reflection_id, "Deze reflectie bestaat niet, of is niet van jou.")


@blp.get("/reflections/<uuid:reflection_id>")
@blp.response(200, ReflectionOut)
@login_required
def get_reflection(reflection_id):
    return reflection_body(own_reflection_or_404(reflection_id))


@blp.patch("/reflections/<uuid:reflection_id>")
@blp.arguments(ReflectionPatchArgs)
@blp.response(200, ReflectionOut)
@login_required
def update_reflection(args, reflection_id):
    reflection = own_reflection_or_404(reflection_id)
    if utcnow() > reflection.received_at + EDIT_WINDOW:
        raise Problem(403, "Een reflectie kun je tot 24 uur na het opslaan aanpassen.")
    if reflection.raw_purged_at is not None:
        raise Problem(403, "Deze reflectie is al geanonimiseerd en kan niet meer worden aangepast.")
    if "themes" in args:
        _validate_themes(reflection.team_id, args["themes"], [])
        _set_author_themes(reflection, args.pop("themes"), [])
    for field, value in args.items():
        setattr(reflection, field, value)
    reflection.updated_at = utcnow()
    # Until the worker has de-identified the new text, the team sees nothing of it.
    reflection.processed_at = None
    reflection.deidentified = None
    _flag_safety(reflection)
    emit(Event.REFLECTION_UPDATED, reflection_id=reflection.id)
    db.session.commit()
    return reflection_body(reflection)


@blp.delete("/reflections/<uuid:reflection_id>")
@blp.response(204)
@login_required
def delete_reflection(reflection_id):
    reflection = own_reflection_or_404(reflection_id)
    # The row is gone when the worker runs, so the event names the team-week to recompute.
    emit(Event.REFLECTION_DELETED, team_id=reflection.team_id, occurred_at=reflection.occurred_at.isoformat())
    db.session.delete(reflection)
    db.session.commit()


def team_reflection_body(reflection: Reflection, zone) -> dict:
    text = reflection.deidentified or {}
    shown = "\n".join(text.get(field) or "" for field in REFLECTION_TEXT_FIELDS)
    return {
        "id": reflection.id,
        "iso_week": iso_week_of(reflection.occurred_at, zone),
        "learning_zone": reflection.learning_zone,
        "themes": themes_body(reflection, shown),
        **{field: text.get(field, "") for field in REFLECTION_TEXT_FIELDS},
    }


@blp.get("/team/reflections")
@blp.arguments(TeamReflectionArgs, location="query")
@blp.response(200, page_of(TeamReflectionOut, "TeamReflectionPage"))
@blp.alt_response(404, "NOT_FOUND")  # ?team_id= names a team you are not in
@login_required
def team_reflections(args):
    """Shared and processed reflections of the team: de-identified text, week-level dates, no author."""
    team_id = args["team_id"] or writing_team(None).id
    team = content_team_or_404(team_id)
    zone = zoneinfo.ZoneInfo(team.timezone)
    stmt = select(Reflection).where(
        Reflection.team_id == team.id, Reflection.visibility == "team", Reflection.processed_at.is_not(None)
    )
    if "theme" in args:
        stmt = stmt.where(Reflection.themes.any(ReflectionTheme.theme_id == args["theme"]))
    # Newest weeks first; within a week the random UUID order hides who wrote when.
    stmt = stmt.order_by(Reflection.occurred_at.desc(), Reflection.id)
    page = paginate(stmt, args, lambda r: team_reflection_body(r, zone))
    page["items"].sort(key=lambda item: (item["iso_week"], str(item["id"])), reverse=True)
    audit("team.reflections.read", "team", team.id, team_id=team.id)
    db.session.commit()
    return page
