"""Themes as the database knows them: the shipped taxonomy plus each team's own themes, and who
keeps knowledge on each (aandachtsfunctionaris). A change to a team's themes has the last 8 weeks
classified again (Event.TEAM_THEMES_CHANGED)."""

from sqlalchemy import delete, select

from server.audit import audit, note_denial
from server.auth.caller import CallerTeam
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.i18n import gettext, theme_name
from server.models import Membership, Team, Theme, ThemeKeeper, User
from server.themes import THEMES, Suggestion, TeamTheme, detect_safety_signal, get_classifier, theme_by_id


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


def keepers(team_id) -> dict[str, list[dict]]:
    """Per theme id: the team members who keep knowledge on it."""
    rows = db.session.execute(
        select(ThemeKeeper.theme_id, User.id, User.display_name)
        .join(User, User.id == ThemeKeeper.user_id)
        .where(ThemeKeeper.team_id == team_id)
    )
    found: dict[str, list[dict]] = {}
    for theme_id, user_id, name in rows:
        found.setdefault(theme_id, []).append({"id": str(user_id), "display_name": name})
    return found


def _keywords(words: list[str]) -> list[str]:
    return list(dict.fromkeys(word.strip() for word in words if word.strip()))


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


def _changed(team: Team, action: str, row: Theme) -> None:
    # Texts of the last 8 weeks are classified again, so the change shows up in the aggregates.
    emit(Event.TEAM_THEMES_CHANGED, team_id=team.id)
    audit(action, "theme", row.id, team_id=team.id)


def create(team: Team, args: dict) -> Theme:
    row = Theme(
        team_id=team.id,
        label=args["label"],
        description=args["description"],
        keywords=_keywords(args["keywords"]),
    )
    db.session.add(row)
    db.session.flush()
    _set_keepers(team.id, row.id, args["keeper_ids"])
    _changed(team, "theme.create", row)
    return row


def team_theme_or_404(team_id, theme_id) -> Theme:
    row = db.session.get(Theme, theme_id)
    if row is None or row.team_id != team_id:
        note_denial("other_team" if row else "missing", "theme", theme_id, team_id=team_id)
        raise Problem(404, "Dit thema bestaat niet in dit team.")
    return row


def update(team: Team, theme_id: str, changes: dict) -> Theme | None:
    """The changed team theme; None for a taxonomy theme (whose keepers are all a team chooses)."""
    if theme_by_id(theme_id) is not None:
        # Taxonomy themes are shared; a team only chooses who keeps knowledge on them.
        if set(changes) - {"keeper_ids"}:
            raise Problem(422, "Van een standaardthema kun je alleen de aandachtsfunctionaris kiezen.")
        _set_keepers(team.id, theme_id, changes.get("keeper_ids", []))
        return None
    row = team_theme_or_404(team.id, theme_id)
    for field in ("label", "description", "active"):
        if field in changes:
            setattr(row, field, changes[field])
    if "keywords" in changes:
        row.keywords = _keywords(changes["keywords"])
    if "keeper_ids" in changes:
        _set_keepers(team.id, row.id, changes["keeper_ids"])
    _changed(team, "theme.update", row)
    return row


def deactivate(team: Team, theme_id: str) -> None:
    row = team_theme_or_404(team.id, theme_id)
    # Deactivate rather than delete: past reflections and aggregates keep their label.
    row.active = False
    _changed(team, "theme.delete", row)


def suggest(text: str, kind: str, team: CallerTeam | None) -> tuple[list[tuple[Suggestion, str]], str | None]:
    """Themes for a text being typed, each with its label, and the safety signal in it (or None)."""
    team_themes = team_themes_for_classifier(team.id) if team else []
    ranked = get_classifier().suggest(text, kind=kind, team_themes=team_themes)
    labels = {row.id: row.label for row in team_theme_rows(team.id)} if team else {}
    signal = detect_safety_signal(text)
    return [(s, labels.get(s.id) or theme_label(s.id)) for s in ranked], signal.kind if signal else None
