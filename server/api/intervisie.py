"""Intervisie from a reflection: a case the author offers, a session that follows a method step by step,
an action with an owner, and an insight the team keeps as a learning note linked to a theme.

Nothing here tells colleagues who brought a case in, unless its author chose to present it themselves.
The facilitator's notes are free text: colleagues read them only after the worker de-identified them.
"""

import zoneinfo

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import select

from server.api import paginate
from server.audit import audit, note_denial
from server.auth.access import login_required, role_in_team, team_or_404, writing_team
from server.auth.caller import CallerTeam
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.i18n import REQUEST_TEXTS, gettext
from server.idempotency import commit_once, find_replay, payload_hash
from server.intervisie import (
    BEROEPSCODE,
    BEROEPSCODE_ARTICLES,
    METHODS,
    case_text_from_reflection,
    method_body,
)
from server.models import (
    REFLECTION_TEXT_FIELDS,
    Action,
    IntervisieCase,
    IntervisieParticipant,
    IntervisieSession,
    LearningQuestion,
    Membership,
    Reflection,
    Team,
    TeamLearningNote,
    User,
    utcnow,
)
from server.schemas.common import page_of
from server.schemas.intervisie import (
    CaseArgs,
    CaseListArgs,
    CaseOut,
    LearningNoteArgs,
    LearningNoteOut,
    MethodListOut,
    SessionActionArgs,
    SessionArgs,
    SessionListArgs,
    SessionOut,
    SessionPatchArgs,
)
from server.services import learning_questions
from server.services.team_themes import allowed_theme_ids, theme_label
from server.weeks import iso_week_of

blp = Blueprint("intervisie", __name__, url_prefix="/api/v1", description="Intervisie en teamleernotities")


def _zone(team_id):
    return zoneinfo.ZoneInfo(db.session.get(Team, team_id).timezone)


def _person(user_id) -> dict | None:
    user = db.session.get(User, user_id) if user_id else None
    return {"id": user.id, "display_name": user.display_name} if user else None


def _theme(theme_id) -> dict | None:
    return {"id": theme_id, "label": theme_label(theme_id)} if theme_id else None


@blp.get("/intervisie/methods")
@blp.response(200, MethodListOut)
@login_required
def methods():
    return {
        "items": [method_body(method, REQUEST_TEXTS) for method in METHODS.values()],
        "beroepscode": BEROEPSCODE,
        "beroepscode_articles": BEROEPSCODE_ARTICLES,
    }


# -- cases -------------------------------------------------------------------------------------------


def case_body(case: IntervisieCase) -> dict:
    return {
        "id": case.id,
        "team_id": case.team_id,
        "source": case.source,
        "text": case.text,
        "themes": [_theme(theme_id) for theme_id in case.themes],
        # The week, not the moment: a time stamp next to a shared reflection would point at its author.
        "iso_week": iso_week_of(case.created_at, _zone(case.team_id)),
        "status": case.status,
        "presenter": _person(case.author_id) if case.present_myself else None,
        "mine": case.author_id == g.user.id,
    }


def _case_source(args: dict, team: CallerTeam) -> tuple[str, str, list]:
    """The de-identified text and themes of the caller's own shared reflection or question."""
    if args["reflection_id"] is not None:
        reflection = db.session.get(Reflection, args["reflection_id"])
        if reflection is None or reflection.author_id != g.user.id or reflection.team_id != team.id:
            raise Problem(
                422, "Onbekende reflectie.", errors={"reflection_id": ["Niet een reflectie van jou."]}
            )
        if reflection.visibility != "team" or not reflection.deidentified:
            raise Problem(
                422,
                "Deel je reflectie eerst met je team; de tekst wordt dan zonder namen gemaakt.",
                errors={"reflection_id": ["Nog niet gedeeld of nog niet zonder namen."]},
            )
        text = case_text_from_reflection(reflection.deidentified, REFLECTION_TEXT_FIELDS)
        return "reflection", text, sorted({theme.theme_id for theme in reflection.themes})
    question = db.session.get(LearningQuestion, args["learning_question_id"])
    if question is None or question.author_id != g.user.id or question.team_id != team.id:
        raise Problem(
            422, "Onbekende leervraag.", errors={"learning_question_id": ["Niet een leervraag van jou."]}
        )
    if not learning_questions.team_visible(question):
        raise Problem(
            422,
            "Deel je leervraag eerst met je team; de tekst wordt dan zonder namen gemaakt.",
            errors={"learning_question_id": ["Nog niet gedeeld of nog niet zonder namen."]},
        )
    themes = learning_questions.question_themes([question.id]).get(question.id, set())
    return "learning_question", question.text_deidentified or "", sorted(themes)


