"""Themes: the shared taxonomy, team themes with their keepers, and suggestions while typing."""

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import delete, select

from server.audit import audit, note_denial
from server.auth.access import LEADS, login_required, team_or_404, writing_team
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.i18n import gettext, theme_name
from server.models import Membership, Theme, ThemeKeeper, User
from server.schemas.work import (
    SuggestArgs,
    SuggestOut,
    TeamThemeArgs,
    TeamThemePatchArgs,
    ThemeListArgs,
    ThemeListOut,
    ThemeOut,
)
from server.team_themes import team_theme_rows, team_themes_for_classifier, theme_label
from server.themes import THEMES, get_classifier, theme_by_id

blp = Blueprint("themes", __name__, url_prefix="/api/v1", description="Thema's")


def _keepers(team_id) -> dict[str, list[dict]]:
    rows = db.session.execute(
        select(ThemeKeeper.theme_id, User.id, User.display_name)
        .join(User, User.id == ThemeKeeper.user_id)
        .where(ThemeKeeper.team_id == team_id)
    )
    keepers: dict[str, list[dict]] = {}
    for theme_id, user_id, name in rows:
        keepers.setdefault(theme_id, []).append({"id": str(user_id), "display_name": name})
    return keepers


def _theme_list(team_id) -> list[dict]:
    keepers = _keepers(team_id) if team_id else {}
    items = [
        {
            "id": t.id,
            "label": theme_name(t.id, t.label),
            "group": t.group,
            "description": t.description,
            "team_id": None,
            "keywords": [],
            "keepers": keepers.get(t.id, []),
        }
        for t in THEMES
    ]
    if team_id:
        items += [
            {
                "id": row.id,
                "label": row.label,
                "group": "team",
                "description": row.description,
                "team_id": row.team_id,
                "keywords": row.keywords,
                "keepers": keepers.get(row.id, []),
            }
            for row in team_theme_rows(team_id)
        ]
    return items


@blp.get("/themes")
@blp.arguments(ThemeListArgs, location="query")
@blp.response(200, ThemeListOut)
@blp.alt_response(404, "NOT_FOUND")  # ?team_id= names a team you are not in
@login_required
def list_themes(args):
    """The taxonomy plus a team's own themes: `team_id`'s, or the first team's when none is given."""
    if args["team_id"] is not None:
        team_id = team_or_404(args["team_id"]).id
    else:
        team_id = g.user.memberships[0].team_id if g.user.memberships else None
    return {"items": _theme_list(team_id)}


@blp.post("/themes/suggest")
@blp.arguments(SuggestArgs)
@blp.response(200, SuggestOut)
@login_required
def suggest(args):
    from server.themes import detect_safety_signal

    team = writing_team(args["team_id"]) if g.user.memberships else None
    team_themes = team_themes_for_classifier(team.id) if team else []
    ranked = get_classifier().suggest(args["text"], kind=args["kind"], team_themes=team_themes)
    labels = {row.id: row.label for row in team_theme_rows(team.id)} if team else {}
    signal = detect_safety_signal(args["text"])
    return {
        "items": [
            {
                "id": s.id,
                "label": labels.get(s.id) or theme_label(s.id),
                "score": s.score,
                "matched": s.matches,
            }
            for s in ranked
        ],
        "safety_signal": signal.kind if signal else None,
    }


@blp.get("/teams/<uuid:team_id>/themes")
@blp.response(200, ThemeListOut)
@login_required
def list_team_themes(team_id):
    return {"items": _theme_list(team_or_404(team_id).id)}


