"""Learning (Mijn ontwikkeling): personal learning questions, the team's shared questions, the
personal overview, theme of the month and the knowledge map. Rules in server/services/learning.py.

A learning question is the author's alone until they share it; colleagues then see only the
de-identified text (after the worker made it), never who asked. A colleague can say "ik weet hier
iets van": the asker sees who, so they can go and ask — nobody else does.
"""

import zoneinfo

from flask import g
from flask_smorest import Blueprint

from server.api import paginate
from server.auth.access import (
    content_team_or_404,
    login_required,
    writing_team,
)
from server.extensions import db
from server.idempotency import commit_once
from server.models import (
    LearningQuestion,
    Team,
    ThemeOfTheMonth,
    User,
)
from server.schemas.common import page_of, values_of
from server.schemas.learning import (
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
from server.services import learning, learning_questions
from server.services.team_themes import theme_label
from server.weeks import iso_week_of

blp = Blueprint("learning", __name__, url_prefix="/api/v1", description="Ontwikkeling en leeragenda")


# -- own learning questions --------------------------------------------------------------------------


def question_out(question: LearningQuestion) -> dict:
    return values_of(
        LearningQuestionOut,
        question,
        visible_to_team=learning_questions.team_visible(question),
        linked_reflections=learning_questions.linked_reflections(question),
        helpers=learning_questions.helper_names(question),
    )


@blp.post("/learning-questions")
@blp.arguments(LearningQuestionArgs)
@blp.response(201, LearningQuestionOut)
@blp.alt_response(200, schema=LearningQuestionOut, description="Replay of an earlier client_id")
@login_required
def create_question(args):
    def create():
        fields = dict(args)
        team = writing_team(fields.pop("team_id"))
        return learning_questions.create(fields, g.user, team)

    question, created = commit_once(create)
    return question_out(question), 201 if created else 200


@blp.get("/learning-questions")
@blp.arguments(LearningQuestionListArgs, location="query")
@blp.response(200, page_of(LearningQuestionOut, "LearningQuestionPage"))
@login_required
def list_questions(args):
    return paginate(learning_questions.own_questions(g.user, args.get("status")), args, question_out)


@blp.get("/learning-questions/<uuid:question_id>")
@blp.response(200, LearningQuestionOut)
@login_required
def get_question(question_id):
    return question_out(learning_questions.own_question_or_404(question_id))


@blp.patch("/learning-questions/<uuid:question_id>")
@blp.arguments(LearningQuestionPatchArgs)
@blp.response(200, LearningQuestionOut)
@login_required
def update_question(args, question_id):
    question = learning_questions.own_question_or_404(question_id)
    learning_questions.update(question, args)
    db.session.commit()
    return question_out(question)


@blp.delete("/learning-questions/<uuid:question_id>")
@blp.response(204)
@login_required
def delete_question(question_id):
    db.session.delete(learning_questions.own_question_or_404(question_id))
    db.session.commit()


# -- the team's shared questions -----------------------------------------------------------------------


def team_question_out(question: LearningQuestion, zone, themes: set, helpers: set) -> dict:
    return values_of(
        TeamLearningQuestionOut,
        question,
        iso_week=iso_week_of(question.created_at, zone),
        text=question.text_deidentified,
        themes=[{"id": theme_id, "label": theme_label(theme_id)} for theme_id in sorted(themes)],
        helpers=len(helpers),
        i_know_something=g.user.id in helpers,
        mine=question.author_id == g.user.id,
    )


@blp.get("/team/learning-questions")
@blp.arguments(TeamLearningQuestionArgs, location="query")
@blp.response(200, page_of(TeamLearningQuestionOut, "TeamLearningQuestionPage"))
@blp.alt_response(404, "NOT_FOUND")  # ?team_id= names a team you are not in
@login_required
def team_questions(args):
    """Shared, de-identified questions of the team: no author, week-level dates."""
    team = content_team_or_404(args["team_id"] or writing_team(None).id)
    zone = zoneinfo.ZoneInfo(team.timezone)
    page = paginate(learning_questions.shared_in(team, args["status"]), args)
    ids = [question.id for question in page["items"]]
    themes, helpers = learning_questions.question_themes(ids), learning_questions.helpers_of(ids)
    page["items"] = sorted(
        (
            team_question_out(q, zone, themes.get(q.id, set()), helpers.get(q.id, set()))
            for q in page["items"]
        ),
        key=lambda item: (item["iso_week"], str(item["id"])),
        reverse=True,
    )
    learning_questions.note_team_read(team)
    db.session.commit()
    return page


@blp.post("/learning-questions/<uuid:question_id>/helpers")
@blp.response(201, TeamLearningQuestionOut)
@blp.alt_response(200, schema=TeamLearningQuestionOut, description="You had already marked it")
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")  # your own question
@login_required
def mark_helper(question_id):
    """ "Ik weet hier iets van": the asker will see your name."""
    question = learning_questions.colleague_question_or_404(g.user, question_id)
    created = learning_questions.mark_helper(g.user, question)
    db.session.commit()
    zone = zoneinfo.ZoneInfo(db.session.get_one(Team, question.team_id).timezone)
    body = team_question_out(
        question,
        zone,
        learning_questions.question_themes([question.id]).get(question.id, set()),
        learning_questions.helpers_of([question.id]).get(question.id, set()),
    )
    return body, 201 if created else 200


@blp.delete("/learning-questions/<uuid:question_id>/helpers/me")
@blp.response(204)
@login_required
def unmark_helper(question_id):
    learning_questions.unmark_helper(
        g.user, learning_questions.colleague_question_or_404(g.user, question_id)
    )
    db.session.commit()


# -- personal overview ---------------------------------------------------------------------------------


@blp.get("/me/overview")
@blp.arguments(OverviewArgs, location="query")
@blp.response(200, OverviewOut)
@login_required
def my_overview(args):
    """Only ever the caller's own data: there is no way to ask for someone else's overview."""
    return learning.overview(g.user, args["weeks"])


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
        team_cell, mine = learning.contributions(team, chosen, g.user.id)
        body |= {
            "theme_id": chosen.theme_id,
            "label": theme_label(chosen.theme_id),
            "description": chosen.description,
            "links": chosen.links,
            "casusoverleg_on": chosen.casusoverleg_on,
            "set_by": {"id": setter.id, "display_name": setter.display_name} if setter else None,
            "updated_at": chosen.updated_at,
            "keepers": learning.keepers_by_theme(team.id).get(chosen.theme_id, []),
            "contributions": team_cell,
            "my_contributions": mine,
        }
    body["suggestion"] = learning.suggestion(team) if with_suggestion else None
    return body


@blp.get("/teams/<uuid:team_id>/theme-of-the-month")
@blp.arguments(ThemeOfTheMonthQuery, location="query")
@blp.response(200, ThemeOfTheMonthOut)
@login_required
def get_theme_of_the_month(args, team_id):
    team = content_team_or_404(team_id)
    month = args.get("month") or learning.current_month(team)
    chosen = learning.theme_of_the_month(team, month)
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
    month = args["month"] or learning.current_month(team)
    chosen = learning.set_theme_of_the_month(team, month, args, g.user)
    return _theme_of_the_month_body(team, month, chosen, with_suggestion=True)


# -- knowledge map ---------------------------------------------------------------------------------------


@blp.get("/teams/<uuid:team_id>/knowledge-map")
@blp.response(200, KnowledgeMapOut)
@login_required
def knowledge_map(team_id):
    body = learning.knowledge_map(content_team_or_404(team_id), g.user)
    db.session.commit()
    return body
