"""Read an organisation's quarter into the plain facts of server.organisation.overview.

No text is ever selected: only who (as an opaque id), when, themes, zones and scores. A month is
published once it has been over for GRACE, and counts only what had arrived by then, so late rows
never change a published month (no differencing over time).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from server.extensions import db
from server.models import (
    Action,
    FeedbackLink,
    InwonerFeedback,
    Membership,
    Organisation,
    Reflection,
    ReflectionTheme,
    Team,
    TeamWeekSignal,
    Theme,
    ThemeOfTheMonth,
    User,
    utcnow,
)
from server.organisation.overview import (
    ActionFact,
    ChosenTheme,
    FeedbackFact,
    LinkFact,
    OrganisationInput,
    ReflectionFact,
    SignalFact,
    TeamInfo,
    months_of,
    period_bounds,
)
from server.services.digests import uncounted_authors
from server.themes import THEMES
from server.weeks import iso_week_of, parse_week

GRACE = timedelta(days=7)
HOME_ZONE = ZoneInfo("Europe/Amsterdam")
# The order of the Wmo client-experience items in the overview and the export.
ITEM_ORDER = ("serieus", "samen_oplossingen", "past_bij_vraag", "weet_waar_terecht", "kwaliteit_leven")


def month_of(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m")


def month_cutoff(month: str) -> datetime:
    """The moment a month's figures are fixed: GRACE after its end (Dutch time)."""
    return month_end(month) + GRACE


def month_end(month: str) -> datetime:
    """The moment a month ends (Dutch time), as UTC."""
    _, end = period_bounds("month", month)
    return datetime.combine(end, time(0), tzinfo=HOME_ZONE).astimezone(UTC)


def published_months(quarter: str, now: datetime | None = None) -> list[str]:
    now = now or utcnow()
    return [month for month in months_of(quarter) if month_cutoff(month) <= now]


def organisation_teams(organisation: Organisation) -> list[Team]:
    return list(
        db.session.scalars(select(Team).where(Team.organisation_id == organisation.id).order_by(Team.name))
    )


def gather(organisation: Organisation, quarter: str, now: datetime | None = None) -> OrganisationInput:
    teams = organisation_teams(organisation)
    months = published_months(quarter, now)
    data = OrganisationInput(
        id=str(organisation.id),
        name=organisation.name,
        k=organisation.k_threshold,
        quarter=quarter,
        published_months=months,
    )
    data.teams = [TeamInfo(id=str(t.id), name=t.name, k=t.k_threshold, members=_members(t)) for t in teams]
    data.labels = {theme.id: theme.label for theme in THEMES}
    data.items = [item for item in ITEM_ORDER if any(item in (t.wmo_items or []) for t in teams)]
    if not teams or not months:
        return data
    team_ids = [t.id for t in teams]
    zones = {t.id: ZoneInfo(t.timezone) for t in teams}
    first, _ = period_bounds("month", months[0])
    _, last = period_bounds("month", months[-1])
    # A day either side: teams in other time zones; the month test below is exact.
    start = datetime.combine(first - timedelta(days=1), time(0), tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)

    def counted(team_id, moment: datetime, arrived: datetime) -> str | None:
        month = month_of(moment, zones[team_id])
        return month if month in months and arrived < month_cutoff(month) else None

    # The digest's sock-puppet rule, per team and month: the one function, not a copy of it.
    data.uncounted = {
        (str(team.id), month): uncounted_authors(team, month_end(month)) for team in teams for month in months
    }
    data.reflections = _reflections(team_ids, start, end, zones, counted)
    data.feedback = _feedback(team_ids, start, end, zones, counted)
    data.links = _links(team_ids, start, end, counted)
    data.actions = [
        ActionFact(
            team=str(team_id),
            creator=str(creator),
            month=month,
            done=status == "done" and done_at is not None and done_at < month_cutoff(month),
        )
        for team_id, creator, created, status, done_at in db.session.execute(
            select(
                Action.team_id, Action.created_by_id, Action.created_at, Action.status, Action.done_at
            ).where(
                Action.team_id.in_(team_ids),
                Action.created_at >= start,
                Action.created_at < end,
                Action.created_by_id.is_not(None),
            )
        )
        if (month := counted(team_id, created, created))
    ]
    ks = {t.id: t.k_threshold for t in teams}
    data.signals = [
        SignalFact(team=str(team_id), month=month, term=term)
        for team_id, week, term, authors in db.session.execute(
            select(
                TeamWeekSignal.team_id, TeamWeekSignal.iso_week, TeamWeekSignal.term, TeamWeekSignal.authors
            ).where(TeamWeekSignal.team_id.in_(team_ids))
        )
        if authors >= ks[team_id] and (month := _week_month(week)) in months
    ]
    data.chosen = [
        ChosenTheme(team=str(team_id), month=month, theme_id=theme_id)
        for team_id, month, theme_id in db.session.execute(
            select(ThemeOfTheMonth.team_id, ThemeOfTheMonth.month, ThemeOfTheMonth.theme_id).where(
                ThemeOfTheMonth.team_id.in_(team_ids), ThemeOfTheMonth.month.in_(months)
            )
        )
    ]
    data.labels |= dict(
        db.session.execute(select(Theme.id, Theme.label).where(Theme.team_id.in_(team_ids))).all()
    )
    return data


