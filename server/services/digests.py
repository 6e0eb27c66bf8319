"""Digests: who may read a team's weekly digest and how much, a (re)build request, and the rows
of one team-week (and the 4 weeks before) that the pure builder (server/digest/) works on.

Private reflections contribute themes, zone and whether a learning intention was written; their
text is never selected. Rows received after an earlier digest of their week was first requested
stay out of it, so a late reflection never changes a published week (no differencing).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from server.audit import audit
from server.auth.caller import Caller
from server.digest.cells import k_for_week
from server.digest.rows import (
    ActionRow,
    DigestInput,
    FeedbackRow,
    Keeper,
    LearningQuestionRow,
    LinkRow,
    ReflectionRow,
    SignalRow,
    ThemeLabel,
    VisitRow,
)
from server.errors import Problem
from server.events import Event, emit
from server.extensions import db
from server.models import (
    Action,
    Digest,
    FeedbackLink,
    FeedbackTheme,
    Invitation,
    InwonerFeedback,
    LearningQuestion,
    Membership,
    OutboxEvent,
    Reflection,
    ReflectionTheme,
    Team,
    TeamWeekSignal,
    Theme,
    ThemeKeeper,
    User,
    Visit,
    utcnow,
)
from server.resident.messages import DEFAULT_YOUTH_ITEMS
from server.themes import THEMES
from server.weeks import iso_week_of, parse_week, shift_week, week_bounds

TREND_WEEKS = 4
# What a medewerker may read when the team lets members see themes.
THEMES_SCOPE = ("version", "team", "iso_week", "k", "themes")


def checked_week(iso_week: str) -> str:
    """An ISO week from a URL ("2026-W47"), or 422."""
    try:
        parse_week(iso_week)
    except ValueError as error:
        raise Problem(422, "Onbekende week.", errors={"iso_week": [str(error)]}) from error
    return iso_week


def scope_of(user: Caller, team: Team) -> str:
    """ "full" for the team's teamleider, "themes" for members if the team lets them, else 403."""
    if user.role_in(team.id) == "teamleider":
        return "full"
    if team.members_see_themes:
        return "themes"
    raise Problem(403, "Het weekoverzicht is voor teamleiders.")


def history(team: Team):
    """The team's digests, newest week first (a select, for paginate); the listing is audited."""
    audit("digest.list", "team", team.id, team_id=team.id)
    return select(Digest).where(Digest.team_id == team.id).order_by(Digest.iso_week.desc())


def read(team: Team, iso_week: str, scope: str) -> tuple[Digest, dict]:
    """The built digest of the week and the part of its content the scope shows (audited); 404 if
    it is not built (yet)."""
    digest = db.session.scalar(
        select(Digest).where(Digest.team_id == team.id, Digest.iso_week == checked_week(iso_week))
    )
    if digest is None or digest.content is None:
        raise Problem(404, "Dit weekoverzicht is (nog) niet gemaakt.")
    audit("digest.read", "digest", digest.id, team_id=team.id, reason=scope)
    content = digest.content
    if scope == "themes":
        content = {key: value for key, value in content.items() if key in THEMES_SCOPE}
    return digest, content


def request_build(team: Team, iso_week: str, requested_by: Caller) -> OutboxEvent:
    """Ask the worker to build an ended week's digest, once: a built week is frozen (409)."""
    iso_week = checked_week(iso_week)
    if week_bounds(iso_week, ZoneInfo(team.timezone))[1] > utcnow():
        raise Problem(
            422, "Deze week is nog niet voorbij.", errors={"iso_week": ["Kies een afgelopen week."]}
        )
    built = db.session.scalar(
        select(Digest.built_at).where(Digest.team_id == team.id, Digest.iso_week == iso_week)
    )
    if built is not None:
        # A published week stays as first built (docs/privacy.md): a rebuild with later rows or another
        # k could single out who wrote, so there is nothing to rebuild.
        raise Problem(409, "Dit weekoverzicht is al gemaakt en staat vast, zodat niemand herkenbaar wordt.")
    audit("digest.build", "team", team.id, team_id=team.id, reason=iso_week)
    claim_row(team.id, iso_week, requested_by=requested_by.id)
    # Through the outbox like every other write: with Redis away the build waits instead of failing.
    event = emit(Event.DIGEST_REQUESTED, team_id=team.id, iso_week=iso_week)
    db.session.flush()
    return event


