"""Weekly digests: build one team-week, find the ones that are due, deliver each exactly once.

Exactly once, with any number of schedulers and workers:
- one Digest row per team-week (unique constraint); inserting it fixes the data cut-off;
- building is idempotent (the same rows give the same content), so a duplicate build is harmless;
- delivery is claimed by a conditional update of delivered_at, so only one worker announces it,
  and every notification carries a unique dedupe key on top of that.
"""

import logging
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update

from server.auth.links import public_url
from server.digest import REASON, build
from server.events import Event
from server.extensions import db
from server.i18n import N_, for_language
from server.mail import render, send_mail, subject
from server.metrics import DIGEST_BUILD_SECONDS
from server.models import Digest, Membership, Team, ThemeKeeper, User, utcnow
from server.queue import enqueue
from server.services.digests import claim_row, gather
from server.services.notifications import notify
from server.weeks import iso_week_of, parse_week, shift_week, week_bounds
from workers.registry import handles
from workers.signals import recompute_signals

log = logging.getLogger(__name__)

# After an outage the scheduler catches up this many missed weeks per team, newest first.
CATCH_UP_WEEKS = 2
EMAIL_THEMES = 5


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def due_at(team: Team, iso_week: str) -> datetime:
    """When the digest of iso_week is due: the team's weekday and hour in the following week, local time.

    zoneinfo applies the offset valid on that date, so 08:00 stays 08:00 across DST changes (06:00 or
    07:00 UTC in Amsterdam). An hour skipped by the spring change falls one hour later.
    """
    zone = ZoneInfo(team.timezone)
    monday = date.fromisocalendar(*parse_week(shift_week(iso_week, 1)), 1)
    local = datetime.combine(
        monday + timedelta(days=team.digest_weekday), time(team.digest_hour), tzinfo=zone
    )
    return local.astimezone(UTC)


def due_weeks(team: Team, now: datetime) -> list[str]:
    """Ended weeks whose digest time has passed (newest first), at most CATCH_UP_WEEKS of them."""
    zone = ZoneInfo(team.timezone)
    current = iso_week_of(now, zone)
    weeks = []
    for back in range(1, CATCH_UP_WEEKS + 2):
        week = shift_week(current, -back)
        if due_at(team, week) <= now and week_bounds(week, zone)[1] > team.created_at:
            weeks.append(week)
    return weeks[:CATCH_UP_WEEKS]


def build_digest(team_id, iso_week: str) -> dict | None:
    """Build one team-week's digest; returns its content.

    A built week is published and frozen: asking again returns the content as first built. A
    rebuild after a change of roles, k, team themes or deleted rows would otherwise show what the
    first build suppressed (issue #15, item 4).
    """
    team = db.session.get(Team, _uuid(team_id))
    if team is None:
        return None
    with DIGEST_BUILD_SECONDS.time():
        digest = claim_row(team.id, iso_week)
        if digest.content is not None:
            return digest.content
        recompute_signals(team, iso_week)
        content = build(gather(team, iso_week, digest.requested_at))
    digest.content = content
    digest.built_at = utcnow()
    db.session.commit()
    return content


def build_and_deliver(team_id: str, iso_week: str) -> str:
    """The scheduled job: build if not built yet, then announce it once."""
    try:
        digest = db.session.scalar(
            select(Digest).where(Digest.team_id == _uuid(team_id), Digest.iso_week == iso_week)
        )
        if (digest is None or digest.built_at is None) and build_digest(team_id, iso_week) is None:
            return "no team"
        return f"delivered to {deliver_digest(team_id, iso_week)}"
    finally:
        db.session.remove()


@handles(Event.DIGEST_REQUESTED)
def rebuild(team_id: str, iso_week: str, **_) -> None:
    """POST .../build: the teamleider asked for (another) build of a finished week."""
    build_digest(team_id, iso_week)


def build_due_digests(now: datetime | None = None) -> list[tuple[str, str]]:
    """Periodic: enqueue a build for every team whose digest time has passed and is not delivered."""
    now = now or utcnow()
    try:
        teams = db.session.scalars(select(Team)).all()
        candidates = {week for team in teams for week in due_weeks(team, now)}
        delivered = {
            (team_id, week)
            for team_id, week in db.session.execute(
                select(Digest.team_id, Digest.iso_week).where(
                    Digest.iso_week.in_(candidates), Digest.delivered_at.is_not(None)
                )
            )
        }
        enqueued = []
        for team in teams:
            for week in due_weeks(team, now):
                if (team.id, week) in delivered:
                    continue
                claim_row(team.id, week)
                # One job per team-week per hour: a second scheduler gets RQ's duplicate refusal, and
                # a job that failed for good is offered again the next hour.
                job_id = f"digest-{team.id}-{week}-{now:%Y%m%d%H}"
                if enqueue(build_and_deliver, str(team.id), week, job_id=job_id, purpose="worker"):
                    enqueued.append((str(team.id), week))
        return enqueued
    finally:
        db.session.remove()


