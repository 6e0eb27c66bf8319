"""The request's caller as plain, immutable values (server/auth/sessions.py loads them).

Nearly every request reads who is calling and in which teams; few change the account. So the caller
is loaded once per request with one Core query into these frozen values, which cost a fraction of
the ORM's identity map and unit of work (docs/performance.md, item 19). The attribute names are the
ORM's (User, Membership, Team, ...), so code that only reads works on either; a view that changes the
account or the session asks for its ORM row: `account()` / `auth_session_row()` in server/auth/sessions.py.
"""

import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CallerTeam:
    """The columns of a team its members' requests read; the full row is Team."""

    id: uuid.UUID
    name: str
    timezone: str
    k_threshold: int


@dataclass(frozen=True, slots=True)
class CallerMembership:
    team_id: uuid.UUID
    role: str
    team: CallerTeam


@dataclass(frozen=True, slots=True)
class CallerOrganisation:
    id: uuid.UUID
    name: str


@dataclass(frozen=True, slots=True)
class CallerOrganisationMembership:
    organisation_id: uuid.UUID
    role: str
    organisation: CallerOrganisation


@dataclass(frozen=True, slots=True)
class CallerSession:
    id: uuid.UUID
    csrf_token: str
    mfa_passed: bool
    sso_provider: str | None


@dataclass(frozen=True, slots=True)
class Caller:
    """An active user with a live session, as the request found them (memberships oldest first)."""

    id: uuid.UUID
    email: str
    display_name: str
    language: str
    mfa_enabled: bool
    mfa_enrol_required: bool
    notify_off: tuple[str, ...]
    quiet_start: str
    quiet_end: str
    quiet_weekends: bool
    nudge_delay_minutes: int
    memberships: tuple[CallerMembership, ...]
    organisation_memberships: tuple[CallerOrganisationMembership, ...]

    def role_in(self, team_id) -> str | None:
        for membership in self.memberships:
            if membership.team_id == team_id:
                return membership.role
        return None
