"""Intervisie from a reflection, the team's learning notes, and what a medewerker keeps for a portfolio."""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, UTCDateTime, created_column, uuid_pk


class IntervisieCase(Base):
    """A shared, de-identified reflection or learning question its author offered as a case.

    author_id never leaves the server in a team view: only the author's own portfolio reads it.
    """

    __tablename__ = "intervisie_cases"
    __table_args__ = (
        UniqueConstraint("author_id", "client_id"),
        Index("ix_intervisie_cases_team_status", "team_id", "status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    payload_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    # Erasing one's data takes one's cases along.
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)  # reflection / learning_question
    # A copy of the de-identified text at the moment of consent; the source stays the author's own.
    text: Mapped[str] = mapped_column(Text, nullable=False)
    themes: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    present_myself: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="offered", nullable=False)  # offered / used
    created_at: Mapped[datetime] = created_column()


class IntervisieSession(Base):
    __tablename__ = "intervisie_sessions"
    __table_args__ = (
        UniqueConstraint("facilitator_id", "client_id"),
        Index("ix_intervisie_sessions_team_held", "team_id", "held_on"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    payload_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    case_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("intervisie_cases.id", ondelete="SET NULL"), unique=True
    )
    facilitator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    theme_id: Mapped[str | None] = mapped_column(String(64))
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="running", nullable=False)  # running / closed
    step: Mapped[int] = mapped_column(SmallInteger, default=0, nullable=False)
    # The facilitator's notes, raw: only the facilitator reads them; colleagues get notes_deidentified.
    questions: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    options: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    insight: Mapped[str] = mapped_column(Text, default="", nullable=False)
    notes_deidentified: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    beroepscode_article: Mapped[int | None] = mapped_column(SmallInteger)
    beroepscode_title: Mapped[str | None] = mapped_column(String(200))
    action_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_column()
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class IntervisieParticipant(Base):
    __tablename__ = "intervisie_participants"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        Index("ix_intervisie_participants_user", "user_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("intervisie_sessions.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


class TeamLearningNote(Base):
    """An insight the team keeps, linked to a theme; colleagues see it once it is de-identified."""

    __tablename__ = "team_learning_notes"
    __table_args__ = (Index("ix_team_learning_notes_team_theme", "team_id", "theme_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    theme_id: Mapped[str | None] = mapped_column(String(64))
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("intervisie_sessions.id", ondelete="SET NULL"), unique=True
    )
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    text_deidentified: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_column()


class PortfolioReflection(Base):
    """A reflection its author marked for their portfolio."""

    __tablename__ = "portfolio_reflections"
    __table_args__ = (UniqueConstraint("user_id", "reflection_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    reflection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reflections.id", ondelete="CASCADE"), nullable=False
    )
    created_at: Mapped[datetime] = created_column()


class CasusoverlegAttendance(Base):
    """ "Ik was erbij": a medewerker's own note that they took part in a month's casusoverleg."""

    __tablename__ = "casusoverleg_attendance"
    __table_args__ = (UniqueConstraint("user_id", "theme_of_the_month_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    theme_of_the_month_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("themes_of_the_month.id", ondelete="CASCADE"), nullable=False
    )
    created_at: Mapped[datetime] = created_column()