def _members(team: Team) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .join(User)
        .where(Membership.team_id == team.id, Membership.role == "medewerker", User.active.is_(True))
    )


def _week_month(iso_week: str) -> str:
    # An ISO week belongs to the month of its Thursday, as the week itself belongs to a year.
    year, week = parse_week(iso_week)
    return date.fromisocalendar(year, week, 4).strftime("%Y-%m")


def _reflections(team_ids, start, end, zones, counted) -> list[ReflectionFact]:
    window = (
        Reflection.team_id.in_(team_ids),
        Reflection.occurred_at >= start,
        Reflection.occurred_at < end,
        Reflection.author_id.is_not(None),
    )
    themes: dict = {}
    for reflection_id, theme_id, team_id, occurred, assigned in db.session.execute(
        select(
            ReflectionTheme.reflection_id,
            ReflectionTheme.theme_id,
            Reflection.team_id,
            Reflection.occurred_at,
            ReflectionTheme.assigned_at,
        )
        .join(Reflection, Reflection.id == ReflectionTheme.reflection_id)
        .where(*window)
    ):
        # A theme given after the month's cut-off (an edit, a reclassification, the refine job) is not
        # counted: a published month would otherwise move, and its change would point at one row.
        if counted(team_id, occurred, assigned):
            themes.setdefault(reflection_id, set()).add(theme_id)
    result = []
    for rid, team_id, author, occurred, received, zone in db.session.execute(
        select(
            Reflection.id,
            Reflection.team_id,
            Reflection.author_id,
            Reflection.occurred_at,
            Reflection.received_at,
            Reflection.learning_zone,
        ).where(*window)
    ):
        month = counted(team_id, occurred, received)
        if month:
            result.append(
                ReflectionFact(
                    team=str(team_id),
                    author=str(author),
                    month=month,
                    week=iso_week_of(occurred, zones[team_id]),
                    themes=frozenset(themes.get(rid, ())),
                    zone=zone,
                )
            )
    return result


def _feedback(team_ids, start, end, zones, counted) -> list[FeedbackFact]:
    result = []
    for fid, team_id, medewerker, submitted, scores in db.session.execute(
        select(
            InwonerFeedback.id,
            InwonerFeedback.team_id,
            InwonerFeedback.medewerker_id,
            InwonerFeedback.submitted_at,
            InwonerFeedback.scores,
        ).where(
            InwonerFeedback.team_id.in_(team_ids),
            InwonerFeedback.submitted_at >= start,
            InwonerFeedback.submitted_at < end,
        )
    ):
        month = counted(team_id, submitted, submitted)
        if month:
            result.append(
                FeedbackFact(
                    team=str(team_id),
                    id=str(fid),
                    medewerker=str(medewerker) if medewerker else None,
                    month=month,
                    week=iso_week_of(submitted, zones[team_id]),
                    scores=dict(scores or {}),
                )
            )
    return result


def _links(team_ids, start, end, counted) -> list[LinkFact]:
    """Links sent in the month, and whether the resident answered by the month's cut-off."""
    result = []
    for team_id, sender, created, answer, submitted in db.session.execute(
        select(
            FeedbackLink.team_id,
            FeedbackLink.created_by_id,
            FeedbackLink.created_at,
            InwonerFeedback.id,
            InwonerFeedback.submitted_at,
        )
        .outerjoin(InwonerFeedback, InwonerFeedback.link_id == FeedbackLink.id)
        .where(
            FeedbackLink.team_id.in_(team_ids),
            FeedbackLink.created_at >= start,
            FeedbackLink.created_at < end,
            FeedbackLink.created_by_id.is_not(None),
        )
    ):
        month = counted(team_id, created, created)
        if month:
            answered = answer is not None and submitted < month_cutoff(month)
            result.append(
                LinkFact(
                    team=str(team_id),
                    sender=str(sender),
                    month=month,
                    answer=str(answer) if answered else None,
                )
            )
    return result