def _leads(team_id: uuid.UUID) -> list[User]:
    return db.session.scalars(
        select(User)
        .join(Membership)
        .where(Membership.team_id == team_id, Membership.role == "teamleider", User.active.is_(True))
    ).all()


def deliver_digest(team_id, iso_week: str) -> int:
    """Announce a built digest to the team's teamleiders once; returns how many were told."""
    team_id = _uuid(team_id)
    now = utcnow()
    claimed = db.session.execute(
        update(Digest)
        .where(
            Digest.team_id == team_id,
            Digest.iso_week == iso_week,
            Digest.built_at.is_not(None),
            Digest.delivered_at.is_(None),
        )
        .values(delivered_at=now)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return 0
    leads = _leads(team_id)
    for lead in leads:
        notify(
            lead.id,
            "digest",
            {"team_id": team_id, "iso_week": iso_week},
            f"digest:{team_id}:{iso_week}:{lead.id}",
            when=now,
        )
    _tell_keepers_of_rising_themes(team_id, iso_week, now)
    db.session.commit()
    if current_app.config.get("SMTP_URL"):
        team = db.session.get(Team, team_id)
        digest = db.session.scalars(
            select(Digest).where(Digest.team_id == team_id, Digest.iso_week == iso_week)
        ).one()
        for lead in leads:
            try:
                send_digest_mail(team, digest, lead)
            except Exception:  # noqa: BLE001 - one bad mailbox must not stop the others; at most once
                log.exception("digest e-mail to a teamleider failed")
    return len(leads)


def _tell_keepers_of_rising_themes(team_id: uuid.UUID, iso_week: str, now: datetime) -> None:
    """An aandachtsfunctionaris hears when their theme rises, from the published (k-safe) digest only."""
    digest = db.session.scalars(
        select(Digest).where(Digest.team_id == team_id, Digest.iso_week == iso_week)
    ).one()
    themes = ((digest.content or {}).get("themes") or {}).get("items", [])
    rising = [theme["id"] for theme in themes if theme.get("trend") == "rising"]
    if not rising:
        return
    keepers = db.session.execute(
        select(ThemeKeeper.theme_id, ThemeKeeper.user_id).where(
            ThemeKeeper.team_id == team_id, ThemeKeeper.theme_id.in_(rising)
        )
    )
    for theme_id, user_id in keepers:
        notify(
            user_id,
            "theme-rising",
            {"team_id": team_id, "iso_week": iso_week, "theme_id": theme_id},
            f"theme-rising:{team_id}:{iso_week}:{theme_id}:{user_id}",
            when=now,
        )


def mail_context(team: Team, digest: Digest, lang: str = "nl") -> dict:
    """What the e-mail may carry: counts, theme labels and trends. No quotes, names or signal terms."""
    gettext = for_language(lang).gettext
    content = digest.content or {}
    numbers = content.get("numbers", {})
    labels = (
        ("reflections", N_("Reflecties")),
        ("active_medewerkers", N_("Actieve medewerkers")),
        ("visit_share", N_("Bezoeken met een reflectie")),
        ("feedback_responses", N_("Reacties van inwoners")),
        ("feedback_response_rate", N_("Beantwoorde feedbacklinks")),
    )
    rows = []
    for key, source in labels:
        label = gettext(source)
        cell = numbers.get(key, {})
        if "value" not in cell:
            rows.append((label, REASON))
        elif key in ("visit_share", "feedback_response_rate"):
            rows.append((label, f"{round(cell['value'] * 100)}%"))
        else:
            rows.append((label, str(cell["value"])))
    themes = [
        (item["label"], item["authors"], item["trend_label"])
        for item in content.get("themes", {}).get("items", [])[:EMAIL_THEMES]
    ]
    return {
        "team": team.name,
        "week": digest.iso_week,
        "rows": rows,
        "themes": themes,
        "url": public_url(f"/app/#/digest/{team.id}/{digest.iso_week}"),
    }


def send_digest_mail(team: Team, digest: Digest, lead: User) -> None:
    lang = lead.language
    text, html = render("digest", lang=lang, **mail_context(team, digest, lang))
    # A header cannot carry a line break: a team name with one must not break the message.
    line = subject(lang, "Weekoverzicht %(week)s — %(team)s", week=digest.iso_week, team=team.name)
    send_mail(lead.email, " ".join(line.split()), text, html)