def _create_case(args: dict) -> tuple[IntervisieCase, bool]:
    team = writing_team(args.pop("team_id"))
    fingerprint = payload_hash(args)
    existing = find_replay(
        IntervisieCase, IntervisieCase.author_id, g.user.id, args["client_id"], fingerprint
    )
    if existing is not None:
        return existing, False
    source, text, themes = _case_source(args, team)
    if not text.strip():
        raise Problem(422, "Deze tekst is leeg; er is geen casus om in te brengen.")
    case = IntervisieCase(
        client_id=args["client_id"],
        payload_hash=fingerprint,
        team_id=team.id,
        author_id=g.user.id,
        source=source,
        text=text,
        themes=themes,
        present_myself=args["present_myself"],
    )
    db.session.add(case)
    db.session.flush()
    return case, True


@blp.post("/intervisie/cases")
@blp.arguments(CaseArgs)
@blp.response(201, CaseOut)
@blp.alt_response(200, schema=CaseOut, description="Replay of an earlier client_id")
@login_required
def offer_case(args):
    """Offering your own shared reflection or question as a case is your consent to discuss it."""
    case, created = commit_once(lambda: _create_case(dict(args)))
    return case_body(case), 201 if created else 200


@blp.get("/intervisie/cases")
@blp.arguments(CaseListArgs, location="query")
@blp.response(200, page_of(CaseOut, "IntervisieCasePage"))
@blp.alt_response(404, "NOT_FOUND")
@login_required
def list_cases(args):
    team = team_or_404(args["team_id"] or writing_team(None).id)
    stmt = select(IntervisieCase).where(IntervisieCase.team_id == team.id)
    if args["status"] != "all":
        stmt = stmt.where(IntervisieCase.status == args["status"])
    # Within a week the random UUID order hides who offered when.
    stmt = stmt.order_by(IntervisieCase.created_at.desc(), IntervisieCase.id)
    page = paginate(stmt, args, case_body)
    page["items"].sort(key=lambda item: (item["iso_week"], str(item["id"])), reverse=True)
    audit("team.intervisie_cases.read", "team", team.id, team_id=team.id)
    db.session.commit()
    return page


@blp.delete("/intervisie/cases/<uuid:case_id>")
@blp.response(204)
@blp.alt_response(409, "CONFLICT")
@login_required
def withdraw_case(case_id):
    """The author takes back their consent, until a session has used the case."""
    case = db.session.get(IntervisieCase, case_id)
    if case is None or case.author_id != g.user.id:
        note_denial("not_owner" if case else "missing", "intervisie_case", case_id)
        raise Problem(404, "Deze casus bestaat niet, of is niet van jou.")
    if case.status != "offered":
        raise Problem(409, "Deze casus is al besproken in een intervisie.")
    db.session.delete(case)
    db.session.commit()


# -- sessions ------------------------------------------------------------------------------------------


def _session_or_404(session_id) -> IntervisieSession:
    session = db.session.get(IntervisieSession, session_id)
    # The same readers as the team's other views (team_or_404): its members and the beheerder.
    if session is None or role_in_team(g.user, session.team_id) is None:
        note_denial(
            "not_member" if session else "missing",
            "intervisie_session",
            session_id,
            team_id=session.team_id if session else None,
        )
        raise Problem(404, "Deze intervisie bestaat niet, of je hoort niet bij dit team.")
    return session


def _facilitated_or_403(session_id) -> IntervisieSession:
    session = _session_or_404(session_id)
    if session.facilitator_id != g.user.id:
        raise Problem(403, "Alleen wie de intervisie leidt, past haar aan.")
    return session


