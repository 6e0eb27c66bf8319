"""The board's queries: read the rows server.digest.board needs, and the live state of the actions.

Texts: only shared, processed reflections without a safety signal are read (de-identified text);
private reflections give their themes, zone and "Gelukt?" answer, never their words.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from server.digest import board
from server.digest.rows import FeedbackRow
from server.extensions import db
from server.i18n import REQUEST_TEXTS, theme_name
from server.models import (
    Action,
    Digest,
    InwonerFeedback,
    LearningQuestion,
    LearningQuestionHelper,
    Membership,
    Reflection,
    ReflectionTheme,
    Team,
    ThemeKeeper,
    ThemeOfTheMonth,
    User,
    utcnow,
)
from server.services.digests import published_weeks, uncounted_authors
from server.services.learning_questions import question_themes
from server.services.team_themes import theme_label
from server.weeks import iso_week_of, parse_week, shift_week, week_bounds

# The gap window: the 4 weeks up to the board's week against the 4 weeks before.
MONTH_WEEKS = 4


def due_week(due: date | None) -> str | None:
    if due is None:
        return None
    year, week, _ = due.isocalendar()
    return f"{year}-W{week:02d}"


def week_friday(iso_week: str) -> date:
    return date.fromisocalendar(*parse_week(iso_week), 5)


def topic_month(iso_week: str) -> str:
    """The month a bordsessie about iso_week decides for: the month of the Monday after it."""
    return date.fromisocalendar(*parse_week(shift_week(iso_week, 1)), 1).strftime("%Y-%m")


def _reflection_rows(team: Team, first_week: str, last_week: str, cutoff: datetime):
    zone = ZoneInfo(team.timezone)
    start, end = week_bounds(first_week, zone)[0], week_bounds(last_week, zone)[1]
    # Rows received after the board's week was first published stay out: comparing boards over time
    # must not single out a late writer (the digest's rule).
    window = (
        Reflection.team_id == team.id,
        Reflection.occurred_at >= start,
        Reflection.occurred_at < end,
        Reflection.received_at < cutoff,
    )
    themes: dict = {}
    assigned: dict = {}  # the latest theme change of each row
    # Themes as known at the cut-off, as in the digest: one given later (an edit, a reclassification)
    # would move the board's figures after its week was fixed.
    for reflection_id, theme_id, assigned_at in db.session.execute(
        select(ReflectionTheme.reflection_id, ReflectionTheme.theme_id, ReflectionTheme.assigned_at)
        .join(Reflection, Reflection.id == ReflectionTheme.reflection_id)
        .where(*window, ReflectionTheme.assigned_at < cutoff)
    ):
        themes.setdefault(reflection_id, set()).add(theme_id)
        assigned[reflection_id] = max(assigned_at, assigned.get(reflection_id, assigned_at))
    rows = db.session.execute(
        select(
            Reflection.id,
            Reflection.author_id,
            Reflection.occurred_at,
            Reflection.learning_zone,
            Reflection.visit_id,
            Reflection.received_at,
        ).where(*window, Reflection.author_id.is_not(None))
    ).all()
    return zone, themes, assigned, rows


def themed_reflections(team: Team, first_week: str, last_week: str, cutoff: datetime):
    zone, themes, assigned, rows = _reflection_rows(team, first_week, last_week, cutoff)
    reflections = [
        board.ThemedReflection(
            author=str(author),
            week=iso_week_of(occurred, zone),
            themes=frozenset(themes.get(rid, ())),
            zone=learning_zone,
            known_at=max(received, assigned.get(rid, received)),
        )
        for rid, author, occurred, learning_zone, _, received in rows
    ]
    visit_themes: dict = {}
    for rid, _, _, _, visit_id, _ in rows:
        if visit_id is not None:
            visit_themes.setdefault(visit_id, set()).update(themes.get(rid, ()))
    return reflections, visit_themes


def feedback_rows(
    team: Team, first_week: str, last_week: str, cutoff: datetime, visit_themes: dict | None = None
) -> list[FeedbackRow]:
    """Residents' answers; `themes` = the themes of the reflections on that visit (when given)."""
    zone = ZoneInfo(team.timezone)
    start, end = week_bounds(first_week, zone)[0], week_bounds(last_week, zone)[1]
    rows = db.session.execute(
        select(
            InwonerFeedback.medewerker_id,
            InwonerFeedback.submitted_at,
            InwonerFeedback.scores,
            InwonerFeedback.visit_id,
        ).where(
            InwonerFeedback.team_id == team.id,
            InwonerFeedback.submitted_at >= start,
            InwonerFeedback.submitted_at < end,
            InwonerFeedback.submitted_at < cutoff,
        )
    )
    return [
        FeedbackRow(
            medewerker=str(medewerker),
            week=iso_week_of(submitted, zone),
            scores=dict(scores or {}),
            themes=frozenset((visit_themes or {}).get(visit_id, ())),
        )
        for medewerker, submitted, scores, visit_id in rows
    ]


