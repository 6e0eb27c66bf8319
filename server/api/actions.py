"""Actions: a concrete next step with an owner and a due date, from a reflection or a digest.

Route → schema → service (server/services/actions.py) → answer.
"""

from flask import g
from flask_smorest import Blueprint

from server.api import paginate
from server.auth.access import login_required, writing_team
from server.extensions import db
from server.idempotency import commit_once
from server.models import Action
from server.schemas.actions import ActionCreateArgs, ActionListArgs, ActionOut, ActionPatchArgs
from server.schemas.common import page_of, values_of
from server.services import actions

blp = Blueprint(
    "actions", __name__, url_prefix="/api/v1", description="Acties uit reflecties en weekoverzichten"
)


def action_out(action: Action) -> dict:
    return values_of(
        ActionOut,
        action,
        owner=actions.person(action.owner_id),
        created_by=actions.person(action.created_by_id),
        reflection_id=actions.shown_reflection_id(action, g.user),
    )


@blp.get("/actions")
@blp.arguments(ActionListArgs, location="query")
@blp.response(200, page_of(ActionOut, "ActionPage"))
@login_required
def list_actions(args):
    return paginate(actions.visible_to(g.user, args), args, action_out)


@blp.post("/actions")
@blp.arguments(ActionCreateArgs)
@blp.response(201, ActionOut)
@blp.alt_response(200, schema=ActionOut, description="the same client_id and payload again: the original")
@login_required
def create_action(args):
    team = writing_team(args["team_id"])
    # A write that raced itself (outbox replay) fails the unique client_id at commit; commit_once
    # then runs create again, which answers like a repeat.
    action, created = commit_once(lambda: actions.create(g.user, team, args))
    return action_out(action), 201 if created else 200


@blp.get("/actions/<uuid:action_id>")
@blp.response(200, ActionOut)
@login_required
def get_action(action_id):
    return action_out(actions.visible_or_404(g.user, action_id))


@blp.patch("/actions/<uuid:action_id>")
@blp.arguments(ActionPatchArgs)
@blp.response(200, ActionOut)
@login_required
def update_action(args, action_id):
    action = actions.visible_or_404(g.user, action_id)
    actions.update(g.user, action, args)
    db.session.commit()
    return action_out(action)
