"""Learning questions (leervragen): the author's own, the team's shared ones, "ik weet hier iets van".

A question is the author's alone until they share it; colleagues then see only the de-identified
text (after the worker made it), never who asked. A colleague who knows something is shown to the
asker, and to nobody else. Their themes (`question_themes`) are used by the learning area and the
board alike: a module of its own, so server/services/learning.py and board.py need not import each
other.
"""

from collections import defaultdict

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from server.audit import audit, note_denial
from server.auth.access import CONTENT_ROLES, own_or_404, own_reference_or_422
from server.auth.caller import Caller, CallerTeam
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.idempotency import find_replay, payload_hash
from server.models import (
    LearningQuestion,
    LearningQuestionHelper,
    Reflection,
    ReflectionTheme,
    Team,
    User,
    utcnow,
)


def team_visible(question: LearningQuestion) -> bool:
    """Colleagues see a question only when its author shared it and the worker de-identified it."""
    return question.shared and question.text_deidentified is not None


# --- the author's own ----------------------------------------------------------------------------


def create(args: dict, author: Caller, team: CallerTeam) -> tuple[LearningQuestion, bool]:
    """(question, created); `args` without team_id. A replay of the same client_id is the original."""
    fingerprint = payload_hash(args)
    if args["client_id"] is not None:
        existing = find_replay(
            LearningQuestion, LearningQuestion.author_id, author.id, args["client_id"], fingerprint
        )
        if existing is not None:
            return existing, False
    own_reference_or_422(Reflection, args["reflection_id"], "reflection_id", "Onbekende reflectie.")
    question = LearningQuestion(
        client_id=args["client_id"],
        payload_hash=fingerprint,
        author_id=author.id,
        team_id=team.id,
        text=args["text"].strip(),
        due=args["due"],
        reflection_id=args["reflection_id"],
    )
    db.session.add(question)
    db.session.flush()
    return question, True


def own_question_or_404(question_id) -> LearningQuestion:
    return own_or_404(LearningQuestion, question_id, "Deze leervraag bestaat niet, of is niet van jou.")


def own_questions(author: Caller, status: str | None):
    """The author's questions, open first, newest first (a select, for paginate)."""
    stmt = select(LearningQuestion).where(LearningQuestion.author_id == author.id)
    if status is not None:
        stmt = stmt.where(LearningQuestion.status == status)
    return stmt.order_by(
        LearningQuestion.status.desc(), LearningQuestion.created_at.desc(), LearningQuestion.id
    )


def update(question: LearningQuestion, changes: dict) -> None:
    if "text" in changes:
        if not changes["text"].strip():
            raise Problem(
                422, "Schrijf je leervraag in een paar woorden.", errors={"text": ["Mag niet leeg zijn."]}
            )
        if changes["text"].strip() != question.text:
            question.text = changes["text"].strip()
            # Until the worker has de-identified the new text, the team sees nothing of it.
            question.text_deidentified = None
    if "due" in changes:
        question.due = changes["due"]
    if "learned" in changes:
        question.learned = (changes["learned"] or "").strip() or None
    if changes.get("status") == "closed" and question.status != "closed":
        question.status, question.closed_at = "closed", utcnow()
    elif changes.get("status") == "open":
        question.status, question.closed_at = "open", None
    if question.status == "closed" and not question.learned:
        raise Problem(
            422,
            "Schrijf in één zin wat je hebt geleerd.",
            errors={"learned": ["Verplicht bij het afsluiten van een leervraag."]},
        )
    if "shared" in changes:
        question.shared = changes["shared"]
    if question.shared and question.text_deidentified is None:
        emit(Event.LEARNING_QUESTION_SHARED, question_id=question.id)


def helper_names(question: LearningQuestion) -> list[dict]:
    """Who said "ik weet hier iets van", in order: for the asker's eyes only."""
    rows = db.session.execute(
        select(User.id, User.display_name)
        .join(LearningQuestionHelper, LearningQuestionHelper.user_id == User.id)
        .where(LearningQuestionHelper.question_id == question.id)
        .order_by(LearningQuestionHelper.created_at)
    )
    return [{"id": user_id, "display_name": name} for user_id, name in rows]