def outcome_rows(team: Team, iso_week: str, cutoff: datetime) -> list[board.OutcomeRow]:
    zone = ZoneInfo(team.timezone)
    start, end = week_bounds(iso_week, zone)
    rows = db.session.execute(
        select(
            Reflection.author_id,
            Reflection.occurred_at,
            Reflection.previous_intention_outcome,
            Reflection.visibility,
            Reflection.processed_at,
            Reflection.safety_signal,
            Reflection.deidentified,
        ).where(
            Reflection.team_id == team.id,
            Reflection.occurred_at >= start,
            Reflection.occurred_at < end,
            Reflection.received_at < cutoff,
            Reflection.previous_intention_outcome.is_not(None),
            Reflection.author_id.is_not(None),
        )
    )
    result = []
    for author, occurred, outcome, visibility, processed, safety, deidentified in rows:
        quotable = visibility == "team" and processed is not None and safety is None
        quote = ((deidentified or {}).get("what_happened") or "") if quotable else ""
        result.append(
            board.OutcomeRow(
                author=str(author), week=iso_week_of(occurred, zone), outcome=outcome, quote=quote
            )
        )
    return result


def action_body(action: Action, owner_name: str | None, board_week: str) -> dict:
    week = due_week(action.due)
    return {
        "id": str(action.id),
        "title": action.title,
        "status": action.status,
        "owner": {"id": str(action.owner_id), "display_name": owner_name} if action.owner_id else None,
        "due_week": week,
        "overdue": action.status in ("open", "blocked") and week is not None and week <= board_week,
        "theme_id": action.theme_id,
        "theme_label": theme_label(action.theme_id) if action.theme_id else None,
        "digest_id": str(action.digest_id) if action.digest_id else None,
    }


def live_actions(team: Team, iso_week: str) -> dict:
    """The team's actions as they stand now, for the "open actions first" step.

    carried: still open or blocked, or done since the board's week began (done / still open /
    blocked at a glance); decided: made at this week's bordsessie; previous: made at last week's.
    Owners are named on purpose: an action is a team agreement, not a reflection.
    """
    zone = ZoneInfo(team.timezone)
    start = week_bounds(iso_week, zone)[0]
    digests = dict(
        db.session.execute(
            select(Digest.iso_week, Digest.id).where(
                Digest.team_id == team.id, Digest.iso_week.in_([iso_week, shift_week(iso_week, -1)])
            )
        ).all()
    )
    this_digest, last_digest = digests.get(iso_week), digests.get(shift_week(iso_week, -1))
    rows = db.session.execute(
        select(Action, User.display_name)
        .outerjoin(User, User.id == Action.owner_id)
        .where(
            Action.team_id == team.id,
            or_(
                Action.status.in_(("open", "blocked")),
                Action.done_at >= start,
                Action.digest_id.in_([d for d in (this_digest, last_digest) if d is not None]),
            ),
        )
        .order_by(Action.due.is_(None), Action.due, Action.title)
    ).all()
    carried, decided, previous = [], [], []
    for action, name in rows:
        body = action_body(action, name, iso_week)
        if this_digest is not None and action.digest_id == this_digest:
            decided.append(body)
            continue
        if last_digest is not None and action.digest_id == last_digest:
            previous.append(body)
        if action.status in ("open", "blocked") or (action.done_at is not None and action.done_at >= start):
            carried.append(body)
    return {
        "carried": carried,
        "decided": decided,
        "previous_decisions": previous,
        "digest_id": str(this_digest) if this_digest else None,
    }


def effect_actions(team: Team, iso_week: str) -> list[board.EffectAction]:
    """Themed actions whose due week lies 4 to 6 weeks before iso_week."""
    first = week_friday(shift_week(iso_week, -board.EFFECT_UNTIL)) - timedelta(days=4)
    last = week_friday(shift_week(iso_week, -board.EFFECT_FROM)) + timedelta(days=2)
    zone = ZoneInfo(team.timezone)
    rows = db.session.execute(
        select(Action, User.display_name)
        .outerjoin(User, User.id == Action.owner_id)
        .where(
            Action.team_id == team.id,
            Action.theme_id.is_not(None),
            Action.status != "dropped",
            Action.due >= first,
            Action.due <= last,
        )
    ).all()
    return [
        board.EffectAction(
            id=str(a.id),
            title=a.title,
            theme_id=a.theme_id,
            theme_label=theme_label(a.theme_id),
            owner_id=str(a.owner_id) if a.owner_id else None,
            owner_name=name,
            created_week=min(iso_week_of(a.created_at, zone), due_week(a.due)),
            due_week=due_week(a.due),
        )
        for a, name in rows
    ]


