"""The bordsessie board: one team-week's digest with what the stand-up needs around it.

Read-only; the decisions made at the board are the ordinary writes (POST/PATCH /actions with the
week's digest_id, PUT theme-of-the-month), so they go through the PWA's outbox like every write.
"""

from zoneinfo import ZoneInfo

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import select

from server.audit import audit
from server.auth.access import LEADS, login_required, team_or_404
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.models import Digest, Membership, Team, TeamNote, User, utcnow
from server.models.board import AUDIENCES
from server.schemas.digests import (
    BoardOut,
    EffectArgs,
    EffectOut,
    TeamNoteArgs,
    TeamNoteOut,
    TeamNotePublicOut,
)
from server.services import actions, board, digests
from server.services.notifications import notify
from server.services.team_themes import allowed_theme_ids, theme_label
from server.weeks import iso_week_of, shift_week

blp = Blueprint("board", __name__, url_prefix="/api/v1", description="Bordsessie: het weekbord van een team")


@blp.get("/teams/<uuid:team_id>/board/<string:iso_week>")
@blp.response(200, BoardOut)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")  # not an ISO week
@login_required
def get_board(team_id, iso_week):
    team = team_or_404(team_id, LEADS)
    digests.checked_week(iso_week)
    digest = db.session.scalar(select(Digest).where(Digest.team_id == team.id, Digest.iso_week == iso_week))
    if digest is None or digest.content is None:
        raise Problem(404, "Het weekoverzicht van deze week is (nog) niet gemaakt.")
    audit("board.read", "digest", digest.id, team_id=team.id)
    db.session.commit()
    content, cutoff = digest.content, digest.requested_at
    return {
        "team_id": team.id,
        "iso_week": iso_week,
        "digest_id": digest.id,
        "built_at": digest.built_at,
        "content": content,
        "successes": board.successes(team, iso_week, content, cutoff),
        "effects": board.effects(team, iso_week, cutoff),
        "gaps": board.knowledge_gaps(team, iso_week, cutoff),
        "proposal": board.proposal(team, iso_week),
        "actions": board.live_actions(team, iso_week),
        "topic": board.topic(team, iso_week),
        "members": board.members(team),
        "themes": sorted(
            ({"id": theme_id, "label": theme_label(theme_id)} for theme_id in allowed_theme_ids(team.id)),
            key=lambda theme: theme["label"],
        ),
    }


# -- "Jullie zeiden, wij deden" ------------------------------------------------------------------------


def _audience(audience: str) -> str:
    if audience not in AUDIENCES:
        raise Problem(404, "Onbekend soort bericht.")
    return audience


def note_body(note: TeamNote) -> dict:
    reviewed = note.text_deidentified is not None
    return {
        "id": note.id,
        "team_id": note.team_id,
        "audience": note.audience,
        "iso_week": note.iso_week,
        "said": note.said,
        "text": note.text,
        "said_deidentified": note.said_deidentified,
        "text_deidentified": note.text_deidentified,
        "published_at": note.published_at,
        "status": "published" if note.published_at else "ready" if reviewed else "reviewing",
    }


def _note(team, audience: str, iso_week: str) -> TeamNote | None:
    return db.session.scalar(
        select(TeamNote).where(
            TeamNote.team_id == team.id, TeamNote.audience == audience, TeamNote.iso_week == iso_week
        )
    )


@blp.put("/teams/<uuid:team_id>/notes/<string:audience>/<string:iso_week>")
@blp.arguments(TeamNoteArgs)
@blp.response(200, TeamNoteOut)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")
@login_required
def put_note(args, team_id, audience, iso_week):
    """Write (or rewrite) the week's note. A worker de-identifies it; nothing is shown until the
    teamleider has seen that version and published it."""
    team = team_or_404(team_id, LEADS)
    audience, iso_week = _audience(audience), digests.checked_week(iso_week)
    text, said = args["text"].strip(), (args.get("said") or "").strip()
    if not text:
        raise Problem(
            422, "Schrijf in een paar zinnen wat het team doet.", errors={"text": ["Mag niet leeg zijn."]}
        )
    if audience == "inwoners" and not said:
        raise Problem(422, "Schrijf ook wat inwoners zeiden.", errors={"said": ["Mag niet leeg zijn."]})
    note = _note(team, audience, iso_week)
    if note is None:
        note = TeamNote(
            team_id=team.id,
            audience=audience,
            iso_week=iso_week,
            text=text,
            said=said,
            created_by_id=g.user.id,
        )
        db.session.add(note)
        db.session.flush()
    elif (note.text, note.said) != (text, said):
        note.text, note.said, note.updated_at = text, said, utcnow()
    else:
        return note_body(note)
    # A changed text is reviewed again before it is shown: until then the old version is not shown either.
    note.text_deidentified = note.said_deidentified = None
    note.published_at = None
    emit(Event.TEAM_NOTE_SAVED, note_id=note.id)
    audit("team_note.save", "team", team.id, team_id=team.id, reason=f"{audience}:{iso_week}")
    db.session.commit()
    return note_body(note)


