"""The typed base of every model, and the column helpers they share."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, TypeDecorator, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from server.clock import utcnow
from server.extensions import metadata


class Base(DeclarativeBase):
    """Every model's base: plain SQLAlchemy 2 (typed), on the metadata db and the migrations share."""

    metadata = metadata


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on PostgreSQL and SQLite alike (SQLite would silently drop the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


def created_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)
