"""Reflections: the medewerker's own (raw text, author only) and the team's (de-identified only).

Route → schema → service (server/services/reflections.py) → answer.
"""

import zoneinfo

from flask import g
from flask_smorest import Blueprint

from server.api import answered, paginate
from server.auth.access import content_team_or_404, login_required, writing_team
from server.extensions import db
from server.idempotency import commit_once
from server.models import REFLECTION_TEXT_FIELDS, Reflection
from server.schemas.common import page_of, values_of
from server.schemas.reflections import (
    ReflectionArgs,
    ReflectionListArgs,
    ReflectionOut,
    ReflectionPatchArgs,
    TeamReflectionArgs,
    TeamReflectionOut,
    ThemeRefOut,
)
from server.services import reflections
from server.services.team_themes import theme_label
from server.weeks import iso_week_of

blp = Blueprint("reflections", __name__, url_prefix="/api/v1", description="Reflecties")


def themes_out(reflection: Reflection, shown_text: str | None = None) -> list[dict]:
    """The reflection's themes. `shown_text`: the only text the reader may see (team views)."""
    return [
        values_of(
            ThemeRefOut,
            theme,
            id=theme.theme_id,
            label=theme_label(theme.theme_id),
            matched=theme.matched
            if shown_text is None
            else reflections.visible_matches(theme.matched, shown_text),
        )
        for theme in reflections.ordered_themes(reflection)
    ]


def reflection_out(reflection: Reflection) -> dict:
    return values_of(
        ReflectionOut,
        reflection,
        themes=themes_out(reflection),
        editable_until=reflections.editable_until(reflection),
    )


def team_reflection_out(reflection: Reflection, zone) -> dict:
    text = reflection.deidentified or {}
    return values_of(
        TeamReflectionOut,
        reflection,
        iso_week=iso_week_of(reflection.occurred_at, zone),
        themes=themes_out(reflection, reflections.shown_text(reflection)),
        **{field: text.get(field, "") for field in REFLECTION_TEXT_FIELDS},
    )


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
        fields = dict(args)
        team = writing_team(fields.pop("team_id"))
        reflection, created = reflections.create(fields, g.user.id, team, look_for_replay=len(attempts) > 1)
        # Serialised before commit: a replayed row would be expired by it, costing a SELECT to read
        # back. A new row's values are all set in Python (nothing comes from the database).
        return reflection_out(reflection), created

    body, created = commit_once(create)
    return answered(body, 201 if created else 200)


@blp.get("/reflections")
@blp.arguments(ReflectionListArgs, location="query")
@blp.response(200, page_of(ReflectionOut, "ReflectionPage"))
@login_required
def list_reflections(args):
    return paginate(reflections.own_reflections(g.user, args), args, reflection_out)


@blp.get("/reflections/<uuid:reflection_id>")
@blp.response(200, ReflectionOut)
@login_required
def get_reflection(reflection_id):
    return reflection_out(reflections.own_reflection_or_404(reflection_id))


@blp.patch("/reflections/<uuid:reflection_id>")
@blp.arguments(ReflectionPatchArgs)
@blp.response(200, ReflectionOut)
@login_required
def update_reflection(args, reflection_id):
    reflection = reflections.own_reflection_or_404(reflection_id)
    reflections.update(reflection, args)
    db.session.commit()
    return reflection_out(reflection)


@blp.delete("/reflections/<uuid:reflection_id>")
@blp.response(204)
@login_required
def delete_reflection(reflection_id):
    reflections.delete(reflections.own_reflection_or_404(reflection_id))
    db.session.commit()


@blp.get("/team/reflections")
@blp.arguments(TeamReflectionArgs, location="query")
@blp.response(200, page_of(TeamReflectionOut, "TeamReflectionPage"))
@blp.alt_response(404, "NOT_FOUND")  # ?team_id= names a team you are not in
@login_required
def team_reflections(args):
    """Shared and processed reflections of the team: de-identified text, week-level dates, no author."""
    team = content_team_or_404(args["team_id"] or writing_team(None).id)
    zone = zoneinfo.ZoneInfo(team.timezone)
    page = paginate(
        reflections.team_reflections(team, args.get("theme")), args, lambda r: team_reflection_out(r, zone)
    )
    page["items"].sort(key=lambda item: (item["iso_week"], str(item["id"])), reverse=True)
    reflections.note_team_read(team)
    db.session.commit()
    return page
