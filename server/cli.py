"""The `leerlus` command: a Flask CLI group for every management task.

create_app() imports this module for its commands, so the worker side (workers.*) is imported inside
the commands that run it: the web process never loads the jobs. server.themes.train needs the
optional scikit-learn ("train" extra), so it too is imported only by the command that trains.
"""

import json
import os
import sys
import uuid

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import func, select

from server import create_app, logs
from server.auth.passwords import hash_password, password_problems
from server.backup import BackupError, create_backup, restore_backup, secrets_as_env
from server.backup import new_key as make_key
from server.demo import seed_demo
from server.embedded import exec_gunicorn, run_all
from server.extensions import db
from server.models import Membership, Team, User
from server.push.keys import vapid_group
from server.themes import classify_jsonl, train_model
from server.weeks import parse_week


def _create_app():
    logs.set_role(os.environ.get("LEERLUS_PROCESS", "cli"))
    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
)
def main():
    """Leerlus — leren van het dagelijkse werk in wijkteams."""


def register_commands(app) -> None:
    for command in (
        run_command,
        web_command,
        worker_command,
        scheduler_command,
        demo_command,
        user_group,
        themes_group,
        relay_command,
        retention_group,
        digest_group,
        vapid_group,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)


@click.command("run")
@click.option("--port", type=int, default=None, help="Port for the web process (default: PORT or 8000).")
@click.option("--no-demo", is_flag=True, help="Start without seeding the demo team.")
def run_command(port, no_demo):
    """Everything on one machine: embedded Redis, migrations, demo data, web + worker + scheduler."""
    run_all(port=port or current_app.config["PORT"], demo=not no_demo)


@click.command("web")
@click.option("--workers", type=int, default=None, help="Web processes (default: WEB_CONCURRENCY or 2).")
def web_command(workers):
    """Serve the app with gunicorn on PORT."""
    exec_gunicorn(current_app.config["PORT"], workers)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option(
    "--processes",
    type=int,
    default=lambda: int(os.environ.get("WORKER_PROCESSES", "1")),
    help="Worker processes forked from one preloaded parent (default: WORKER_PROCESSES or 1).",
)
@with_appcontext
def worker_command(burst, processes):
    """Run RQ workers (heavy NLP is loaded once, before forking)."""
    from workers.runner import run_worker

    logs.set_role("worker")
    run_worker(burst=burst, processes=processes)


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Periodic work: outbox relay, digests, nudges, retention."""
    from workers.scheduler import run_scheduler

    logs.set_role("scheduler")
    run_scheduler()


@click.command("relay")
@with_appcontext
def relay_command():
    """Hand every pending outbox event to the queue once."""
    from workers.relay import relay_all

    click.echo(f"{relay_all()} event(s) relayed")


@click.command("demo")
@with_appcontext
def demo_command():
    """Seed or top up the demo team so the last 8 weeks up to today are filled (idempotent)."""
    summary = seed_demo()
    click.echo(json.dumps(summary, ensure_ascii=False))


@click.group("user")
def user_group():
    """Manage user accounts."""


@user_group.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--team", "team_name", required=True, help="Team name; created if it does not exist.")
@click.option("--role", type=click.Choice(["medewerker", "teamleider", "beheerder"]), default="medewerker")
@click.password_option()
@with_appcontext
def user_create(email, display_name, team_name, role, password):
    """Create a user (and the team if needed)."""
    # The same policy as every other way to set a password (a demo password is refused here too).
    problems = password_problems(password, context=(email, display_name))
    if problems:
        raise click.ClickException(problems[0])
    if any(not c.isprintable() for c in display_name + team_name):
        raise click.ClickException("Een naam past op één regel, zonder tabs of regeleinden.")
    email = email.strip().lower()
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise click.ClickException(f"{email} bestaat al")
    team = db.session.scalar(select(Team).where(Team.name == team_name))
    if team is None:
        team = Team(name=team_name)
        db.session.add(team)
        db.session.flush()
    user = User(email=email, display_name=display_name, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, team_id=team.id, role=role))
    db.session.commit()
    click.echo(f"{email} is {role} in {team.name}")


@click.group("themes")
def themes_group():
    """The theme classifier."""


@themes_group.command("classify")
def themes_classify():
    """Read JSON lines {"text", "kind"?} on stdin; write {"themes", "scores"} lines on stdout."""
    classify_jsonl(sys.stdin, sys.stdout)


@themes_group.command("train")
@click.option("--fast-only", is_flag=True, help="Only the fast model (no e5 embeddings needed).")
def themes_train(fast_only):
    """Retrain the shipped models from the corpus in the repository (reproducible): the fast model
    (web suggestions) and, unless --fast-only, the worker's e5 weights and thresholds on top of it."""
    report = {"fast": train_model()}
    if not fast_only:
        from server.themes.train import train_semantic

        report["semantic"] = train_semantic()
    click.echo(json.dumps(report, indent=2, ensure_ascii=False))


@click.group("retention")
def retention_group():
    """Retention of personal data."""


@retention_group.command("run")
@with_appcontext
def retention_run():
    """Purge raw text past the team's period and everything past its retention period, now."""
    from workers.retention import run_retention

    click.echo(json.dumps(run_retention()))


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True), required=False)
@click.option("--new-key", is_flag=True, help="Print a fresh BACKUP_KEY and stop.")
@with_appcontext
def backup_command(target, new_key):
    """Write the database and the instance's secrets, encrypted with BACKUP_KEY, to TARGET."""
    if new_key:
        click.echo(make_key())
        return
    if not target:
        raise click.UsageError("Geef het bestand op: leerlus backup PAD")
    try:
        manifest = create_backup(target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(manifest))


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Yes, replace this installation's database with the backup's.")
@click.option("--print-secrets", is_flag=True, help="Only print the backup's secrets as NAME=value lines.")
@with_appcontext
def restore_command(source, yes, print_secrets):
    """Restore a `leerlus backup` file: database, pending events and instance secrets."""
    try:
        if print_secrets:
            click.echo(secrets_as_env(source), nl=False)
            return
        if not yes:
            raise click.UsageError("Dit vervangt de hele database. Bevestig met --yes.")
        summary = restore_backup(source)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    if summary["secrets_to_set"]:
        click.echo(
            "Let op: zet deze geheimen zoals in de backup (leerlus restore --print-secrets): "
            + ", ".join(summary["secrets_to_set"]),
            err=True,
        )
    click.echo(json.dumps(summary))


if __name__ == "__main__":
    main()


@click.group("digest")
def digest_group():
    """Weekly theme digests."""


@digest_group.command("build")
@click.option("--team", "team_ref", required=True, help="Team id or exact team name.")
@click.option("--week", required=True, help="ISO week, e.g. 2026-W47.")
@with_appcontext
def digest_build(team_ref, week):
    """Build (or rebuild) one team-week's digest; it is not announced."""
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
