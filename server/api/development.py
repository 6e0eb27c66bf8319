"""Development: personal learning questions, the team's shared questions, the personal overview,
theme of the month and the knowledge map.

A learning question is the author's alone until they share it; colleagues then see only the
de-identified text (after the worker made it), never who asked. A colleague can say "ik weet hier
iets van": the asker sees who, so they can go and ask — nobody else does.
"""

import zoneinfo

from flask import g
from flask_smorest import Blueprint
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from server import development
from server.api import paginate
from server.audit import audit, note_denial
from server.auth.access import (
    CONTENT_ROLES,
    content_team_or_404,
    login_required,
    own_or_404,
    own_reference_or_422,
    writing_team,
)
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.i18n import gettext
from server.idempotency import commit_once, find_replay, payload_hash
from server.models import (
    LearningQuestion,
    LearningQuestionHelper,
    Reflection,
    Team,
    ThemeOfTheMonth,
    User,
    utcnow,
)
from server.schemas.common import page_of
from server.schemas.development import (
    KnowledgeMapOut,
    LearningQuestionArgs,
    LearningQuestionListArgs,
    LearningQuestionOut,
    LearningQuestionPatchArgs,
    OverviewArgs,
    OverviewOut,
    TeamLearningQuestionArgs,
    TeamLearningQuestionOut,
    ThemeOfTheMonthArgs,
    ThemeOfTheMonthOut,
    ThemeOfTheMonthQuery,
)
from server.team_themes import allowed_theme_ids, theme_label
from server.weeks import iso_week_of

blp = Blueprint("development", __name__, url_prefix="/api/v1", description="Ontwikkeling en leeragenda")


# -- own learning questions --------------------------------------------------------------------------


def question_body(question: LearningQuestion) -> dict:
    helpers = db.session.execute(
        select(User.id, User.display_name)
        .join(LearningQuestionHelper, LearningQuestionHelper.user_id == User.id)
        .where(LearningQuestionHelper.question_id == question.id)
        .order_by(LearningQuestionHelper.created_at)
    )
    linked = db.session.scalar(select(func.count()).where(Reflection.learning_question_id == question.id))
    body = {
        column: getattr(question, column)
        for column in (
            "id",
            "client_id",
            "team_id",
            "text",
            "due",
            "status",
            "learned",
            "shared",
            "reflection_id",
            "created_at",
            "closed_at",
        )
    }
    return body | {
        "visible_to_team": development.team_visible(question),
        "linked_reflections": linked,
        "helpers": [{"id": user_id, "display_name": name} for user_id, name in helpers],
    }


def _create(args: dict) -> tuple[LearningQuestion, bool]:
    team = writing_team(args.pop("team_id"))
    fingerprint = payload_hash(args)
    if args["client_id"] is not None:
        existing = find_replay(
            LearningQuestion, LearningQuestion.author_id, g.user.id, args["client_id"], fingerprint
        )
        if existing is not None:
            return existing, False
    own_reference_or_422(Reflection, args["reflection_id"], "reflection_id", "Onbekende reflectie.")
    question = LearningQuestion(
        client_id=args["client_id"],
        payload_hash=fingerprint,
        author_id=g.user.id,
        team_id=team.id,
        text=args["text"].strip(),
        due=args["due"],
        reflection_id=args["reflection_id"],
    )
    db.session.add(question)
    db.session.flush()
    return question, True


@blp.post("/learning-questions")
@blp.arguments(LearningQuestionArgs)
@blp.response(201, LearningQuestionOut)
@blp.alt_response(200, schema=LearningQuestionOut, description="Replay of an earlier client_id")
@login_required
def create_question(args):
    question, created = commit_once(lambda: _create(dict(args)))
    return question_body(question), 201 if created else 200


@blp.get("/learning-questions")
@blp.arguments(LearningQuestionListArgs, location="query")
@blp.response(200, page_of(LearningQuestionOut, "LearningQuestionPage"))
@login_required
def list_questions(args):
    stmt = select(LearningQuestion).where(LearningQuestion.author_id == g.user.id)
    if "status" in args:
        stmt = stmt.where(LearningQuestion.status == args["status"])
    stmt = stmt.order_by(
        LearningQuestion.status.desc(), LearningQuestion.created_at.desc(), LearningQuestion.id
    )
    return paginate(stmt, args, question_body)


def own_question_or_404(question_id) -> LearningQuestion:
    return own_or_404(LearningQuestion, question_id, "Deze leervraag bestaat niet, of is niet van jou.")


@blp.get("/learning-questions/<uuid:question_id>")
@blp.response(200, LearningQuestionOut)
@login_required
def get_question(question_id):
    return question_body(own_question_or_404(question_id))