def claim_row(team_id, iso_week: str, requested_by=None) -> Digest:
    """The team-week's Digest row, inserted if missing. The first insert fixes the data cut-off."""
    digest = db.session.scalar(select(Digest).where(Digest.team_id == team_id, Digest.iso_week == iso_week))
    if digest is not None:
        return digest
    try:
        with db.session.begin_nested():
            digest = Digest(
                team_id=team_id, iso_week=iso_week, requested_at=utcnow(), requested_by_id=requested_by
            )
            db.session.add(digest)
    except IntegrityError:  # another scheduler or request inserted it first
        digest = db.session.scalars(
            select(Digest).where(Digest.team_id == team_id, Digest.iso_week == iso_week)
        ).one()
    db.session.commit()
    return digest


def data_cutoff(team: Team, iso_week: str) -> datetime:
    """The moment up to which rows and themes count for a week: its digest's cut-off once the digest
    is claimed, before that the end of the week. A live "now" would let a row dated into the week
    later, or a theme given later, move the week's figures before its digest: one person could then
    watch a figure change and learn what k-1 others wrote (docs/privacy.md §3)."""
    requested = db.session.scalar(
        select(Digest.requested_at).where(Digest.team_id == team.id, Digest.iso_week == iso_week)
    )
    return requested or week_bounds(iso_week, ZoneInfo(team.timezone))[1]


def gather(team: Team, iso_week: str, cutoff: datetime) -> DigestInput:
    zone = ZoneInfo(team.timezone)
    weeks = [shift_week(iso_week, -back) for back in range(TREND_WEEKS, -1, -1)]
    start, end = week_bounds(weeks[0], zone)[0], week_bounds(iso_week, zone)[1]
    cutoffs = dict.fromkeys(weeks, cutoff)
    published = {}
    for week, requested, content in db.session.execute(
        select(Digest.iso_week, Digest.requested_at, Digest.content).where(
            Digest.team_id == team.id, Digest.iso_week.in_(weeks)
        )
    ):
        cutoffs[week] = min(requested, cutoff)
        if content is not None and week != iso_week:
            published[week] = content

    def week_if_counted(moment: datetime, received: datetime) -> str | None:
        week = iso_week_of(moment, zone)
        return week if week in cutoffs and received < cutoffs[week] else None

    year, number = parse_week(iso_week)
    return DigestInput(
        team_id=str(team.id),
        team_name=team.name,
        iso_week=iso_week,
        k=k_for_week(team.k_threshold, team.k_before, team.k_since_week, iso_week),
        members=_members(team),
        week_end=date.fromisocalendar(year, number, 7),
        reflections=_reflections(team, start, end, week_if_counted),
        visits=_visits(team, start, end, week_if_counted),
        feedback=_feedback(team, start, end, week_if_counted),
        learning_questions=_learning_questions(team, start, end, week_if_counted),
        signals=[
            SignalRow(term=row.term, authors=row.authors, previous_mean=row.previous_mean)
            for row in db.session.scalars(
                select(TeamWeekSignal).where(
                    TeamWeekSignal.team_id == team.id, TeamWeekSignal.iso_week == iso_week
                )
            )
        ],
        actions=_actions(team, start, zone),
        keepers=[
            Keeper(theme_id=theme_id, user_id=str(user_id), name=name)
            for theme_id, user_id, name in db.session.execute(
                select(ThemeKeeper.theme_id, User.id, User.display_name)
                .join(User, User.id == ThemeKeeper.user_id)
                .where(ThemeKeeper.team_id == team.id, User.active.is_(True))
            )
        ],
        labels=_labels(team),
        score_items=list(team.wmo_items or [])
        + (list(DEFAULT_YOUTH_ITEMS) if team.feedback_variant == "jeugd" else []),
        links=_links(team, start, end, week_if_counted, cutoffs),
        published=published,
        uncounted=uncounted_authors(team, week_bounds(iso_week, zone)[1]),
    )


# An account a lead invited counts towards k on its own only after this long (sock puppets).
INVITED_RECENTLY = timedelta(days=30)


def uncounted_authors(team: Team, until: datetime) -> frozenset[str]:
    """Authors that cannot make up k: the team's leads, and accounts a lead invited in the 30 days
    before `until`. A teamleider could otherwise write, or invite accounts that write, the missing
    reflections that lift a colleague's theme over k."""
    leads = set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.team_id == team.id, Membership.role.in_(("teamleider", "beheerder"))
            )
        )
    )
    # Only leads invite; not filtering on who invited keeps the rule when that lead changed role since.
    invited = set(
        db.session.scalars(
            select(User.id)
            .join(Invitation, func.lower(Invitation.email) == func.lower(User.email))
            .where(
                Invitation.team_id == team.id,
                Invitation.accepted_at.is_not(None),
                Invitation.accepted_at > until - INVITED_RECENTLY,
            )
        )
    )
    return frozenset(str(user_id) for user_id in leads | invited)