def effects(team: Team, iso_week: str, cutoff: datetime) -> list[dict]:
    actions = effect_actions(team, iso_week)
    if not actions:
        return []
    first = min(shift_week(a.created_week, -(board.EFFECT_WINDOW - 1)) for a in actions)
    last = max(shift_week(a.due_week, board.EFFECT_WINDOW) for a in actions)
    reflections, visit_themes = themed_reflections(team, first, last, cutoff)
    return board.effect_cards(
        iso_week,
        team.k_threshold,
        actions,
        reflections,
        feedback_rows(team, first, last, cutoff, visit_themes),
        published=published_weeks(team, {row.week for row in reflections}),
        uncounted=uncounted_authors(team, utcnow()),
        texts=REQUEST_TEXTS,
    )


def knowledge_gaps(team: Team, iso_week: str, cutoff: datetime) -> list[dict]:
    first_now = shift_week(iso_week, -(MONTH_WEEKS - 1))
    this = {shift_week(iso_week, -back) for back in range(MONTH_WEEKS)}
    before = {shift_week(first_now, -back) for back in range(1, MONTH_WEEKS + 1)}
    reflections, _ = themed_reflections(team, min(before), iso_week, cutoff)
    per_theme = board.group_by_theme(
        reflections,
        this,
        before,
        published_weeks(team, this | before),
        uncounted_authors(team, utcnow()),
        team.k_threshold,
    )
    keepers: dict = {}
    for theme_id, name in db.session.execute(
        select(ThemeKeeper.theme_id, User.display_name)
        .join(User, User.id == ThemeKeeper.user_id)
        .where(ThemeKeeper.team_id == team.id, User.active.is_(True))
    ):
        keepers.setdefault(theme_id, []).append(name)
    helpers: dict = {}
    # "Ik weet hier iets van" on a question carrying a theme: someone in the team holds some of it.
    questions = dict(
        db.session.execute(
            select(LearningQuestion.id, LearningQuestion.reflection_id).where(
                LearningQuestion.team_id == team.id
            )
        ).all()
    )
    helper_rows = db.session.execute(
        select(LearningQuestionHelper.question_id, LearningQuestionHelper.user_id).where(
            LearningQuestionHelper.question_id.in_(list(questions))
        )
    ).all()
    if helper_rows:
        themes = question_themes([question_id for question_id, _ in helper_rows])
        for question_id, user_id in helper_rows:
            for theme_id in themes.get(question_id, ()):
                helpers.setdefault(theme_id, set()).add(user_id)
    labels = {theme_id: theme_label(theme_id) for theme_id in per_theme}
    rows = board.theme_month_rows(per_theme, labels, keepers, helpers)
    return board.knowledge_gaps(rows, team.k_threshold, texts=REQUEST_TEXTS)


def proposal(team: Team, iso_week: str) -> dict | None:
    """The one proposal (board and leeragenda): from the week's published digest themes and the gaps,
    over the data as it was when that week's digest was first requested."""
    digest = db.session.scalar(select(Digest).where(Digest.team_id == team.id, Digest.iso_week == iso_week))
    if digest is None or digest.content is None:
        return None
    themes = (digest.content.get("themes") or {}).get("items", [])
    result = board.propose(themes, knowledge_gaps(team, iso_week, digest.requested_at), texts=REQUEST_TEXTS)
    if result is not None:
        keepers = db.session.execute(
            select(User.id, User.display_name)
            .join(ThemeKeeper, ThemeKeeper.user_id == User.id)
            .where(
                ThemeKeeper.team_id == team.id,
                ThemeKeeper.theme_id == result["theme_id"],
                User.active.is_(True),
            )
            .order_by(User.display_name)
        ).all()
        result["keepers"] = [{"id": str(user_id), "display_name": name} for user_id, name in keepers]
        result["iso_week"] = iso_week
        # The stored digest has the theme's Dutch label: a standard theme is named in the reader's language.
        result["label"] = theme_name(result["theme_id"], result["label"])
    return result


def members(team: Team) -> list[dict]:
    """Who can own an action: the team's active members, by name."""
    rows = db.session.execute(
        select(User.id, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == team.id, User.active.is_(True))
        .order_by(User.display_name)
    )
    return [{"id": str(user_id), "display_name": name} for user_id, name in rows]


def topic(team: Team, iso_week: str) -> dict:
    month = topic_month(iso_week)
    chosen = db.session.scalar(
        select(ThemeOfTheMonth).where(ThemeOfTheMonth.team_id == team.id, ThemeOfTheMonth.month == month)
    )
    return {
        "month": month,
        "theme_id": chosen.theme_id if chosen else None,
        "label": theme_label(chosen.theme_id) if chosen else None,
        "casusoverleg_on": chosen.casusoverleg_on.isoformat() if chosen and chosen.casusoverleg_on else None,
    }


def successes(team: Team, iso_week: str, content: dict, cutoff: datetime) -> dict:
    done = (content.get("actions") or {}).get("done", [])
    return board.successes(
        iso_week,
        team.k_threshold,
        outcome_rows(team, iso_week, cutoff),
        feedback_rows(team, iso_week, iso_week, cutoff),
        done,
        f"{team.id}:{iso_week}:successes",
    )
