"""The gemeente level: organisations, their beleidsmedewerkers, and aggregates across teams.

A beleidsmedewerker sees only the protected aggregates of their own organisation (and nothing
of any team: access.organisation_scope refuses every other route). Another organisation, or one
that does not exist, answers 404 alike.
"""

from datetime import timedelta

from flask import Response, current_app, g, jsonify, make_response
from flask_smorest import Blueprint
from sqlalchemy import func, select

from server.api.auth import me_body
from server.audit import audit, note_denial
from server.auth.access import is_admin, login_required
from server.auth.links import link_token, link_token_hash, public_url
from server.auth.passwords import hash_password, password_problems, verify_password
from server.auth.sessions import set_cookie, start_session
from server.auth.tokens import token_hash
from server.errors import Problem
from server.extensions import db, limiter
from server.i18n import gettext
from server.models import (
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    Team,
    User,
    utcnow,
)
from server.organisation.export import export_csv
from server.organisation.overview import build_grid, parse_period, quarter_of, view
from server.organisation.queries import gather, organisation_teams, published_months
from server.organisation.words import in_language
from server.ratelimits import LOGIN_LIMIT
from server.schemas.accounts import InvitationOut, MeOut, NewPasswordArgs
from server.schemas.organisation import (
    OrganisationArgs,
    OrganisationCreateArgs,
    OrganisationInvitationArgs,
    OrganisationInvitationOut,
    OrganisationOut,
    OrganisationOverviewOut,
    PeriodArgs,
)

blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/api/v1",
    description="Gemeente: cijfers over alle teams heen, zonder herleidbare gegevens",
)

INVITATION_VALID = timedelta(days=7)
ROLE = "beleidsmedewerker"
QUARTERS_BACK = 4


def _role(organisation: Organisation) -> str | None:
    for membership in g.user.organisation_memberships:
        if membership.organisation_id == organisation.id:
            return membership.role
    return "beheerder" if is_admin(g.user) else None


def organisation_or_404(organisation_id) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or _role(organisation) is None:
        note_denial("not_member" if organisation else "missing", "organisation", organisation_id)
        raise Problem(404, "Deze gemeente bestaat niet, of je hoort er niet bij.")
    return organisation


def _admin_only(detail: str) -> None:
    if not is_admin(g.user):
        note_denial("role")
        raise Problem(403, detail)


def organisation_body(organisation: Organisation) -> dict:
    return {
        "id": organisation.id,
        "name": organisation.name,
        "k_threshold": organisation.k_threshold,
        "role": _role(organisation),
        # Team names only: who works where is not the gemeente's business.
        "teams": [{"id": str(team.id), "name": team.name} for team in organisation_teams(organisation)],
    }


@blp.get("/organisations")
@blp.response(200, OrganisationOut(many=True))
@login_required
def list_organisations():
    stmt = select(Organisation).order_by(Organisation.name)
    if not is_admin(g.user):
        stmt = stmt.where(Organisation.id.in_([m.organisation_id for m in g.user.organisation_memberships]))
    return [organisation_body(organisation) for organisation in db.session.scalars(stmt)]


def _apply(organisation: Organisation, args: dict) -> None:
    for field in ("name", "k_threshold"):
        if field in args:
            setattr(organisation, field, args[field])
    if "team_ids" in args:
        teams = list(db.session.scalars(select(Team).where(Team.id.in_(args["team_ids"]))))
        if len(teams) != len(set(args["team_ids"])):
            raise Problem(422, "Een van de teams bestaat niet.", errors={"team_ids": ["Onbekend team."]})
        for team in organisation_teams(organisation):
            team.organisation_id = None
        for team in teams:
            team.organisation_id = organisation.id


@blp.post("/organisations")
@blp.arguments(OrganisationCreateArgs)
@blp.response(201, OrganisationOut)
@login_required
def create_organisation(args):
    _admin_only("Alleen een beheerder maakt een gemeente aan.")
    organisation = Organisation(name=args["name"], k_threshold=args.get("k_threshold", 5))
    db.session.add(organisation)
    db.session.flush()
    _apply(organisation, args)
    audit("organisation.create", "organisation", organisation.id)
    db.session.commit()
    return organisation_body(organisation)


