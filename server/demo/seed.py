"""Seed or top up the demo team "Wijkteam De Horst" so the last 8 weeks up to today are filled.

Idempotent: every row has a deterministic key (fixed ids, e-mail addresses, uuid5 client ids), so a
second run finds what exists and adds only what is missing — e.g. the days since the last run.
New reflections and resident answers get their outbox event in the same transaction, so workers
de-identify and classify them exactly as they would a real submission.
"""

import secrets
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.auth.passwords import hash_password
from server.auth.tokens import token_hash
from server.demo.organisation import seed_organisation
from server.demo.plan import NAMESPACE, PlannedVisit, key_uuid, load, plan
from server.events import Event, emit
from server.extensions import db
from server.idempotency import payload_hash
from server.models import (
    Action,
    FeedbackLink,
    InwonerFeedback,
    LearningQuestion,
    LearningQuestionHelper,
    Membership,
    Reflection,
    ReflectionTheme,
    Team,
    Theme,
    ThemeKeeper,
    ThemeOfTheMonth,
    User,
    Visit,
    utcnow,
)

PASSWORD = "leerlus-demo"
WEEKS = 8
TEAM_ID = uuid.uuid5(NAMESPACE, "team")
COUNTED = (
    "users",
    "team_themes",
    "keepers",
    "learning_questions",
    "visits",
    "reflections",
    "feedback_links",
    "feedback",
    "actions",
    "themes_of_the_month",
)


def seed_demo(today: date | datetime | None = None) -> dict:
    """Create or top up the demo team; `today` (a date or an aware datetime) is for tests."""
    data = load("team.json")
    created = dict.fromkeys(COUNTED, 0)
    team = _team(data["team"])
    zone = ZoneInfo(team.timezone)
    now = _moment(today, zone)
    # The team has "existed" as long as its history: the scheduler then catches up its recent digests.
    team.created_at = min(team.created_at, now - timedelta(weeks=WEEKS + 1))
    users = _accounts(team, data["accounts"], created)
    themes = _team_themes(team, data["team_themes"], created)
    _keepers(team, data["keepers"], users, themes, created)
    questions = _learning_questions(team, data["learning_questions"], users, now, created)
    _theme_of_the_month(team, data["theme_of_the_month"], users, now, zone, created)
    planned = plan(data["accounts"], now.astimezone(zone).date(), WEEKS, zone, list(team.wmo_items))
    _work(team, planned, users, themes, questions, now, created)
    _actions(team, data["actions"], users, now, zone, created)
    seed_organisation(now, created)  # the demo gemeente with its own teams (server/demo/organisation.py)
    db.session.commit()
    return {
        "team_id": str(team.id),
        "logins": [account["email"] for account in data["accounts"]],
        "created": created,
    }


def _moment(today, zone: ZoneInfo) -> datetime:
    if today is None:
        return utcnow()
    if isinstance(today, datetime):
        return today.astimezone(UTC)
    # A bare date means "that whole day has happened".
    return datetime.combine(today, time(23, 59), tzinfo=zone).astimezone(UTC)


def _team(settings: dict) -> Team:
    team = db.session.get(Team, TEAM_ID)
    if team is None:
        team = Team(id=TEAM_ID, **settings)
        db.session.add(team)
        db.session.flush()
    return team


def _accounts(team: Team, accounts: list[dict], created: dict) -> dict[str, User]:
    existing = {
        user.email: user
        for user in db.session.scalars(
            select(User).where(User.email.in_([account["email"] for account in accounts]))
        )
    }
    hashed = None
    users = {}
    for account in accounts:
        user = existing.get(account["email"])
        if user is None:
            hashed = hashed or hash_password(PASSWORD)  # argon2 is slow on purpose: hash once
            user = User(
                email=account["email"],
                display_name=account["display_name"],
                password_hash=hashed,
                is_demo=True,
            )
            db.session.add(user)
            db.session.flush()
            created["users"] += 1
        if user.role_in(team.id) is None:
            db.session.add(Membership(user_id=user.id, team_id=team.id, role=account["role"]))
        users[account["key"]] = user
    db.session.flush()
    return users


def _team_themes(team: Team, rows: list[dict], created: dict) -> dict[str, str]:
    ids = {}
    for row in rows:
        theme_id = str(key_uuid("theme", row["key"]))
        if db.session.get(Theme, theme_id) is None:
            db.session.add(
                Theme(
                    id=theme_id,
                    team_id=team.id,
                    label=row["label"],
                    description=row["description"],
                    keywords=row["keywords"],
                )
            )
            created["team_themes"] += 1
        ids["team:" + row["key"]] = theme_id
    return ids


