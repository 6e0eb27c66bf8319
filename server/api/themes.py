"""Themes: the shared taxonomy, team themes with their keepers, and suggestions while typing.

Route → schema → service (server/services/team_themes.py) → answer.
"""

from flask import g
from flask_smorest import Blueprint

from server.auth.access import LEADS, login_required, team_or_404, writing_team
from server.extensions import db
from server.i18n import theme_name
from server.models import Theme
from server.schemas.common import values_of
from server.schemas.themes import (
    SuggestArgs,
    SuggestionOut,
    SuggestOut,
    TeamThemeArgs,
    TeamThemePatchArgs,
    ThemeListArgs,
    ThemeListOut,
    ThemeOut,
)
from server.services import team_themes
from server.themes import THEMES

blp = Blueprint("themes", __name__, url_prefix="/api/v1", description="Thema's")


def _team_theme_out(row: Theme, keepers: dict[str, list[dict]]) -> dict:
    return values_of(ThemeOut, row, group="team", keepers=keepers.get(row.id, []))


def _theme_list(team_id) -> list[dict]:
    keepers = team_themes.keepers(team_id) if team_id else {}
    items = [
        values_of(
            ThemeOut,
            theme,
            label=theme_name(theme.id, theme.label),
            team_id=None,
            keywords=[],
            keepers=keepers.get(theme.id, []),
        )
        for theme in THEMES
    ]
    if team_id:
        items += [_team_theme_out(row, keepers) for row in team_themes.team_theme_rows(team_id)]
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
    team = writing_team(args["team_id"]) if g.user.memberships else None
    ranked, signal = team_themes.suggest(args["text"], args["kind"], team)
    return {
        "items": [
            values_of(SuggestionOut, suggestion, label=label, matched=suggestion.matches)
            for suggestion, label in ranked
        ],
        "safety_signal": signal,
    }


@blp.get("/teams/<uuid:team_id>/themes")
@blp.response(200, ThemeListOut)
@login_required
def list_team_themes(team_id):
    return {"items": _theme_list(team_or_404(team_id).id)}


@blp.post("/teams/<uuid:team_id>/themes")
@blp.arguments(TeamThemeArgs)
@blp.response(201, ThemeOut)
@login_required
def create_team_theme(args, team_id):
    team = team_or_404(team_id, LEADS)
    row = team_themes.create(team, args)
    db.session.commit()
    return _team_theme_out(row, team_themes.keepers(team.id))


@blp.patch("/teams/<uuid:team_id>/themes/<string:theme_id>")
@blp.arguments(TeamThemePatchArgs)
@blp.response(200, ThemeOut)
@login_required
def update_team_theme(args, team_id, theme_id):
    team = team_or_404(team_id, LEADS)
    row = team_themes.update(team, theme_id, args)
    db.session.commit()
    if row is None:  # a taxonomy theme
        return next(item for item in _theme_list(team.id) if item["id"] == theme_id)
    return _team_theme_out(row, team_themes.keepers(team.id))


@blp.delete("/teams/<uuid:team_id>/themes/<string:theme_id>")
@blp.response(204)
@login_required
def delete_team_theme(team_id, theme_id):
    team_themes.deactivate(team_or_404(team_id, LEADS), theme_id)
    db.session.commit()
