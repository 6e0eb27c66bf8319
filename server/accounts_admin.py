"""What a beheerder does to accounts and the installation: one place for each rule.

- Deactivating an account ends its sessions at once; nobody deactivates themselves, and the last
  active beheerder is never deactivated, demoted or removed (the installation would be unmanaged).
- Resetting a second factor removes the old one and holds the next login at enrolment until a new
  one is set up, whatever the role.
- The retention bounds (server/retention_bounds.py) are stored in installation_settings; setting
  narrower bounds moves every team setting outside them to the nearest allowed value.
Callers audit what they did and commit.
"""

from flask import current_app
from sqlalchemy import func, select

from server.auth.caller import Caller
from server.auth.sessions import end_all_sessions
from server.extensions import db
from server.models import InstallationSettings, Membership, Team, User, utcnow
from server.retention_bounds import FIELDS, Bounds, clamped, default_bounds, within_ceiling

SETTINGS_ID = 1


def active_beheerders(*, without_user=None, without_membership=None) -> int:
    """Active accounts with a beheerder role somewhere, leaving one account or one membership out."""
    stmt = (
        select(func.count(func.distinct(Membership.user_id)))
        .join(User, User.id == Membership.user_id)
        .where(Membership.role == "beheerder", User.active.is_(True))
    )
    if without_user is not None:
        stmt = stmt.where(Membership.user_id != without_user)
    if without_membership is not None:
        stmt = stmt.where(Membership.id != without_membership)
    return db.session.scalar(stmt) or 0


def is_beheerder(user: User) -> bool:
    return any(m.role == "beheerder" for m in user.memberships)


def deactivation_refusal(actor: Caller, target: User) -> str | None:
    """Why `actor` may not deactivate `target` (None: they may)."""
    if target.id == actor.id:
        return "Je kunt je eigen account niet uitzetten."
    if target.active and is_beheerder(target) and active_beheerders(without_user=target.id) == 0:
        return "Dit is de laatste beheerder: zet eerst iemand anders als beheerder."
    return None


def membership_change_refusal(membership: Membership, new_role: str | None) -> str | None:
    """Demoting or removing a beheerder membership must leave at least one active beheerder."""
    if membership.role != "beheerder" or new_role == "beheerder":
        return None
    if membership.user.active and active_beheerders(without_membership=membership.id) == 0:
        return "Dit is de laatste beheerder: zet eerst iemand anders als beheerder."
    return None


def set_active(target: User, active: bool) -> None:
    target.active = active
    if not active:
        end_all_sessions(target.id)


def reset_second_factor(target: User) -> None:
    """The old factor and its recovery codes stop working; the next login enrols a new one."""
    target.totp_secret = None
    target.totp_last_step = None
    target.recovery_codes = []
    target.mfa_enabled = False
    target.mfa_enrol_required = True
    # A session that passed the old factor must not outlive it.
    end_all_sessions(target.id)


# -- Retention bounds ------------------------------------------------------------------------------


def ceiling() -> dict[str, int]:
    config = current_app.config
    return {"raw_text_days": config["RAW_TEXT_DAYS_MAX"], "retention_months": config["RETENTION_MONTHS_MAX"]}


def installation_bounds() -> Bounds:
    row = db.session.get(InstallationSettings, SETTINGS_ID)
    if row is None:
        return default_bounds(ceiling())
    stored = Bounds(
        row.raw_text_days_min, row.raw_text_days_max, row.retention_months_min, row.retention_months_max
    )
    return within_ceiling(stored, ceiling())


def store_bounds(bounds: Bounds, actor_id) -> list[tuple[Team, dict]]:
    """Save the bounds and move team settings inside them; answers the teams changed and how."""
    row = db.session.get(InstallationSettings, SETTINGS_ID)
    if row is None:
        row = InstallationSettings(id=SETTINGS_ID, **bounds.as_dict())
        db.session.add(row)
    for name, value in bounds.as_dict().items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    row.updated_by_id = actor_id
    changed = []
    for team in db.session.scalars(select(Team).order_by(Team.name)):
        changes = clamped(bounds, {field: getattr(team, field) for field in FIELDS})
        for field, value in changes.items():
            setattr(team, field, value)
        if changes:
            changed.append((team, changes))
    return changed