def _keepers(team: Team, rows: list[dict], users: dict, themes: dict, created: dict) -> None:
    for row in rows:
        theme_id = themes.get(row["theme"], row["theme"])
        user = users[row["account"]]
        found = db.session.scalar(
            select(ThemeKeeper).where(
                ThemeKeeper.team_id == team.id,
                ThemeKeeper.theme_id == theme_id,
                ThemeKeeper.user_id == user.id,
            )
        )
        if found is None:
            db.session.add(
                ThemeKeeper(team_id=team.id, theme_id=theme_id, user_id=user.id, contact=row["contact"])
            )
            created["keepers"] += 1


def _learning_questions(
    team: Team, rows: list[dict], users: dict, now: datetime, created: dict
) -> list[tuple[dict, LearningQuestion]]:
    questions = []
    for row in rows:
        author = users[row["account"]]
        question = db.session.scalar(
            select(LearningQuestion).where(
                LearningQuestion.author_id == author.id, LearningQuestion.text == row["text"]
            )
        )
        if question is None:
            closed = "closed_weeks_ago" in row
            question = LearningQuestion(
                author_id=author.id,
                team_id=team.id,
                text=row["text"],
                shared=row.get("shared", False),
                created_at=now - timedelta(weeks=row["weeks_ago"]),
                status="closed" if closed else "open",
                learned=row.get("learned"),
                closed_at=now - timedelta(weeks=row["closed_weeks_ago"]) if closed else None,
                due=(now + timedelta(weeks=3)).date() if not closed else None,
            )
            db.session.add(question)
            db.session.flush()
            for helper in row.get("helpers", []):
                db.session.add(LearningQuestionHelper(question_id=question.id, user_id=users[helper].id))
            if question.shared:
                # Colleagues only ever see the de-identified text, which a worker writes.
                emit(Event.LEARNING_QUESTION_SHARED, question_id=question.id)
            created["learning_questions"] += 1
        questions.append((row, question))
    return questions


def _theme_of_the_month(
    team: Team, row: dict, users: dict, now: datetime, zone: ZoneInfo, created: dict
) -> None:
    local = now.astimezone(zone).date()
    month = local.strftime("%Y-%m")
    found = db.session.scalar(
        select(ThemeOfTheMonth).where(ThemeOfTheMonth.team_id == team.id, ThemeOfTheMonth.month == month)
    )
    if found is not None:
        return
    # Casusoverleg on the third Thursday of the month.
    first = local.replace(day=1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 14)
    db.session.add(
        ThemeOfTheMonth(
            team_id=team.id,
            month=month,
            theme_id=row["theme"],
            description=row["description"],
            casusoverleg_on=thursday,
            set_by_id=users["teamleider"].id,
        )
    )
    created["themes_of_the_month"] += 1


def _work(
    team: Team,
    planned: list[PlannedVisit],
    users: dict,
    themes: dict,
    questions: list,
    now: datetime,
    created: dict,
) -> None:
    author_ids = [user.id for user in users.values()]
    visits = dict(
        db.session.execute(select(Visit.client_id, Visit.id).where(Visit.author_id.in_(author_ids))).all()
    )
    reflections = set(
        db.session.scalars(select(Reflection.client_id).where(Reflection.author_id.in_(author_ids)))
    )
    links = {
        visit_id: (link_id, used)
        for visit_id, link_id, used in db.session.execute(
            select(FeedbackLink.visit_id, FeedbackLink.id, FeedbackLink.used_at).where(
                FeedbackLink.team_id == team.id
            )
        )
    }
    past = [item for item in planned if item.occurred_at <= now]
    # In three passes with a flush between them: the rows have no ORM relationships, so only the
    # order of the flushes makes visits exist before what points at them.
    for item in past:
        if item.client_id not in visits:
            visits[item.client_id] = _add_visit(team, users[item.account], item)
            created["visits"] += 1
    db.session.flush()
    for item in past:
        author, visit_id, reflection, feedback = (
            users[item.account],
            visits[item.client_id],
            item.reflection,
            item.feedback,
        )
        if (
            reflection is not None
            and reflection.received_at <= now
            and reflection.client_id not in reflections
        ):
            _add_reflection(team, author, item, visit_id, themes, questions)
            created["reflections"] += 1
        if feedback is not None and feedback.link_at <= now and visit_id not in links:
            link = FeedbackLink(
                id=uuid.uuid4(),
                token_hash=token_hash(secrets.token_urlsafe(32)),
                visit_id=visit_id,
                team_id=team.id,
                created_by_id=author.id,
                language=feedback.language,
                created_at=feedback.link_at,
                expires_at=feedback.link_at + timedelta(days=team.feedback_link_days),
            )
            db.session.add(link)
            links[visit_id] = (link.id, None)
            created["feedback_links"] += 1
    db.session.flush()
    for item in past:
        feedback, visit_id = item.feedback, visits[item.client_id]
        if feedback is None or feedback.submitted_at is None or feedback.submitted_at > now:
            continue
        link_id, used = links[visit_id]
        if used is None:
            _add_feedback(team, users[item.account], visit_id, link_id, feedback)
            created["feedback"] += 1