def linked_reflections(question: LearningQuestion) -> int:
    return db.session.scalar(select(func.count()).where(Reflection.learning_question_id == question.id)) or 0


# --- the team's shared ones ----------------------------------------------------------------------


def shared_in(team: Team, status: str):
    """The team's shared, de-identified questions (a select); `status` "all", "open" or "closed".
    Within a week the random UUID order hides who asked when."""
    stmt = select(LearningQuestion).where(
        LearningQuestion.team_id == team.id,
        LearningQuestion.shared.is_(True),
        LearningQuestion.text_deidentified.is_not(None),
    )
    if status != "all":
        stmt = stmt.where(LearningQuestion.status == status)
    return stmt.order_by(LearningQuestion.created_at.desc(), LearningQuestion.id)


def note_team_read(team: Team) -> None:
    audit("team.learning_questions.read", "team", team.id, team_id=team.id)


def helpers_of(question_ids: list) -> dict:
    """Per question id: the ids of colleagues who know something about it."""
    helpers: dict = {}
    for question_id, user_id in db.session.execute(
        select(LearningQuestionHelper.question_id, LearningQuestionHelper.user_id).where(
            LearningQuestionHelper.question_id.in_(question_ids)
        )
    ):
        helpers.setdefault(question_id, set()).add(user_id)
    return helpers


def colleague_question_or_404(user: Caller, question_id) -> LearningQuestion:
    question = db.session.get(LearningQuestion, question_id)
    if question is None or not team_visible(question) or user.role_in(question.team_id) not in CONTENT_ROLES:
        note_denial(
            "not_shared" if question else "missing",
            "learning_question",
            question_id,
            team_id=question.team_id if question else None,
        )
        raise Problem(404, "Deze leervraag bestaat niet, of is niet met je gedeeld.")
    return question


def mark_helper(user: Caller, question: LearningQuestion) -> bool:
    """ "Ik weet hier iets van" (the asker will see your name); False if you had already said so."""
    if question.author_id == user.id:
        raise Problem(422, "Dit is je eigen leervraag.")
    created = (
        db.session.scalar(
            select(LearningQuestionHelper).where(
                LearningQuestionHelper.question_id == question.id, LearningQuestionHelper.user_id == user.id
            )
        )
        is None
    )
    if created:
        try:
            with db.session.begin_nested():
                db.session.add(LearningQuestionHelper(question_id=question.id, user_id=user.id))
        except IntegrityError:  # a double tap that committed first
            created = False
    return created


def unmark_helper(user: Caller, question: LearningQuestion) -> None:
    db.session.execute(
        delete(LearningQuestionHelper).where(
            LearningQuestionHelper.question_id == question.id, LearningQuestionHelper.user_id == user.id
        )
    )


def question_themes(question_ids: list) -> dict:
    """Themes of each question: those of the reflection it came from and of reflections linked to it."""
    if not question_ids:
        return {}
    themes: dict = defaultdict(set)
    sources = dict(
        db.session.execute(
            select(LearningQuestion.id, LearningQuestion.reflection_id).where(
                LearningQuestion.id.in_(question_ids)
            )
        ).all()
    )
    by_reflection = defaultdict(list)
    for question_id, reflection_id in sources.items():
        if reflection_id is not None:
            by_reflection[reflection_id].append(question_id)
    rows = db.session.execute(
        select(Reflection.id, Reflection.learning_question_id, ReflectionTheme.theme_id)
        .join(ReflectionTheme, ReflectionTheme.reflection_id == Reflection.id)
        .where(or_(Reflection.id.in_(list(by_reflection)), Reflection.learning_question_id.in_(question_ids)))
    )
    for reflection_id, linked_question, theme_id in rows:
        for question_id in by_reflection.get(reflection_id, []):
            themes[question_id].add(theme_id)
        if linked_question in sources:
            themes[linked_question].add(theme_id)
    return themes
