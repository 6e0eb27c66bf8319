"""`leerlus digest build --team <id or name> --week 2026-W47`: build one digest now, in this process."""

import json
import uuid

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from server.extensions import db


@click.group("digest")
def digest_group():
    """Weekly theme digests."""


@digest_group.command("build")
@click.option("--team", "team_ref", required=True, help="Team id or exact team name.")
@click.option("--week", required=True, help="ISO week, e.g. 2026-W47.")
@with_appcontext
def digest_build(team_ref, week):
    """Build (or rebuild) one team-week's digest; it is not announced."""
    from server.models import Team
    from server.weeks import parse_week
    from workers.digest import build_digest

    try:
        parse_week(week)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--week") from error
    try:
        team = db.session.get(Team, uuid.UUID(team_ref))
    except ValueError:
        team = None
    matches = [team] if team else db.session.scalars(select(Team).where(Team.name == team_ref)).all()
    if len(matches) != 1:
        raise click.ClickException(f"geen of meer dan één team gevonden voor {team_ref!r}")
    content = build_digest(matches[0].id, week)
    numbers = content["numbers"]
    click.echo(
        json.dumps(
            {
                "team": content["team"]["name"],
                "iso_week": week,
                "reflections": numbers["reflections"].get("value"),
                "themes": [item["id"] for item in content["themes"]["items"]],
            },
            ensure_ascii=False,
        )
    )