def _add_visit(team: Team, author: User, item: PlannedVisit) -> uuid.UUID:
    fields = {
        "client_id": item.client_id,
        "occurred_at": item.occurred_at,
        "kind": item.kind,
        "pseudonym": item.pseudonym,
    }
    # Ids chosen here rather than by a flush per row: seeding hundreds of rows stays fast.
    visit = Visit(
        id=uuid.uuid4(),
        author_id=author.id,
        team_id=team.id,
        payload_hash=payload_hash(fields),
        created_at=item.occurred_at,
        **fields,
    )
    db.session.add(visit)
    # No "visit.created" event: it schedules a nudge to reflect, which makes no sense for the past.
    return visit.id


def _add_reflection(
    team: Team, author: User, item: PlannedVisit, visit_id, themes: dict, questions: list
) -> None:
    planned = item.reflection
    entry = planned.entry
    chips = [themes.get(chip, chip) for chip in planned.chips]
    question_id = next(
        (
            question.id
            for row, question in questions
            if question.author_id == author.id
            and row["theme"] in entry["themes"]
            and question.created_at <= item.occurred_at
            and (question.closed_at is None or item.occurred_at <= question.closed_at)
        ),
        None,
    )
    # The same fields the API fingerprints, so a replay from a phone would compare like for like.
    args = {
        "client_id": planned.client_id,
        "occurred_at": item.occurred_at,
        "what_happened": entry["what_happened"],
        "noticed": entry["noticed"],
        "why": entry["why"],
        "next_time": entry["next_time"],
        "learning_zone": planned.learning_zone,
        "energy": planned.energy,
        "themes": chips,
        "suggested": chips if planned.chips_suggested else [],
        "visibility": planned.visibility,
        "previous_intention_outcome": planned.previous_intention_outcome,
        "visit_id": visit_id,
        "visit": None,
        "learning_question_id": question_id,
    }
    received_at = planned.received_at
    reflection = Reflection(
        id=uuid.uuid4(),
        client_id=planned.client_id,
        author_id=author.id,
        team_id=team.id,
        visit_id=visit_id,
        occurred_at=item.occurred_at,
        received_at=received_at,
        what_happened=entry["what_happened"],
        noticed=entry["noticed"],
        why=entry["why"],
        next_time=entry["next_time"],
        learning_zone=planned.learning_zone,
        energy=planned.energy,
        visibility=planned.visibility,
        previous_intention_outcome=planned.previous_intention_outcome,
        learning_question_id=question_id,
        payload_hash=payload_hash(args),
        themes=[
            # Chosen on submitting: known from the (backdated) moment it was received.
            ReflectionTheme(
                theme_id=chip,
                source="suggested" if planned.chips_suggested else "author",
                assigned_at=received_at,
            )
            for chip in chips
        ],
    )
    db.session.add(reflection)
    emit(Event.REFLECTION_SUBMITTED, reflection_id=reflection.id)


def _add_feedback(team: Team, author: User, visit_id, link_id, planned) -> None:
    db.session.get(FeedbackLink, link_id).used_at = planned.submitted_at
    feedback = InwonerFeedback(
        id=uuid.uuid4(),
        link_id=link_id,
        team_id=team.id,
        visit_id=visit_id,
        medewerker_id=author.id,
        submitted_at=planned.submitted_at,
        scores=planned.scores,
        comment=planned.comment,
        contact_requested=planned.contact,
        language=planned.language,
    )
    db.session.add(feedback)
    emit(Event.FEEDBACK_SUBMITTED, feedback_id=feedback.id)


def _actions(team: Team, rows: list[dict], users: dict, now: datetime, zone: ZoneInfo, created: dict) -> None:
    today = now.astimezone(zone).date()
    for row in rows:
        creator = users[row["created_by"]]
        client_id = key_uuid("action", row["key"])
        if (
            db.session.scalar(
                select(Action.id).where(Action.created_by_id == creator.id, Action.client_id == client_id)
            )
            is not None
        ):
            continue
        due = today + timedelta(days=row["days_from_today"])
        owner = users[row["owner"]]
        opened = now - timedelta(days=max(7, 14 - row["days_from_today"]))
        fields = {"client_id": client_id, "title": row["title"], "owner_id": owner.id, "due": due}
        done = row["status"] == "done"
        db.session.add(
            Action(
                team_id=team.id,
                created_by_id=creator.id,
                status=row["status"],
                payload_hash=payload_hash(fields),
                created_at=opened,
                updated_at=now - timedelta(days=2) if done else opened,
                done_at=now - timedelta(days=2) if done else None,
                **fields,
            )
        )
        created["actions"] += 1