@blp.patch("/learning-questions/<uuid:question_id>")
@blp.arguments(LearningQuestionPatchArgs)
@blp.response(200, LearningQuestionOut)
@login_required
def update_question(args, question_id):
    question = own_question_or_404(question_id)
    if "text" in args:
        if not args["text"].strip():
            raise Problem(
                422, "Schrijf je leervraag in een paar woorden.", errors={"text": ["Mag niet leeg zijn."]}
            )
        if args["text"].strip() != question.text:
            question.text = args["text"].strip()
            # Until the worker has de-identified the new text, the team sees nothing of it.
            question.text_deidentified = None
    if "due" in args:
        question.due = args["due"]
    if "learned" in args:
        question.learned = (args["learned"] or "").strip() or None
    if args.get("status") == "closed" and question.status != "closed":
        question.status, question.closed_at = "closed", utcnow()
    elif args.get("status") == "open":
        question.status, question.closed_at = "open", None
    if question.status == "closed" and not question.learned:
        raise Problem(
            422,
            "Schrijf in één zin wat je hebt geleerd.",
            errors={"learned": ["Verplicht bij het afsluiten van een leervraag."]},
        )
    if "shared" in args:
        question.shared = args["shared"]
    if question.shared and question.text_deidentified is None:
        emit(Event.LEARNING_QUESTION_SHARED, question_id=question.id)
    db.session.commit()
    return question_body(question)


@blp.delete("/learning-questions/<uuid:question_id>")
@blp.response(204)
@login_required
def delete_question(question_id):
    db.session.delete(own_question_or_404(question_id))
    db.session.commit()


# -- the team's shared questions -----------------------------------------------------------------------


def team_question_body(question: LearningQuestion, zone, themes: set, helpers: set) -> dict:
    return {
        "id": question.id,
        "iso_week": iso_week_of(question.created_at, zone),
        "text": question.text_deidentified,
        "status": question.status,
        "themes": [{"id": theme_id, "label": theme_label(theme_id)} for theme_id in sorted(themes)],
        "helpers": len(helpers),
        "i_know_something": g.user.id in helpers,
        "mine": question.author_id == g.user.id,
    }


def _helpers_of(question_ids: list) -> dict:
    helpers: dict = {}
    for question_id, user_id in db.session.execute(
        select(LearningQuestionHelper.question_id, LearningQuestionHelper.user_id).where(
            LearningQuestionHelper.question_id.in_(question_ids)
        )
    ):
        helpers.setdefault(question_id, set()).add(user_id)
    return helpers


@blp.get("/team/learning-questions")
@blp.arguments(TeamLearningQuestionArgs, location="query")
@blp.response(200, page_of(TeamLearningQuestionOut, "TeamLearningQuestionPage"))
@blp.alt_response(404, "NOT_FOUND")  # ?team_id= names a team you are not in
@login_required
def team_questions(args):
    """Shared, de-identified questions of the team: no author, week-level dates."""
    team = content_team_or_404(args["team_id"] or writing_team(None).id)
    zone = zoneinfo.ZoneInfo(team.timezone)
    stmt = select(LearningQuestion).where(
        LearningQuestion.team_id == team.id,
        LearningQuestion.shared.is_(True),
        LearningQuestion.text_deidentified.is_not(None),
    )
    if args["status"] != "all":
        stmt = stmt.where(LearningQuestion.status == args["status"])
    # Within a week the random UUID order hides who asked when.
    stmt = stmt.order_by(LearningQuestion.created_at.desc(), LearningQuestion.id)
    page = paginate(stmt, args)
    ids = [question.id for question in page["items"]]
    themes, helpers = development.question_themes(ids), _helpers_of(ids)
    page["items"] = sorted(
        (
            team_question_body(q, zone, themes.get(q.id, set()), helpers.get(q.id, set()))
            for q in page["items"]
        ),
        key=lambda item: (item["iso_week"], str(item["id"])),
        reverse=True,
    )
    audit("team.learning_questions.read", "team", team.id, team_id=team.id)
    db.session.commit()
    return page


def _colleague_question_or_404(question_id) -> LearningQuestion:
    question = db.session.get(LearningQuestion, question_id)
    if (
        question is None
        or not development.team_visible(question)
        or g.user.role_in(question.team_id) not in CONTENT_ROLES
    ):
        note_denial(
            "not_shared" if question else "missing",
            "learning_question",
            question_id,
            team_id=question.team_id if question else None,
        )
        raise Problem(404, "Deze leervraag bestaat niet, of is niet met je gedeeld.")
    return question


@blp.post("/learning-questions/<uuid:question_id>/helpers")
@blp.response(201, TeamLearningQuestionOut)
@blp.alt_response(200, schema=TeamLearningQuestionOut, description="You had already marked it")
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")  # your own question
@login_required
def mark_helper(question_id):
    """ "Ik weet hier iets van": the asker will see your name."""
    question = _colleague_question_or_404(question_id)
    if question.author_id == g.user.id:
        raise Problem(422, "Dit is je eigen leervraag.")
    created = (
        db.session.scalar(
            select(LearningQuestionHelper).where(
                LearningQuestionHelper.question_id == question.id, LearningQuestionHelper.user_id == g.user.id
            )
        )
        is None
    )
    if created:
        try:
            with db.session.begin_nested():
                db.session.add(LearningQuestionHelper(question_id=question.id, user_id=g.user.id))
        except IntegrityError:  # a double tap that committed first
            created = False
    db.session.commit()
    zone = zoneinfo.ZoneInfo(db.session.get(Team, question.team_id).timezone)
    body = team_question_body(
        question,
        zone,
        development.question_themes([question.id]).get(question.id, set()),
        _helpers_of([question.id]).get(question.id, set()),
    )
    return body, 201 if created else 200