def _published_items(team: Team, weeks: set[str]):
    """(week, its data cut-off, a theme item) for each theme the published digests of `weeks` listed."""
    for week, requested, content in db.session.execute(
        select(Digest.iso_week, Digest.requested_at, Digest.content).where(
            Digest.team_id == team.id, Digest.iso_week.in_(weeks), Digest.content.is_not(None)
        )
    ):
        for item in ((content or {}).get("themes") or {}).get("items", []):
            yield week, requested, item


def published_weeks(team: Team, weeks: set[str]) -> dict[str, dict[str, datetime]]:
    """{theme: {week: its data cut-off}} for the weeks among `weeks` whose published digest listed
    the theme (server.digest.cells.counted_in_digest)."""
    published: dict[str, dict[str, datetime]] = defaultdict(dict)
    for week, requested, item in _published_items(team, weeks):
        published[item.get("id")][week] = requested
    return published


def published_authors(team: Team, weeks: set[str]) -> dict[str, dict[str, int]]:
    """{week: {theme: distinct authors as published}} for the weeks among `weeks` with a digest (a
    theme it did not list: absent)."""
    published: dict[str, dict[str, int]] = {
        week: {}
        for week in db.session.scalars(
            select(Digest.iso_week).where(
                Digest.team_id == team.id, Digest.iso_week.in_(weeks), Digest.content.is_not(None)
            )
        )
    }
    for week, _, item in _published_items(team, weeks):
        published[week][item.get("id")] = int(item.get("authors") or 0)
    return published


def _members(team: Team) -> frozenset[str]:
    return frozenset(
        str(user_id)
        for user_id in db.session.scalars(
            select(Membership.user_id)
            .join(User)
            .where(Membership.team_id == team.id, Membership.role == "medewerker", User.active.is_(True))
        )
    )


def _reflections(team, start, end, week_if_counted) -> list[ReflectionRow]:
    window = (Reflection.team_id == team.id, Reflection.occurred_at >= start, Reflection.occurred_at < end)
    rows = db.session.execute(
        select(
            Reflection.id,
            Reflection.author_id,
            Reflection.occurred_at,
            Reflection.received_at,
            Reflection.learning_zone,
            Reflection.visibility,
            Reflection.processed_at,
            Reflection.safety_signal,
            func.length(Reflection.next_time) > 0,
        ).where(*window)
    ).all()
    themes: dict = {}
    for reflection_id, theme_id, occurred, assigned in db.session.execute(
        select(
            ReflectionTheme.reflection_id,
            ReflectionTheme.theme_id,
            Reflection.occurred_at,
            ReflectionTheme.assigned_at,
        )
        .join(Reflection, Reflection.id == ReflectionTheme.reflection_id)
        .where(*window)
    ):
        # A theme given after the week's cut-off (an edit, a reclassification) is not counted: what
        # the week shows is what was known then (server.digest.cells.counted_in_digest).
        if week_if_counted(occurred, assigned) is not None:
            themes.setdefault(reflection_id, set()).add(theme_id)
    # Only shared, processed, safe reflections: the one query that reads (de-identified) text.
    texts = dict(
        db.session.execute(
            select(Reflection.id, Reflection.deidentified).where(
                *window,
                Reflection.visibility == "team",
                Reflection.processed_at.is_not(None),
                Reflection.safety_signal.is_(None),
            )
        ).all()
    )
    result = []
    for rid, author, occurred, received, zone, visibility, processed, safety, has_learning in rows:
        week = week_if_counted(occurred, received)
        if week is None:
            continue
        text = texts.get(rid) or {}
        result.append(
            ReflectionRow(
                author=str(author),
                week=week,
                themes=frozenset(themes.get(rid, ())),
                zone=zone,
                visibility=visibility,
                processed=processed is not None,
                safety=safety is not None,
                quote=text.get("what_happened") or "",
                learning=text.get("next_time") or "",
                has_learning=bool(has_learning),
            )
        )
    return result


def _visits(team, start, end, week_if_counted) -> list[VisitRow]:
    visits = db.session.execute(
        select(Visit.id, Visit.author_id, Visit.occurred_at, Visit.created_at).where(
            Visit.team_id == team.id, Visit.occurred_at >= start, Visit.occurred_at < end
        )
    ).all()
    first_reflection = dict(
        db.session.execute(
            select(Reflection.visit_id, func.min(Reflection.received_at))
            .join(Visit, Visit.id == Reflection.visit_id)
            .where(Visit.team_id == team.id, Visit.occurred_at >= start, Visit.occurred_at < end)
            .group_by(Reflection.visit_id)
        ).all()
    )
    result = []
    for visit_id, author, occurred, created in visits:
        week = week_if_counted(occurred, created)
        if week is None:
            continue
        reflected = first_reflection.get(visit_id)
        result.append(
            VisitRow(
                author=str(author),
                week=week,
                reflected=reflected is not None and week_if_counted(occurred, reflected) == week,
            )
        )
    return result