def _participants(session: IntervisieSession) -> list[dict]:
    rows = db.session.execute(
        select(User.id, User.display_name)
        .join(IntervisieParticipant, IntervisieParticipant.user_id == User.id)
        .where(IntervisieParticipant.session_id == session.id)
        .order_by(User.display_name)
    )
    return [{"id": user_id, "display_name": name} for user_id, name in rows]


def session_body(session: IntervisieSession) -> dict:
    mine = session.facilitator_id == g.user.id
    case = db.session.get(IntervisieCase, session.case_id) if session.case_id else None
    if mine:
        notes = {
            "questions": session.questions,
            "options": session.options,
            "insight": session.insight,
            "beroepscode_title": session.beroepscode_title,
            "action_title": None,
        }
    else:
        notes = session.notes_deidentified or {}
    action = db.session.get(Action, session.action_id) if session.action_id else None
    return {
        "id": session.id,
        "team_id": session.team_id,
        "method": method_body(METHODS[session.method], REQUEST_TEXTS),
        "held_on": session.held_on,
        "status": session.status,
        "step": session.step,
        "theme": _theme(session.theme_id),
        "case": case_body(case) if case else None,
        "facilitator": _person(session.facilitator_id),
        "i_facilitate": mine,
        "participants": _participants(session),
        "notes_visible": mine or session.notes_deidentified is not None,
        "questions": notes.get("questions", []),
        "options": notes.get("options", []),
        "insight": notes.get("insight", ""),
        "beroepscode_article": session.beroepscode_article,
        "beroepscode_title": notes.get("beroepscode_title"),
        "beroepscode": BEROEPSCODE,
        "action": {
            "id": action.id,
            "title": action.title if mine else notes.get("action_title") or "",
            "owner": _person(action.owner_id),
            "due": action.due.isoformat() if action.due else None,
            "status": action.status,
        }
        if action
        else None,
        "created_at": session.created_at,
        "closed_at": session.closed_at,
    }


def _check_theme(team_id, theme_id) -> None:
    if theme_id is not None and theme_id not in allowed_theme_ids(team_id):
        named = gettext("Onbekend thema: %(theme)s", theme=theme_id)
        raise Problem(422, "Onbekend thema.", errors={"theme_id": [named]})


def _create_session(args: dict) -> tuple[IntervisieSession, bool]:
    fingerprint = payload_hash(args)
    existing = find_replay(
        IntervisieSession, IntervisieSession.facilitator_id, g.user.id, args["client_id"], fingerprint
    )
    if existing is not None:
        return existing, False
    case = db.session.get(IntervisieCase, args["case_id"])
    if case is None or g.user.role_in(case.team_id) is None:
        raise Problem(422, "Onbekende casus.", errors={"case_id": ["Geen casus van je team."]})
    if case.status != "offered":
        raise Problem(409, "Deze casus is al besproken in een intervisie.")
    theme_id = args["theme_id"] or (case.themes[0] if case.themes else None)
    _check_theme(case.team_id, theme_id)
    session = IntervisieSession(
        client_id=args["client_id"],
        payload_hash=fingerprint,
        team_id=case.team_id,
        case_id=case.id,
        facilitator_id=g.user.id,
        method=args["method"],
        theme_id=theme_id,
        held_on=args["held_on"],
    )
    case.status = "used"
    db.session.add(session)
    db.session.flush()
    db.session.add(IntervisieParticipant(session_id=session.id, user_id=g.user.id))
    db.session.flush()
    return session, True


@blp.post("/intervisie/sessions")
@blp.arguments(SessionArgs)
@blp.response(201, SessionOut)
@blp.alt_response(200, schema=SessionOut, description="Replay of an earlier client_id")
@blp.alt_response(409, "CONFLICT")
@login_required
def start_session(args):
    """Whoever starts the session leads it (facilitator); any member of the case's team may."""
    session, created = commit_once(lambda: _create_session(dict(args)))
    return session_body(session), 201 if created else 200