@blp.delete("/learning-questions/<uuid:question_id>/helpers/me")
@blp.response(204)
@login_required
def unmark_helper(question_id):
    question = _colleague_question_or_404(question_id)
    db.session.execute(
        delete(LearningQuestionHelper).where(
            LearningQuestionHelper.question_id == question.id, LearningQuestionHelper.user_id == g.user.id
        )
    )
    db.session.commit()


# -- personal overview ---------------------------------------------------------------------------------


@blp.get("/me/overview")
@blp.arguments(OverviewArgs, location="query")
@blp.response(200, OverviewOut)
@login_required
def my_overview(args):
    """Only ever the caller's own data: there is no way to ask for someone else's overview."""
    return development.overview(g.user, args["weeks"])


# -- theme of the month ----------------------------------------------------------------------------------


def _theme_of_the_month_body(team, month: str, chosen: ThemeOfTheMonth | None, with_suggestion: bool) -> dict:
    body = {
        "month": month,
        "theme_id": None,
        "label": None,
        "description": "",
        "links": [],
        "casusoverleg_on": None,
        "set_by": None,
        "updated_at": None,
        "keepers": [],
        "contributions": None,
        "my_contributions": 0,
    }
    if chosen is not None:
        setter = db.session.get(User, chosen.set_by_id) if chosen.set_by_id else None
        team_cell, mine = development.contributions(team, chosen, g.user.id)
        body |= {
            "theme_id": chosen.theme_id,
            "label": theme_label(chosen.theme_id),
            "description": chosen.description,
            "links": chosen.links,
            "casusoverleg_on": chosen.casusoverleg_on,
            "set_by": {"id": setter.id, "display_name": setter.display_name} if setter else None,
            "updated_at": chosen.updated_at,
            "keepers": development.keepers_by_theme(team.id).get(chosen.theme_id, []),
            "contributions": team_cell,
            "my_contributions": mine,
        }
    body["suggestion"] = development.suggestion(team) if with_suggestion else None
    return body


@blp.get("/teams/<uuid:team_id>/theme-of-the-month")
@blp.arguments(ThemeOfTheMonthQuery, location="query")
@blp.response(200, ThemeOfTheMonthOut)
@login_required
def get_theme_of_the_month(args, team_id):
    team = content_team_or_404(team_id)
    month = args.get("month") or development.current_month(team)
    chosen = development.theme_of_the_month(team, month)
    # The suggestion is for whoever picks the theme; members just see what was chosen.
    leads = g.user.role_in(team.id) == "teamleider"
    return _theme_of_the_month_body(team, month, chosen, with_suggestion=leads)


@blp.put("/teams/<uuid:team_id>/theme-of-the-month")
@blp.arguments(ThemeOfTheMonthArgs)
@blp.response(200, ThemeOfTheMonthOut)
@blp.alt_response(409, "CONFLICT")  # someone else set it at the same moment
@login_required
def put_theme_of_the_month(args, team_id):
    team = content_team_or_404(team_id, ("teamleider",))
    if args["theme_id"] not in allowed_theme_ids(team.id):
        named = gettext("Onbekend thema: %(theme)s", theme=args["theme_id"])
        raise Problem(422, "Onbekend thema.", errors={"theme_id": [named]})
    month = args["month"] or development.current_month(team)
    chosen = development.theme_of_the_month(team, month)
    if chosen is None:
        chosen = ThemeOfTheMonth(team_id=team.id, month=month)
        db.session.add(chosen)
    chosen.theme_id, chosen.description = args["theme_id"], args["description"].strip()
    chosen.links = [{"title": link["title"].strip(), "url": link["url"]} for link in args["links"]]
    chosen.casusoverleg_on, chosen.set_by_id, chosen.updated_at = args["casusoverleg_on"], g.user.id, utcnow()
    audit("theme_of_the_month.set", "team", team.id, team_id=team.id)
    try:
        db.session.commit()
    except IntegrityError as error:  # two leads saving the same new month at once
        db.session.rollback()
        raise Problem(409, "Iemand anders zette net het thema van deze maand. Laad opnieuw.") from error
    return _theme_of_the_month_body(team, month, chosen, with_suggestion=True)


# -- knowledge map ---------------------------------------------------------------------------------------


@blp.get("/teams/<uuid:team_id>/knowledge-map")
@blp.response(200, KnowledgeMapOut)
@login_required
def knowledge_map(team_id):
    team = content_team_or_404(team_id)
    if g.user.role_in(team.id) != "teamleider" and not team.members_see_themes:
        raise Problem(403, "De kenniskaart is in dit team voor teamleiders.")
    body = development.knowledge_map(team)
    audit("team.knowledge_map.read", "team", team.id, team_id=team.id)
    db.session.commit()
    return body