@blp.get("/organisations/<uuid:organisation_id>")
@blp.response(200, OrganisationOut)
@login_required
def get_organisation(organisation_id):
    return organisation_body(organisation_or_404(organisation_id))


@blp.patch("/organisations/<uuid:organisation_id>")
@blp.arguments(OrganisationArgs)
@blp.response(200, OrganisationOut)
@login_required
def update_organisation(args, organisation_id):
    organisation = organisation_or_404(organisation_id)
    _admin_only("Alleen een beheerder wijzigt een gemeente.")
    _apply(organisation, args)
    audit("organisation.update", "organisation", organisation.id)
    db.session.commit()
    return organisation_body(organisation)


@blp.post("/organisations/<uuid:organisation_id>/invitations")
@blp.arguments(OrganisationInvitationArgs)
@blp.response(201, InvitationOut)
@login_required
def invite(args, organisation_id):
    organisation = organisation_or_404(organisation_id)
    _admin_only("Alleen een beheerder nodigt een beleidsmedewerker uit.")
    invitation = OrganisationInvitation(
        organisation_id=organisation.id,
        email=args["email"].strip().lower(),
        role=ROLE,
        token_hash="pending",
        invited_by_id=g.user.id,
        expires_at=utcnow() + INVITATION_VALID,
    )
    db.session.add(invitation)
    db.session.flush()
    invitation.token_hash = link_token_hash("organisation-invite", invitation.id)
    audit("organisation.invite", "organisation_invitation", invitation.id)
    db.session.commit()
    # No mail template for this rare, admin-made invitation: the beheerder passes the link on.
    return {
        "id": invitation.id,
        "email": invitation.email,
        "role": invitation.role,
        "expires_at": invitation.expires_at,
        "emailed": False,
        "invite_url": public_url(
            f"/app/#/gemeente-uitnodiging/{link_token('organisation-invite', invitation.id)}"
        ),
    }


def open_invitation(token: str) -> OrganisationInvitation:
    """The invitation behind a link, or a problem that says what is wrong with the link.

    Only someone holding a real token learns that it was used or has expired; any other string is
    "unknown" alike, so guessing tells nothing.
    """
    invitation = db.session.scalar(
        select(OrganisationInvitation).where(OrganisationInvitation.token_hash == token_hash(token))
    )
    if invitation is None:
        raise Problem(
            404,
            "Deze uitnodigingslink klopt niet. Kopieer de hele link uit het bericht, "
            "of vraag de beheerder om een nieuwe uitnodiging.",
            type_="/problems/invitation-unknown",
        )
    if invitation.accepted_at is not None:
        raise Problem(
            410,
            "Deze uitnodiging is al gebruikt. Log in met je account, "
            "of vraag de beheerder om een nieuwe uitnodiging.",
            type_="/problems/invitation-used",
        )
    if invitation.expires_at <= utcnow():
        raise Problem(
            410,
            gettext(
                "Deze uitnodiging is verlopen: een uitnodiging werkt %(days)s dagen. Vraag de beheerder om een nieuwe.",
                days=INVITATION_VALID.days,
            ),
            type_="/problems/invitation-expired",
        )
    return invitation


@blp.get("/organisation-invitations/<string:token>")
@blp.response(200, OrganisationInvitationOut)
@blp.alt_response(410, "GONE")  # used or expired
@limiter.limit(LOGIN_LIMIT)
def show_invitation(token):
    """What the invitee sees before accepting: which gemeente, which role, which e-mail address."""
    invitation = open_invitation(token)
    organisation = db.session.get(Organisation, invitation.organisation_id)
    return {
        "organisation": organisation.name if organisation else "",
        "role": invitation.role,
        "email": invitation.email,
        "expires_at": invitation.expires_at,
        # In production the role needs a second factor: the screen says so before the password.
        "second_factor": invitation.role in current_app.config["MFA_REQUIRED_ROLES"],
    }