@blp.get("/intervisie/sessions")
@blp.arguments(SessionListArgs, location="query")
@blp.response(200, page_of(SessionOut, "IntervisieSessionPage"))
@blp.alt_response(404, "NOT_FOUND")
@login_required
def list_sessions(args):
    team = team_or_404(args["team_id"] or writing_team(None).id)
    stmt = (
        select(IntervisieSession)
        .where(IntervisieSession.team_id == team.id)
        .order_by(IntervisieSession.held_on.desc(), IntervisieSession.created_at.desc(), IntervisieSession.id)
    )
    return paginate(stmt, args, session_body)


@blp.get("/intervisie/sessions/<uuid:session_id>")
@blp.response(200, SessionOut)
@login_required
def get_session(session_id):
    return session_body(_session_or_404(session_id))


def _set_participants(session: IntervisieSession, user_ids: list) -> None:
    wanted = set(user_ids) | {session.facilitator_id}
    members = set(
        db.session.scalars(
            select(Membership.user_id)
            .join(User)
            .where(
                Membership.team_id == session.team_id, Membership.user_id.in_(wanted), User.active.is_(True)
            )
        )
    )
    if wanted - members:
        raise Problem(
            422, "Kies deelnemers uit het team.", errors={"participant_ids": ["Geen lid van dit team."]}
        )
    current = {
        row.user_id: row
        for row in db.session.scalars(
            select(IntervisieParticipant).where(IntervisieParticipant.session_id == session.id)
        )
    }
    for user_id, row in current.items():
        if user_id not in wanted:
            db.session.delete(row)
    for new_id in wanted - set(current):
        db.session.add(IntervisieParticipant(session_id=session.id, user_id=new_id))


@blp.patch("/intervisie/sessions/<uuid:session_id>")
@blp.arguments(SessionPatchArgs)
@blp.response(200, SessionOut)
@blp.alt_response(403, "FORBIDDEN")
@login_required
def update_session(args, session_id):
    session = _facilitated_or_403(session_id)
    if session.status == "closed" and set(args) - {"status"}:
        raise Problem(409, "Deze intervisie is afgesloten.")
    method = METHODS[session.method]
    if "step" in args:
        if args["step"] >= len(method.steps):
            last = gettext("Hoogstens %(last)s.", last=len(method.steps) - 1)
            raise Problem(422, "Deze stap bestaat niet.", errors={"step": [last]})
        session.step = args["step"]
    notes_changed = False
    for field in ("questions", "options"):
        if field in args:
            setattr(session, field, [item.strip() for item in args[field] if item.strip()])
            notes_changed = True
    if "insight" in args:
        session.insight, notes_changed = args["insight"].strip(), True
    if "beroepscode_article" in args:
        session.beroepscode_article = args["beroepscode_article"]
    if "beroepscode_title" in args:
        session.beroepscode_title = (args["beroepscode_title"] or "").strip() or None
        notes_changed = True
    if "theme_id" in args:
        _check_theme(session.team_id, args["theme_id"])
        session.theme_id = args["theme_id"]
    if "participant_ids" in args:
        _set_participants(session, args["participant_ids"])
    if args.get("status") == "closed" and session.status != "closed":
        _close(session)
        notes_changed = True
    if notes_changed:
        emit(Event.INTERVISIE_SESSION_NOTED, session_id=session.id)
    db.session.commit()
    return session_body(session)


def _close(session: IntervisieSession) -> None:
    if not session.insight:
        raise Problem(
            422,
            "Schrijf in één zin wat het team wil onthouden.",
            errors={"insight": ["Verplicht bij het afsluiten."]},
        )
    if session.method == "moreel_beraad" and session.beroepscode_article is None:
        raise Problem(
            422,
            "Noem het artikel van de beroepscode waar dit dilemma over gaat.",
            errors={"beroepscode_article": ["Verplicht bij moreel beraad."]},
        )
    session.status, session.closed_at = "closed", utcnow()
    db.session.add(
        TeamLearningNote(
            team_id=session.team_id,
            theme_id=session.theme_id,
            session_id=session.id,
            method=session.method,
            text=session.insight,
        )
    )