def _set_keepers(team_id, theme_id: str, keeper_ids) -> None:
    members = set(db.session.scalars(select(Membership.user_id).where(Membership.team_id == team_id)))
    strangers = [str(k) for k in keeper_ids if k not in members]
    if strangers:
        # Outside the Problem(...) call: pybabel skips a gettext inside a list inside a keyword call.
        named = [gettext("Geen teamlid: %(id)s", id=s) for s in strangers]
        raise Problem(422, "Een aandachtsfunctionaris moet in het team zitten.", errors={"keeper_ids": named})
    db.session.execute(
        delete(ThemeKeeper).where(ThemeKeeper.team_id == team_id, ThemeKeeper.theme_id == theme_id)
    )
    for user_id in dict.fromkeys(keeper_ids):
        db.session.add(ThemeKeeper(team_id=team_id, theme_id=theme_id, user_id=user_id))


def _team_theme_body(row: Theme) -> dict:
    return {
        "id": row.id,
        "label": row.label,
        "group": "team",
        "description": row.description,
        "team_id": row.team_id,
        "keywords": row.keywords,
        "keepers": _keepers(row.team_id).get(row.id, []),
    }


@blp.post("/teams/<uuid:team_id>/themes")
@blp.arguments(TeamThemeArgs)
@blp.response(201, ThemeOut)
@login_required
def create_team_theme(args, team_id):
    team = team_or_404(team_id, LEADS)
    row = Theme(
        team_id=team.id,
        label=args["label"],
        description=args["description"],
        keywords=list(dict.fromkeys(k.strip() for k in args["keywords"] if k.strip())),
    )
    db.session.add(row)
    db.session.flush()
    _set_keepers(team.id, row.id, args["keeper_ids"])
    # Texts of the last 8 weeks are classified again, so the new theme shows up in the aggregates.
    emit(Event.TEAM_THEMES_CHANGED, team_id=team.id)
    audit("theme.create", "theme", row.id, team_id=team.id)
    db.session.commit()
    return _team_theme_body(row)


def _team_theme_or_404(team_id, theme_id) -> Theme:
    row = db.session.get(Theme, theme_id)
    if row is None or row.team_id != team_id:
        note_denial("other_team" if row else "missing", "theme", theme_id, team_id=team_id)
        raise Problem(404, "Dit thema bestaat niet in dit team.")
    return row


@blp.patch("/teams/<uuid:team_id>/themes/<string:theme_id>")
@blp.arguments(TeamThemePatchArgs)
@blp.response(200, ThemeOut)
@login_required
def update_team_theme(args, team_id, theme_id):
    team = team_or_404(team_id, LEADS)
    if theme_by_id(theme_id) is not None:
        # Taxonomy themes are shared; a team only chooses who keeps knowledge on them.
        if set(args) - {"keeper_ids"}:
            raise Problem(422, "Van een standaardthema kun je alleen de aandachtsfunctionaris kiezen.")
        _set_keepers(team.id, theme_id, args.get("keeper_ids", []))
        db.session.commit()
        return next(item for item in _theme_list(team.id) if item["id"] == theme_id)
    row = _team_theme_or_404(team.id, theme_id)
    for field in ("label", "description", "active"):
        if field in args:
            setattr(row, field, args[field])
    if "keywords" in args:
        row.keywords = list(dict.fromkeys(k.strip() for k in args["keywords"] if k.strip()))
    if "keeper_ids" in args:
        _set_keepers(team.id, row.id, args["keeper_ids"])
    emit(Event.TEAM_THEMES_CHANGED, team_id=team.id)
    audit("theme.update", "theme", row.id, team_id=team.id)
    db.session.commit()
    return _team_theme_body(row)


@blp.delete("/teams/<uuid:team_id>/themes/<string:theme_id>")
@blp.response(204)
@login_required
def delete_team_theme(team_id, theme_id):
    team = team_or_404(team_id, LEADS)
    row = _team_theme_or_404(team.id, theme_id)
    # Deactivate rather than delete: past reflections and aggregates keep their label.
    row.active = False
    emit(Event.TEAM_THEMES_CHANGED, team_id=team.id)
    audit("theme.delete", "theme", row.id, team_id=team.id)
    db.session.commit()