@blp.post("/organisation-invitations/<string:token>/accept")
@blp.arguments(NewPasswordArgs)
@blp.alt_response(201, schema=MeOut, description="Joined the organisation and logged in", success=True)
@blp.alt_response(410, "GONE")  # used or expired
@limiter.limit(LOGIN_LIMIT)
def accept_invitation(args, token):
    invitation = open_invitation(token)
    user = db.session.scalar(select(User).where(func.lower(User.email) == invitation.email))
    if user is None:
        problems = password_problems(args["password"], context=(invitation.email, args.get("display_name")))
        if problems:
            raise Problem(422, problems[0], errors={"password": problems})
        user = User(
            email=invitation.email,
            display_name=args.get("display_name") or invitation.email,
            password_hash=hash_password(args["password"]),
        )
        db.session.add(user)
        db.session.flush()
    elif not verify_password(user.password_hash, args["password"]):
        raise Problem(
            422,
            "Je hebt al een account: gebruik je bestaande wachtwoord.",
            errors={"password": ["Onjuist wachtwoord."]},
        )
    if not any(m.organisation_id == invitation.organisation_id for m in user.organisation_memberships):
        db.session.add(
            OrganisationMembership(
                user_id=user.id, organisation_id=invitation.organisation_id, role=invitation.role
            )
        )
    invitation.accepted_at = utcnow()
    token_value, session = start_session(user)
    db.session.commit()
    db.session.refresh(user)
    response = make_response(jsonify(MeOut().dump(me_body(user, session))), 201)
    set_cookie(response, token_value)
    return response


def _period(args: dict) -> tuple[str, str]:
    if "period" not in args:
        months = [m for q in _recent_quarters() for m in published_months(q)]
        if not months:
            raise Problem(404, "Er is nog geen afgeronde maand om te tonen.")
        return "month", months[-1]
    try:
        kind, period = parse_period(args["period"])
    except ValueError as error:
        raise Problem(422, "Onbekende periode.", errors={"period": [str(error)]}) from error
    quarter = period if kind == "quarter" else quarter_of(period)
    if kind == "month" and period not in published_months(quarter):
        raise Problem(422, "Deze maand is nog niet afgerond.", errors={"period": ["Nog niet afgerond."]})
    if kind == "quarter" and not published_months(quarter):
        raise Problem(
            422,
            "Dit kwartaal is nog niet begonnen of net begonnen.",
            errors={"period": ["Nog geen afgeronde maand."]},
        )
    return kind, period


def _recent_quarters() -> list[str]:
    """The last QUARTERS_BACK quarters up to today's, oldest first."""
    today = utcnow().date()
    quarters = []
    year, number = today.year, (today.month - 1) // 3 + 1
    for _ in range(QUARTERS_BACK):
        quarters.append(f"{year}-Q{number}")
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return quarters[::-1]


def _periods() -> list[dict]:
    periods = []
    for quarter in _recent_quarters():
        months = published_months(quarter)
        if months:
            periods.append({"kind": "quarter", "value": quarter, "complete": len(months) == 3})
            periods += [{"kind": "month", "value": month, "complete": True} for month in months]
    return periods


def _overview(organisation: Organisation, args: dict) -> dict:
    kind, period = _period(args)
    quarter = period if kind == "quarter" else quarter_of(period)
    overview = view(build_grid(gather(organisation, quarter)), kind, period)
    overview["periods"] = _periods()
    audit("organisation.overview", "organisation", organisation.id, reason=period)
    db.session.commit()
    return overview


@blp.get("/organisations/<uuid:organisation_id>/overview")
@blp.arguments(PeriodArgs, location="query")
@blp.response(200, OrganisationOverviewOut)
@login_required
def overview(args, organisation_id):
    return in_language(_overview(organisation_or_404(organisation_id), args))


@blp.get("/organisations/<uuid:organisation_id>/export.csv")
@blp.arguments(PeriodArgs, location="query")
@blp.response(200, description="CSV (puntkomma-gescheiden, UTF-8 met BOM)")
@login_required
def export(args, organisation_id):
    organisation = organisation_or_404(organisation_id)
    body = _overview(organisation, args)
    filename = f"leerlus-clientervaring-{body['period']['value']}.csv"
    # The BOM makes spreadsheet programs read the file as UTF-8 (ë in cliëntervaring).
    return Response(
        "\ufeff" + export_csv(body),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
