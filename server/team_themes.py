"""Themes as the database knows them: the shipped taxonomy plus each team's own themes."""

from sqlalchemy import select

from server.extensions import db
from server.i18n import theme_name
from server.models import Theme
from server.themes import THEMES, TeamTheme, theme_by_id


def team_theme_rows(team_id) -> list[Theme]:
    return list(
        db.session.scalars(
            select(Theme).where(Theme.team_id == team_id, Theme.active.is_(True)).order_by(Theme.label)
        )
    )


def team_themes_for_classifier(team_id) -> list[TeamTheme]:
    return [
        TeamTheme(id=row.id, label=row.label, keywords=list(row.keywords)) for row in team_theme_rows(team_id)
    ]


def allowed_theme_ids(team_id, kind: str = "reflection") -> set[str]:
    groups = {"leren", "ervaring"} if kind == "feedback" else {"leren"}
    return {t.id for t in THEMES if t.group in groups} | {row.id for row in team_theme_rows(team_id)}


def theme_label(theme_id: str) -> str:
    """A standard theme in the reader's language; a team's own theme as the team named it."""
    theme = theme_by_id(theme_id)
    if theme is not None:
        return theme_name(theme.id, theme.label)
    row = db.session.get(Theme, theme_id)
    return row.label if row is not None else theme_id