@blp.get("/teams/<uuid:team_id>/notes/<string:audience>/<string:iso_week>")
@blp.response(200, TeamNoteOut)
@login_required
def get_note(team_id, audience, iso_week):
    team = team_or_404(team_id, LEADS)
    note = _note(team, _audience(audience), digests.checked_week(iso_week))
    if note is None:
        raise Problem(404, "Voor deze week is nog niets geschreven.")
    return note_body(note)


@blp.post("/teams/<uuid:team_id>/notes/<string:audience>/<string:iso_week>/publish")
@blp.response(200, TeamNoteOut)
@blp.alt_response(409, "CONFLICT")  # not de-identified yet
@login_required
def publish_note(team_id, audience, iso_week):
    """Show the de-identified version: medewerkers on their start screen (and a push, which keeps
    their quiet hours), residents on the thank-you page."""
    team = team_or_404(team_id, LEADS)
    note = _note(team, _audience(audience), digests.checked_week(iso_week))
    if note is None:
        raise Problem(404, "Voor deze week is nog niets geschreven.")
    if note.text_deidentified is None:
        raise Problem(409, "De tekst wordt nog nagekeken op persoonsgegevens. Probeer het zo opnieuw.")
    if note.published_at is None:
        note.published_at = utcnow()
        audit("team_note.publish", "team", team.id, team_id=team.id, reason=f"{audience}:{iso_week}")
        if audience == "medewerkers":
            members = db.session.scalars(
                select(Membership.user_id)
                .join(User)
                .where(Membership.team_id == team.id, Membership.role == "medewerker", User.active.is_(True))
            )
            for user_id in members:
                notify(
                    user_id,
                    "team-note",
                    {"team_id": team.id, "iso_week": iso_week},
                    f"team-note:{note.id}:{user_id}",
                )
    db.session.commit()
    return note_body(note)


def latest_published(team_id, audience: str) -> TeamNote | None:
    return db.session.scalar(
        select(TeamNote)
        .where(
            TeamNote.team_id == team_id,
            TeamNote.audience == audience,
            TeamNote.published_at.is_not(None),
            TeamNote.text_deidentified.is_not(None),
        )
        .order_by(TeamNote.iso_week.desc())
        .limit(1)
    )


@blp.get("/teams/<uuid:team_id>/notes/medewerkers")
@blp.response(200, TeamNotePublicOut)
@login_required
def latest_note(team_id):
    """The latest published note for the team's members: only its de-identified text."""
    team = team_or_404(team_id)
    note = latest_published(team.id, "medewerkers")
    if note is None:  # nothing yet is a normal state, not an error
        return {"iso_week": None, "text": None, "published_at": None}
    return {"iso_week": note.iso_week, "text": note.text_deidentified, "published_at": note.published_at}


# -- the owner's effect card --------------------------------------------------------------------------

NO_EFFECT = (
    "Geen effectkaart: die komt 4 tot 6 weken na de deadline van een actie bij een thema "
    "(of deze actie bestaat niet, of je mag haar niet zien)."
)


@blp.get("/actions/<uuid:action_id>/effect")
@blp.arguments(EffectArgs, location="query")
@blp.response(200, EffectOut)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")
@login_required
def action_effect(args, action_id):
    """Did it help? The action's effect card, 4 to 6 weeks after its due week (?week= defaults to the
    last ended week). For whoever may see the action: its owner, its creator, the team's leads."""
    try:
        action = actions.visible_or_404(g.user, action_id)
    except Problem as error:
        raise Problem(404, NO_EFFECT) from error  # the same answer as "no card (yet)": nothing to probe
    team = db.session.get(Team, action.team_id)
    week = args.get("week") or shift_week(iso_week_of(utcnow(), ZoneInfo(team.timezone)), -1)
    digests.checked_week(week)
    cutoff = digests.data_cutoff(team, week)  # before the week's digest: its end, not a moving "now"
    cards = [card for card in board.effects(team, week, cutoff) if card["action"]["id"] == str(action.id)]
    if not cards:
        raise Problem(404, NO_EFFECT)
    return {"iso_week": week, **cards[0]}