@blp.post("/intervisie/sessions/<uuid:session_id>/action")
@blp.arguments(SessionActionArgs)
@blp.response(201, SessionOut)
@blp.alt_response(200, schema=SessionOut, description="the same client_id again")
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(409, "CONFLICT")
@login_required
def add_action(args, session_id):
    """The chosen action becomes an ordinary action: its owner follows it up like any other."""
    session = _facilitated_or_403(session_id)
    fingerprint = payload_hash(args)
    if session.action_id is not None:
        existing = db.session.get(Action, session.action_id)
        if (
            existing is not None
            and existing.client_id == args["client_id"]
            and existing.payload_hash == fingerprint
        ):
            return session_body(session), 200
        raise Problem(409, "Deze intervisie heeft al een actie.")
    attended = db.session.scalar(
        select(IntervisieParticipant.id).where(
            IntervisieParticipant.session_id == session.id, IntervisieParticipant.user_id == args["owner_id"]
        )
    )
    if attended is None:
        raise Problem(
            422,
            "De actie-eigenaar is een van de deelnemers.",
            errors={"owner_id": ["Geen deelnemer van deze intervisie."]},
        )
    action = Action(
        client_id=args["client_id"],
        team_id=session.team_id,
        created_by_id=g.user.id,
        owner_id=args["owner_id"],
        title=args["title"].strip(),
        due=args["due"],
        payload_hash=fingerprint,
    )
    db.session.add(action)
    db.session.flush()
    session.action_id = action.id
    emit(Event.INTERVISIE_SESSION_NOTED, session_id=session.id)
    db.session.commit()
    return session_body(session), 201


# -- team learning notes -------------------------------------------------------------------------------


@blp.get("/teams/<uuid:team_id>/learning-notes")
@blp.arguments(LearningNoteArgs, location="query")
@blp.response(200, page_of(LearningNoteOut, "LearningNotePage"))
@login_required
def learning_notes(args, team_id):
    team = team_or_404(team_id)
    zone = zoneinfo.ZoneInfo(team.timezone)
    stmt = select(TeamLearningNote).where(
        TeamLearningNote.team_id == team.id, TeamLearningNote.text_deidentified.is_not(None)
    )
    if "theme_id" in args:
        stmt = stmt.where(TeamLearningNote.theme_id == args["theme_id"])
    stmt = stmt.order_by(TeamLearningNote.created_at.desc(), TeamLearningNote.id)
    return paginate(
        stmt,
        args,
        lambda note: {
            "id": note.id,
            "theme": _theme(note.theme_id),
            "method": note.method,
            "text": note.text_deidentified,
            "iso_week": iso_week_of(note.created_at, zone),
            "session_id": note.session_id,
        },
    )


# -- a medewerker's own data (AVG export and erasure, server/api/privacy.py) ---------------------------


def export_of(user_id) -> dict:
    cases = db.session.scalars(select(IntervisieCase).where(IntervisieCase.author_id == user_id)).all()
    sessions = db.session.scalars(
        select(IntervisieSession)
        .join(IntervisieParticipant, IntervisieParticipant.session_id == IntervisieSession.id)
        .where(IntervisieParticipant.user_id == user_id)
    ).all()
    return {
        "cases_offered": [
            {
                "id": c.id,
                "text": c.text,
                "present_myself": c.present_myself,
                "status": c.status,
                "created_at": c.created_at,
            }
            for c in cases
        ],
        "sessions_attended": [
            {
                "id": s.id,
                "held_on": s.held_on,
                "method": s.method,
                "facilitated": s.facilitator_id == user_id,
                "notes": {"questions": s.questions, "options": s.options, "insight": s.insight}
                if s.facilitator_id == user_id
                else None,
            }
            for s in sessions
        ],
    }


def forget_facilitator(user_id) -> None:
    """On erasure the facilitator's own words go; what colleagues already read (de-identified) stays."""
    for session in db.session.scalars(
        select(IntervisieSession).where(IntervisieSession.facilitator_id == user_id)
    ):
        clean = session.notes_deidentified or {}
        session.questions, session.options = clean.get("questions", []), clean.get("options", [])
        session.insight, session.beroepscode_title = clean.get("insight", ""), clean.get("beroepscode_title")
        note = db.session.scalar(select(TeamLearningNote).where(TeamLearningNote.session_id == session.id))
        if note is not None:
            note.text = note.text_deidentified or ""
