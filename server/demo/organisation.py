"""The demo gemeente: four wijkteams of different sizes (one under k), about half a year of work.

Seeded next to the demo team by server.demo.seed (one call). Like the demo team it is idempotent:
every row has a fixed id (uuid5 of team, person and ISO week), so a later run only adds the days
since the last one. History reaches back far enough that the last complete quarter is filled, so
the gemeente screen shows a quarter with its teams, "overige teams" and suppressed figures.
New reflections and resident answers get their outbox event, exactly as in the demo team.
"""

import random
import secrets
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.auth.passwords import hash_password
from server.auth.tokens import token_hash
from server.demo.plan import NAMESPACE
from server.events import Event, emit
from server.extensions import db
from server.models import (
    Action,
    FeedbackLink,
    InwonerFeedback,
    Membership,
    Organisation,
    OrganisationMembership,
    Reflection,
    ReflectionTheme,
    Team,
    ThemeOfTheMonth,
    User,
    Visit,
)

PASSWORD = "leerlus-demo"  # the demo team's (server/demo/seed.py imports this module, so not from there)
ORGANISATION_ID = uuid.uuid5(NAMESPACE, "organisation")
ORGANISATION_NAME = "Gemeente Horstdam (demo)"
POLICY_EMAIL = "beleid@demo.leerlus.nl"
ZONE = ZoneInfo("Europe/Amsterdam")
# (key, name, medewerkers, how residents score the team: the mean of a 1-5 draw)
TEAMS = (
    ("centrum", "Wijkteam Centrum", 10, 4.3),
    ("noord", "Wijkteam Noord", 7, 3.9),
    ("west", "Wijkteam West", 6, 4.0),
    ("zuid", "Wijkteam Zuid", 3, 3.6),
)
THEMES = {
    "geldzorgen-schulden": "Gesprek over geldzorgen; samen de post geordend en een afspraak bij schuldhulp gemaakt.",
    "eenzaamheid-netwerk": "Bewoner ziet bijna niemand meer. We hebben gekeken wie uit de buurt kan helpen.",
    "wonen": "Zorgen over vocht in de woning; de corporatie gebeld en een vervolgafspraak gemaakt.",
    "ouderen-mantelzorg": "Mantelzorger is overbelast; respijtzorg besproken.",
    "psychische-gezondheid": "Somberheid besproken; met toestemming contact gezocht met de huisarts.",
    "grenzen-werkdruk": "Lastig om nee te zeggen tegen nog een vraag; besproken met een collega.",
    "samenwerking-partners": "Overleg met de schuldhulp liep stroef; afgesproken wie wat doet.",
}
ZONES = ("comfort", "learning", "learning", "panic", None)
CHOSEN = ("geldzorgen-schulden", "eenzaamheid-netwerk", "wonen", "grenzen-werkdruk")


def key_id(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(str(part) for part in ("organisation", *parts)))


def seed_organisation(now: datetime, created: dict) -> None:
    """Create or top up the demo gemeente up to `now` (an aware datetime); counts go into the
    demo seeder's `created` (users, visits, reflections, feedback_links, feedback, actions, ...)."""
    organisation = db.session.get(Organisation, ORGANISATION_ID)
    if organisation is None:
        organisation = Organisation(id=ORGANISATION_ID, name=ORGANISATION_NAME, k_threshold=5)
        db.session.add(organisation)
        db.session.flush()
    hashed = _policy_account(organisation, created)
    first_monday = _history_start(now.astimezone(ZONE).date())
    for key, name, size, mood in TEAMS:
        team = _team(organisation, key, name, created)
        staff, hashed = _staff(team, key, size, hashed, created)
        _work(team, key, staff, mood, first_monday, now, created)
        _decisions(team, key, staff, first_monday, now, created)
    db.session.flush()


