"""Teams, users, memberships, sessions, invitations and password resets."""

import uuid
from datetime import datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UTCDateTime, created_column, uuid_pk

ROLES = ("medewerker", "teamleider", "beheerder")

# The national Wmo client-experience items a team may ask on its resident page.
DEFAULT_WMO_ITEMS = ["serieus", "samen_oplossingen"]


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam", nullable=False)
    digest_weekday: Mapped[int] = mapped_column(SmallInteger, default=0, nullable=False)  # 0 = Monday
    digest_hour: Mapped[int] = mapped_column(SmallInteger, default=8, nullable=False)
    k_threshold: Mapped[int] = mapped_column(SmallInteger, default=3, nullable=False)
    # A change of k applies from k_since_week on; weeks before it keep k_before, the highest k
    # that ever applied to them (server.digest.cells.k_for_week), so lowering k reveals no past week.
    k_before: Mapped[int | None] = mapped_column(SmallInteger)
    k_since_week: Mapped[str | None] = mapped_column(String(8))
    feedback_link_days: Mapped[int] = mapped_column(SmallInteger, default=14, nullable=False)
    raw_text_days: Mapped[int] = mapped_column(SmallInteger, default=30, nullable=False)
    retention_months: Mapped[int] = mapped_column(SmallInteger, default=24, nullable=False)
    wmo_items: Mapped[list] = mapped_column(JSON, default=lambda: list(DEFAULT_WMO_ITEMS), nullable=False)
    # The resident page's default version for new links: "wmo" or "jeugd" (12-17).
    feedback_variant: Mapped[str] = mapped_column(
        String(10), default="wmo", server_default="wmo", nullable=False
    )
    contact_route: Mapped[str | None] = mapped_column(String(300))
    members_see_themes: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    created_at: Mapped[datetime] = created_column()
    # The gemeente the team works for (server/models/organisation.py); none for a stand-alone team.
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = uuid_pk()
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default="nl", nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_at: Mapped[datetime] = created_column()
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Wrong second-factor codes per account (wrong passwords: LoginThrottle, server/auth/throttle.py).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Second factor (TOTP) and hashed single-use recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    mfa_enabled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # The last TOTP time step accepted: a code seen once (shoulder-surfed, phished) cannot be replayed.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    recovery_codes: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    # Set when a beheerder reset the second factor: the next login is held at enrolment until a new
    # one is set up, whatever the role (server/accounts_admin.py).
    mfa_enrol_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), nullable=False
    )
    # Notification preferences: kinds switched off, quiet hours in the team's time zone.
    notify_off: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    quiet_start: Mapped[str] = mapped_column(String(5), default="18:00", nullable=False)
    quiet_end: Mapped[str] = mapped_column(String(5), default="08:00", nullable=False)
    quiet_weekends: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    nudge_delay_minutes: Mapped[int] = mapped_column(SmallInteger, default=45, nullable=False)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    organisation_memberships: Mapped[list["OrganisationMembership"]] = relationship(  # noqa: F821
        cascade="all, delete-orphan"
    )

    def role_in(self, team_id) -> str | None:
        for membership in self.memberships:
            if membership.team_id == team_id:
                return membership.role
        return None


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "team_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    created_at: Mapped[datetime] = created_column()

    user: Mapped[User] = relationship(back_populates="memberships")
    team: Mapped[Team] = relationship(back_populates="memberships")


class AuthSession(Base):
    """A login. Server-side so it can be revoked, and in the database so a Redis outage logs nobody out."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = uuid_pk()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    mfa_passed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # The identity provider of a single sign-on login (its logout is offered at ours).
    sso_provider: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = created_column()
    last_seen_at: Mapped[datetime] = created_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[uuid.UUID] = uuid_pk()
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PasswordReset(Base):
    __tablename__ = "password_resets"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = created_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ThemeKeeper(Base):
    """An aandachtsfunctionaris: the team member who keeps knowledge on a theme."""

    __tablename__ = "theme_keepers"
    __table_args__ = (UniqueConstraint("team_id", "theme_id", "user_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    theme_id: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    contact: Mapped[str | None] = mapped_column(Text)


class LoginThrottle(Base):
    """Wrong-password counters per e-mail address (as typed) and address or device: server/auth/throttle.py."""

    __tablename__ = "login_throttles"
    __table__: ClassVar[Table]  # a Table (server/auth/throttle.py upserts into it), not any FromClause

    # HMAC-SHA256 (hex) of what is counted; no e-mail address or IP in readable form.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)


class InstallationSettings(Base):
    """Installation-wide settings a beheerder sets (one row, id 1): the bounds on every team's
    retention settings (server/retention_bounds.py). No row: the defaults (1 up to the ceiling)."""

    __tablename__ = "installation_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    raw_text_days_min: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    raw_text_days_max: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    retention_months_min: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    retention_months_max: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    updated_at: Mapped[datetime] = created_column()
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
