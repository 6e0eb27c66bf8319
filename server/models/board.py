"""What the teamleider tells back after a bordsessie: "Jullie zeiden, wij deden"."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, UTCDateTime, created_column, utcnow, uuid_pk

AUDIENCES = ("medewerkers", "inwoners")


class TeamNote(Base):
    """A weekly note to the team's medewerkers, or the team's line for residents ("U zei … Wij doen …").

    Shown only once a worker de-identified it and the teamleider published that version.
    """

    __tablename__ = "team_notes"
    __table_args__ = (UniqueConstraint("team_id", "audience", "iso_week"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    audience: Mapped[str] = mapped_column(String(12), nullable=False)
    iso_week: Mapped[str] = mapped_column(String(8), nullable=False)
    said: Mapped[str] = mapped_column(Text, default="", nullable=False)  # inwoners: "U zei …"
    text: Mapped[str] = mapped_column(Text, nullable=False)  # the note, or "Wij doen …"
    said_deidentified: Mapped[str | None] = mapped_column(Text)
    text_deidentified: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Acknowledgement(Base):
    """A thank-you or a short answer to a shared reflection, from a colleague or the teamleider.

    Whoever sends it never learns who wrote the reflection; only the author sees it (the answer
    de-identified by a worker first).
    """

    __tablename__ = "acknowledgements"
    __table_args__ = (UniqueConstraint("from_user_id", "client_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    reflection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reflections.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # thanks / reply
    text: Mapped[str] = mapped_column(Text, default="", nullable=False)
    text_deidentified: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_column()
