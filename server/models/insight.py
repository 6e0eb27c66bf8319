"""What workers derive for the team: weekly theme aggregates, emerging signals and digests."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, UTCDateTime, created_column, utcnow, uuid_pk


class TeamWeekTheme(Base):
    """Recomputed from source rows by a worker job; never incremented in place."""

    __tablename__ = "team_week_themes"

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    iso_week: Mapped[str] = mapped_column(String(8), primary_key=True)  # 2026-W48
    theme_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    reflections: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    authors: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    feedback_mentions: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class TeamWeekRecount(Base):
    """A team week whose TeamWeekTheme rows wait for a recount (docs/performance.md, item 22).

    Written in the transaction of the reflection that changed the week, together with a
    TEAM_WEEK_RECOUNT event when the row is new; a backlog of one week then shares one recount. The
    recount job deletes the row and commits before it counts, so a change committed during its count
    leaves a new row and a new recount. `requests` counts the changes since the row was written.
    """

    __tablename__ = "team_week_recounts"

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    iso_week: Mapped[str] = mapped_column(String(8), primary_key=True)
    requests: Mapped[int] = mapped_column(Integer, nullable=False)
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class TeamWeekSignal(Base):
    """An emerging term: rising across at least k authors and matching no theme yet."""

    __tablename__ = "team_week_signals"

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    iso_week: Mapped[str] = mapped_column(String(8), primary_key=True)
    stem: Mapped[str] = mapped_column(String(120), primary_key=True)
    term: Mapped[str] = mapped_column(String(120), nullable=False)
    authors: Mapped[int] = mapped_column(Integer, nullable=False)
    previous_mean: Mapped[float] = mapped_column(Float, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class Digest(Base):
    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("team_id", "iso_week"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    iso_week: Mapped[str] = mapped_column(String(8), nullable=False)
    content: Mapped[dict | None] = mapped_column(JSON)
    requested_at: Mapped[datetime] = created_column()
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