def _history_start(today: date) -> date:
    """The Monday on or before the first day of the last quarter the gemeente screen publishes
    (its months are published a week after they end), so that quarter is filled, and no more."""
    published = today - timedelta(days=7)
    month = published.month - 3 if published.month > 3 else published.month + 9
    year = published.year if published.month > 3 else published.year - 1
    first = date(year, (month - 1) // 3 * 3 + 1, 1)
    return first - timedelta(days=first.weekday())


def _policy_account(organisation: Organisation, created: dict) -> str | None:
    user = db.session.scalar(select(User).where(User.email == POLICY_EMAIL))
    hashed = None
    if user is None:
        hashed = hash_password(PASSWORD)
        user = User(
            email=POLICY_EMAIL,
            display_name="Bram (beleid sociaal domein)",
            password_hash=hashed,
            is_demo=True,
        )
        db.session.add(user)
        db.session.flush()
        created["users"] += 1
    if not any(m.organisation_id == organisation.id for m in user.organisation_memberships):
        db.session.add(
            OrganisationMembership(user_id=user.id, organisation_id=organisation.id, role="beleidsmedewerker")
        )
    return hashed


def _team(organisation: Organisation, key: str, name: str, created: dict) -> Team:
    team = db.session.get(Team, key_id("team", key))
    if team is None:
        team = Team(
            id=key_id("team", key),
            name=name,
            organisation_id=organisation.id,
            wmo_items=["serieus", "samen_oplossingen", "past_bij_vraag"],
        )
        db.session.add(team)
        db.session.flush()
    return team


def _staff(
    team: Team, key: str, size: int, hashed: str | None, created: dict
) -> tuple[list[User], str | None]:
    emails = [f"{key}{n}@demo.leerlus.nl" for n in range(1, size + 1)]
    existing = {user.email: user for user in db.session.scalars(select(User).where(User.email.in_(emails)))}
    staff = []
    for n, email in enumerate(emails, 1):
        user = existing.get(email)
        if user is None:
            hashed = hashed or hash_password(PASSWORD)  # argon2 is slow on purpose: hash once
            user = User(
                id=key_id("user", key, n),
                email=email,
                display_name=f"{team.name[9:]} {n}",
                password_hash=hashed,
                is_demo=True,
            )
            db.session.add(user)
            db.session.add(Membership(user_id=user.id, team_id=team.id, role="medewerker"))
            created["users"] += 1
        staff.append(user)
    db.session.flush()
    return staff, hashed


def _work(
    team: Team, key: str, staff: list[User], mood: float, first_monday: date, now: datetime, created: dict
) -> None:
    """Per medewerker and week: mostly one visit with a reflection, sometimes a resident's answer."""
    have = set(db.session.scalars(select(Reflection.id).where(Reflection.team_id == team.id)))
    answered = set(db.session.scalars(select(InwonerFeedback.id).where(InwonerFeedback.team_id == team.id)))
    links = set(db.session.scalars(select(FeedbackLink.id).where(FeedbackLink.team_id == team.id)))
    later, new = [], []
    for week in range((now.astimezone(ZONE).date() - first_monday).days // 7 + 1):
        monday = first_monday + timedelta(weeks=week)
        iso = "{}-W{:02d}".format(*monday.isocalendar()[:2])
        for n, user in enumerate(staff, 1):
            rng = random.Random(f"{key}:{n}:{iso}")
            if rng.random() > 0.8:
                continue
            moment = datetime.combine(
                monday + timedelta(days=rng.randrange(5)), time(rng.randrange(9, 16)), tzinfo=ZONE
            ).astimezone(UTC)
            theme, zone = rng.choice(sorted(THEMES)), rng.choice(ZONES)
            scores = {
                item: max(1, min(5, round(rng.gauss(mood, 0.9))))
                for item in ("serieus", "samen_oplossingen", "past_bij_vraag")
            }
            wants_link, answers = rng.random() < 0.5, rng.random() < 0.6
            reflection_id = key_id("reflection", key, n, iso)
            if moment + timedelta(hours=1) > now:
                continue
            visit_id = key_id("visit", key, n, iso)
            if reflection_id not in have:
                db.session.add(
                    Visit(
                        id=visit_id,
                        client_id=visit_id,
                        author_id=user.id,
                        team_id=team.id,
                        occurred_at=moment,
                        kind="huisbezoek",
                        payload_hash="demo",
                        created_at=moment,
                    )
                )
                created["visits"] += 1
                new.append(
                    Reflection(
                        id=reflection_id,
                        client_id=reflection_id,
                        author_id=user.id,
                        team_id=team.id,
                        visit_id=visit_id,
                        occurred_at=moment,
                        received_at=moment + timedelta(hours=1),
                        what_happened=THEMES[theme],
                        learning_zone=zone,
                        visibility="private",
                        payload_hash="demo",
                        # The author chose the theme on submitting: known from then on (published figures).
                        themes=[
                            ReflectionTheme(
                                theme_id=theme, source="author", assigned_at=moment + timedelta(hours=1)
                            )
                        ],
                    )
                )
            if wants_link:
                later.append(
                    (
                        user,
                        moment,
                        visit_id,
                        key_id("link", key, n, iso),
                        key_id("feedback", key, n, iso),
                        answers,
                        scores,
                    )
                )
    # Flushes in between: these rows have no ORM relationships, so only the flush order puts
    # visits before the reflections and links that point at them.
    db.session.flush()
    for reflection in new:
        db.session.add(reflection)
        emit(Event.REFLECTION_SUBMITTED, reflection_id=reflection.id)
        created["reflections"] += 1
    for user, moment, visit_id, link_id, *_ in later:
        if link_id not in links:
            db.session.add(
                FeedbackLink(
                    id=link_id,
                    token_hash=token_hash(secrets.token_urlsafe(32)),
                    visit_id=visit_id,
                    team_id=team.id,
                    created_by_id=user.id,
                    created_at=moment,
                    expires_at=moment + timedelta(days=14),
                )
            )
            created["feedback_links"] += 1
    db.session.flush()
    for user, moment, visit_id, link_id, feedback_id, answers, scores in later:
        submitted = moment + timedelta(days=1)
        if answers and submitted <= now and feedback_id not in answered:
            db.session.get(FeedbackLink, link_id).used_at = submitted
            db.session.add(
                InwonerFeedback(
                    id=feedback_id,
                    link_id=link_id,
                    team_id=team.id,
                    visit_id=visit_id,
                    medewerker_id=user.id,
                    submitted_at=submitted,
                    scores=scores,
                )
            )
            emit(Event.FEEDBACK_SUBMITTED, feedback_id=feedback_id)
            created["feedback"] += 1


def _decisions(
    team: Team, key: str, staff: list[User], first_monday: date, now: datetime, created: dict
) -> None:
    """A theme of the month and two actions per team-month: what the team decided."""
    today = now.astimezone(ZONE).date()
    month = date(first_monday.year, first_monday.month, 1)
    chosen = set(db.session.scalars(select(ThemeOfTheMonth.month).where(ThemeOfTheMonth.team_id == team.id)))
    actions = set(db.session.scalars(select(Action.id).where(Action.team_id == team.id)))
    while month <= today:
        label = month.strftime("%Y-%m")
        rng = random.Random(f"{key}:{label}")
        if label not in chosen:
            db.session.add(
                ThemeOfTheMonth(
                    team_id=team.id,
                    month=label,
                    theme_id=rng.choice(CHOSEN),
                    description="Gekozen in het teamoverleg.",
                )
            )
            created["themes_of_the_month"] += 1
        for n in range(2):
            action_id = key_id("action", key, label, n)
            opened = datetime.combine(month + timedelta(days=3 + 7 * n), time(10), tzinfo=ZONE).astimezone(
                UTC
            )
            if action_id in actions or opened > now:
                continue
            creator = staff[rng.randrange(len(staff))]
            done = opened + timedelta(days=20) <= now
            db.session.add(
                Action(
                    id=action_id,
                    client_id=action_id,
                    team_id=team.id,
                    created_by_id=creator.id,
                    owner_id=creator.id,
                    title="Afspraak uit het teamoverleg",
                    payload_hash="demo",
                    status="done" if done else "open",
                    created_at=opened,
                    updated_at=opened,
                    done_at=opened + timedelta(days=20) if done else None,
                )
            )
            created["actions"] += 1
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
