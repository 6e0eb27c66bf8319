"""Residents' feedback: single-use links and the answers they carry."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UTCDateTime, created_column, uuid_pk


class FeedbackLink(Base):
    __tablename__ = "feedback_links"

    id: Mapped[uuid.UUID] = uuid_pk()
    # Only a hash of the token is stored: a database leak does not open anyone's link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    # NULL for a card printed ahead in a batch until the medewerker ties it to the visit it was left at.
    visit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(5), default="nl", nullable=False)
    # "wmo" (adults) or "jeugd" (12-17): which statements and which form of address the page uses.
    variant: Mapped[str] = mapped_column(String(10), default="wmo", server_default="wmo", nullable=False)
    # HMAC of the short code typed from a card (server.resident.codes): never the code itself.
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The one re-share a medewerker may make of an unanswered link.
    reshared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InwonerFeedback(Base):
    __tablename__ = "inwoner_feedback"
    __table_args__ = (Index("ix_inwoner_feedback_team_submitted", "team_id", "submitted_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    link_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_links.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"))
    # The medewerker whose visit it was: only they see this answer.
    medewerker_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    submitted_at: Mapped[datetime] = created_column()
    # {"serieus": 5, "samen_oplossingen": 4} — keys are the team's Wmo items; 5 = helemaal mee eens.
    scores: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    comment: Mapped[str] = mapped_column(Text, default="", nullable=False)
    comment_deidentified: Mapped[str | None] = mapped_column(Text)
    contact_requested: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    language: Mapped[str] = mapped_column(String(5), default="nl", nullable=False)
    # The language the comment is written in, detected by the worker (`language` is only the page's).
    comment_language: Mapped[str | None] = mapped_column(String(5))
    # Hash of the signed correction nonce: lets the same device correct within a grace period.
    correction_hash: Mapped[str | None] = mapped_column(String(64))
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    themes: Mapped[list["FeedbackTheme"]] = relationship(
        back_populates="feedback", cascade="all, delete-orphan"
    )


class FeedbackTheme(Base):
    __tablename__ = "feedback_themes"
    __table_args__ = (UniqueConstraint("feedback_id", "theme_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    feedback_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inwoner_feedback.id", ondelete="CASCADE"), nullable=False
    )
    theme_id: Mapped[str] = mapped_column(String(64), nullable=False)
    score: Mapped[float | None] = mapped_column(Float)
    matched: Mapped[list] = mapped_column(JSON, default=list, nullable=False)

    feedback: Mapped[InwonerFeedback] = relationship(back_populates="themes")
