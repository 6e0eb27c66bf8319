"""What medewerkers write: visits, reflections and their themes, actions, learning questions."""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UTCDateTime, created_column, utcnow, uuid_pk

VISIT_KINDS = ("huisbezoek", "telefonisch", "op-kantoor", "wijk")
LEARNING_ZONES = ("comfort", "learning", "panic")
VISIBILITIES = ("private", "team")
THEME_SOURCES = ("author", "suggested", "classifier")
REFLECTION_TEXT_FIELDS = ("what_happened", "noticed", "why", "next_time")


class Theme(Base):
    """A team-specific theme. The global taxonomy ships with the classifier (server.themes)."""

    __tablename__ = "themes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=lambda: str(uuid.uuid4()))
    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), nullable=False, index=True
    )
    label: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    created_at: Mapped[datetime] = created_column()


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (
        UniqueConstraint("author_id", "client_id"),
        Index("ix_visits_author_occurred", "author_id", "occurred_at"),
        Index("ix_visits_team_occurred", "team_id", "occurred_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    # A free pseudonym the medewerker chooses; never a resident's identity.
    pseudonym: Mapped[str | None] = mapped_column(String(60))
    payload_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = created_column()


class Reflection(Base):
    __tablename__ = "reflections"
    __table_args__ = (
        UniqueConstraint("author_id", "client_id"),
        Index("ix_reflections_author_occurred", "author_id", "occurred_at"),
        Index("ix_reflections_team_occurred", "team_id", "occurred_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("visits.id", ondelete="SET NULL"), index=True
    )
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    received_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Raw text: only the author ever reads it; replaced by the de-identified text after the
    # team's raw-text period (retention job).
    what_happened: Mapped[str] = mapped_column(Text, nullable=False)
    noticed: Mapped[str] = mapped_column(Text, default="", nullable=False)
    why: Mapped[str] = mapped_column(Text, default="", nullable=False)
    next_time: Mapped[str] = mapped_column(Text, default="", nullable=False)
    learning_zone: Mapped[str | None] = mapped_column(String(10))
    energy: Mapped[int | None] = mapped_column(SmallInteger)
    visibility: Mapped[str] = mapped_column(String(10), default="private", nullable=False)
    # Answer to "Vorige keer nam je je voor: ... — Gelukt?" (ja / deels / nee).
    previous_intention_outcome: Mapped[str | None] = mapped_column(String(10))
    learning_question_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("learning_questions.id", ondelete="SET NULL")
    )
    payload_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # Written by the worker.
    deidentified: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    safety_signal: Mapped[str | None] = mapped_column(String(40))
    raw_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    themes: Mapped[list["ReflectionTheme"]] = relationship(
        back_populates="reflection", cascade="all, delete-orphan"
    )


class ReflectionTheme(Base):
    __tablename__ = "reflection_themes"
    __table_args__ = (
        UniqueConstraint("reflection_id", "theme_id"),
        Index("ix_reflection_themes_theme", "theme_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    reflection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reflections.id", ondelete="CASCADE"), nullable=False
    )
    theme_id: Mapped[str] = mapped_column(String(64), nullable=False)
    source: Mapped[str] = mapped_column(String(12), nullable=False)
    score: Mapped[float | None] = mapped_column(Float)
    matched: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    # When the row took this theme: a theme given after its week's digest is in no published count
    # (server.digest.cells.counted_in_digest).
    assigned_at: Mapped[datetime] = created_column()

    reflection: Mapped[Reflection] = relationship(back_populates="themes")


class Action(Base):
    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("created_by_id", "client_id"),
        Index("ix_actions_team_status", "team_id", "status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reflection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reflections.id", ondelete="SET NULL"))
    digest_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("digests.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(
        String(10), default="open", nullable=False
    )  # open / blocked / done / dropped
    payload_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The theme a bordsessie action answers: its effect card compares the theme before and after.
    theme_id: Mapped[str | None] = mapped_column(String(64))


class LearningQuestion(Base):
    __tablename__ = "learning_questions"
    __table_args__ = (UniqueConstraint("author_id", "client_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    # Optional: the PWA's outbox sends one, so a replayed write returns the original question.
    client_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    payload_hash: Mapped[str | None] = mapped_column(String(64))
    author_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    # The reflection it came from; no foreign key because reflections point back here.
    reflection_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    text_deidentified: Mapped[str | None] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open", nullable=False)
    learned: Mapped[str | None] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_at: Mapped[datetime] = created_column()
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LearningQuestionHelper(Base):
    """A colleague who marked "ik weet hier iets van" on a shared learning question."""

    __tablename__ = "learning_question_helpers"
    __table_args__ = (UniqueConstraint("question_id", "user_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    question_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("learning_questions.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    created_at: Mapped[datetime] = created_column()


class ThemeOfTheMonth(Base):
    __tablename__ = "themes_of_the_month"
    __table_args__ = (UniqueConstraint("team_id", "month"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False)  # 2026-11
    theme_id: Mapped[str] = mapped_column(String(64), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    links: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    casusoverleg_on: Mapped[date | None] = mapped_column(Date)
    set_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = created_column()
