"""E-mails for invitations and password resets (links are rebuilt from the row id, see auth.links)."""

import uuid

from server.auth.links import link_token, public_url
from server.events import Event
from server.extensions import db
from server.mail import render, send_mail, subject
from server.models import Invitation, PasswordReset, Team, User
from workers.registry import handles


@handles(Event.INVITATION_CREATED)
def send_invitation(invitation_id: str, **_) -> None:
    invitation = db.session.get(Invitation, uuid.UUID(invitation_id))
    if invitation is None or invitation.accepted_at is not None:
        return
    team = db.session.get(Team, invitation.team_id)
    inviter = db.session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
    url = public_url(f"/app/#/uitnodiging/{link_token('invite', invitation.id)}")
    # The invitee has no account (and no language) yet: the inviter's language, or Dutch.
    lang = inviter.language if inviter else "nl"
    text, html = render(
        "invitation",
        lang=lang,
        inviter=inviter.display_name if inviter else subject(lang, "Je team"),
        team=team.name,
        url=url,
    )
    send_mail(
        invitation.email, subject(lang, "Uitnodiging voor %(team)s in Leerlus", team=team.name), text, html
    )


@handles(Event.PASSWORD_RESET_REQUESTED)
def send_password_reset(reset_id: str, **_) -> None:
    reset = db.session.get(PasswordReset, uuid.UUID(reset_id))
    if reset is None or reset.used_at is not None:
        return
    user = db.session.get(User, reset.user_id)
    if user is None:  # erased since the request
        return
    url = public_url(f"/app/#/wachtwoord/{link_token('reset', reset.id)}")
    text, html = render("password_reset", lang=user.language, name=user.display_name, url=url)
    send_mail(user.email, subject(user.language, "Nieuw wachtwoord voor Leerlus"), text, html)
