"""Retention (AVG art. 5(1)(e)): raw text only as long as the team allows, everything gone after its
retention period, and housekeeping of expired credentials. Idempotent; runs hourly."""

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from server.auth import throttle
from server.extensions import db
from server.models import (
    REFLECTION_TEXT_FIELDS,
    AuthSession,
    Digest,
    FeedbackLink,
    IntervisieCase,
    IntervisieSession,
    Invitation,
    InwonerFeedback,
    Notification,
    OutboxEvent,
    PasswordReset,
    Reflection,
    Team,
    TeamLearningNote,
    TeamWeekSignal,
    TeamWeekTheme,
    Visit,
    utcnow,
)
from server.weeks import iso_week_of
from workers.intervisie import purge_raw_notes

log = logging.getLogger(__name__)
PROCESSED_EVENTS_KEPT = timedelta(days=30)


def purge_raw_text(team: Team, now) -> int:
    """After raw_text_days only the de-identified text remains, for the author too."""
    cutoff = now - timedelta(days=team.raw_text_days)
    rows = db.session.scalars(
        select(Reflection).where(
            Reflection.team_id == team.id,
            Reflection.received_at < cutoff,
            Reflection.raw_purged_at.is_(None),
            Reflection.processed_at.is_not(None),
        )
    ).all()
    for reflection in rows:
        text = reflection.deidentified or {}
        for field in REFLECTION_TEXT_FIELDS:
            setattr(reflection, field, text.get(field, ""))
        reflection.raw_purged_at = now
    comments = db.session.scalars(
        select(InwonerFeedback).where(
            InwonerFeedback.team_id == team.id,
            InwonerFeedback.submitted_at < cutoff,
            InwonerFeedback.processed_at.is_not(None),
            InwonerFeedback.comment != InwonerFeedback.comment_deidentified,
            InwonerFeedback.comment_deidentified.is_not(None),
        )
    ).all()
    for feedback in comments:
        feedback.comment = feedback.comment_deidentified
    return len(rows) + len(comments) + purge_raw_notes(team, now)


def purge_expired(team: Team, now) -> int:
    """Delete everything older than the team's retention period; keep only aggregates that pass k."""
    cutoff = now - timedelta(days=round(team.retention_months * 30.44))
    oldest_week = iso_week_of(cutoff, _zone(team))
    deleted = 0
    for stmt in (
        delete(Reflection).where(Reflection.team_id == team.id, Reflection.occurred_at < cutoff),
        delete(InwonerFeedback).where(
            InwonerFeedback.team_id == team.id, InwonerFeedback.submitted_at < cutoff
        ),
        delete(FeedbackLink).where(FeedbackLink.team_id == team.id, FeedbackLink.created_at < cutoff),
        delete(Visit).where(Visit.team_id == team.id, Visit.occurred_at < cutoff),
        delete(Digest).where(Digest.team_id == team.id, Digest.iso_week < oldest_week),
        delete(TeamWeekTheme).where(
            TeamWeekTheme.team_id == team.id,
            TeamWeekTheme.iso_week < oldest_week,
            TeamWeekTheme.authors < team.k_threshold,
        ),
        delete(TeamWeekSignal).where(
            TeamWeekSignal.team_id == team.id, TeamWeekSignal.iso_week < oldest_week
        ),
        # Intervisie: sessions (and who attended) first, then the cases and notes they pointed at.
        delete(IntervisieSession).where(
            IntervisieSession.team_id == team.id, IntervisieSession.held_on < cutoff.date()
        ),
        delete(IntervisieCase).where(IntervisieCase.team_id == team.id, IntervisieCase.created_at < cutoff),
        delete(TeamLearningNote).where(
            TeamLearningNote.team_id == team.id, TeamLearningNote.created_at < cutoff
        ),
    ):
        deleted += db.session.execute(stmt).rowcount or 0
    return deleted


def _zone(team: Team):
    return ZoneInfo(team.timezone)


def housekeeping(now) -> int:
    deleted = 0
    for stmt in (
        delete(AuthSession).where(AuthSession.expires_at < now),
        delete(Invitation).where(Invitation.expires_at < now - timedelta(days=30)),
        delete(PasswordReset).where(PasswordReset.expires_at < now - timedelta(days=1)),
        delete(OutboxEvent).where(OutboxEvent.processed_at < now - PROCESSED_EVENTS_KEPT),
        delete(Notification).where(Notification.sent_at < now - timedelta(days=90)),
        throttle.forgotten(now),
    ):
        deleted += db.session.execute(stmt).rowcount or 0
    return deleted


def run_retention(now=None) -> dict:
    now = now or utcnow()
    summary = {"raw_text_purged": 0, "expired_deleted": 0, "housekeeping": 0}
    try:
        for team in db.session.scalars(select(Team)).all():
            summary["raw_text_purged"] += purge_raw_text(team, now)
            summary["expired_deleted"] += purge_expired(team, now)
        summary["housekeeping"] = housekeeping(now)
        db.session.commit()
        log.info("retention: %s", summary)
        return summary
    finally:
        db.session.remove()