def _feedback(team, start, end, week_if_counted) -> list[FeedbackRow]:
    window = (
        InwonerFeedback.team_id == team.id,
        InwonerFeedback.submitted_at >= start,
        InwonerFeedback.submitted_at < end,
    )
    themes: dict = {}
    for feedback_id, theme_id in db.session.execute(
        select(FeedbackTheme.feedback_id, FeedbackTheme.theme_id)
        .join(InwonerFeedback, InwonerFeedback.id == FeedbackTheme.feedback_id)
        .where(*window)
    ):
        themes.setdefault(feedback_id, set()).add(theme_id)
    result = []
    for fid, medewerker, submitted, scores in db.session.execute(
        select(
            InwonerFeedback.id,
            InwonerFeedback.medewerker_id,
            InwonerFeedback.submitted_at,
            InwonerFeedback.scores,
        ).where(*window)
    ):
        week = week_if_counted(submitted, submitted)
        if week is not None:
            result.append(
                FeedbackRow(
                    medewerker=str(medewerker),
                    week=week,
                    scores=dict(scores or {}),
                    themes=frozenset(themes.get(fid, ())),
                )
            )
    return result


def _links(team, start, end, week_if_counted, cutoffs) -> list[LinkRow]:
    # Issued as in server.resident.rates: not replaced; a batch card once tied to a visit or answered.
    rows = db.session.execute(
        select(FeedbackLink.created_by_id, FeedbackLink.created_at, FeedbackLink.used_at).where(
            FeedbackLink.team_id == team.id,
            FeedbackLink.created_at >= start,
            FeedbackLink.created_at < end,
            FeedbackLink.revoked_at.is_(None),
            or_(FeedbackLink.visit_id.is_not(None), FeedbackLink.used_at.is_not(None)),
        )
    )
    result = []
    for by, created, used in rows:
        week = week_if_counted(created, created)
        if week is not None:
            # An answer after the week was published does not change it.
            result.append(
                LinkRow(
                    medewerker=str(by) if by else None,
                    week=week,
                    answered=used is not None and used < cutoffs[week],
                )
            )
    return result


def _learning_questions(team, start, end, week_if_counted) -> list[LearningQuestionRow]:
    rows = db.session.execute(
        select(
            LearningQuestion.author_id,
            LearningQuestion.created_at,
            LearningQuestion.reflection_id,
            LearningQuestion.text_deidentified,
        ).where(
            LearningQuestion.team_id == team.id,
            LearningQuestion.shared.is_(True),
            LearningQuestion.created_at >= start,
            LearningQuestion.created_at < end,
        )
    ).all()
    source_ids = [row.reflection_id for row in rows if row.reflection_id]
    themes: dict = {}
    if source_ids:
        for reflection_id, theme_id in db.session.execute(
            select(ReflectionTheme.reflection_id, ReflectionTheme.theme_id).where(
                ReflectionTheme.reflection_id.in_(source_ids)
            )
        ):
            themes.setdefault(reflection_id, set()).add(theme_id)
    result = []
    for author, created, reflection_id, text in rows:
        week = week_if_counted(created, created)
        if week is not None:
            result.append(
                LearningQuestionRow(
                    author=str(author),
                    week=week,
                    text=text or "",
                    themes=frozenset(themes.get(reflection_id, ())),
                )
            )
    return result


def _actions(team, start, zone) -> list[ActionRow]:
    rows = db.session.execute(
        select(Action, User.display_name)
        .outerjoin(User, User.id == Action.owner_id)
        .where(
            Action.team_id == team.id,
            or_(Action.status == "open", Action.created_at >= start, Action.done_at >= start),
        )
    ).all()
    return [
        ActionRow(
            id=str(action.id),
            title=action.title,
            status=action.status,
            owner_id=str(action.owner_id) if action.owner_id else None,
            owner_name=name,
            due=action.due,
            created_week=iso_week_of(action.created_at, zone),
            done_week=iso_week_of(action.done_at, zone) if action.done_at else None,
        )
        for action, name in rows
    ]


def _labels(team) -> dict[str, ThemeLabel]:
    labels = {theme.id: ThemeLabel(theme.id, theme.label, theme.group) for theme in THEMES}
    for theme_id, label in db.session.execute(select(Theme.id, Theme.label).where(Theme.team_id == team.id)):
        labels[theme_id] = ThemeLabel(theme_id, label, "team")
    return labels
