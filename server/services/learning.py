"""Learning (Mijn ontwikkeling): the team's learning agenda and a medewerker's own overview.

Everything that describes the team is counted from source rows and published only when at least
k distinct people contributed (the digest's cells); the personal overview is the author's alone.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from server.audit import audit
from server.auth.caller import Caller, CallerTeam
from server.digest import build
from server.digest.board import ThemedReflection, group_by_theme
from server.digest.cells import effective_k, k_for_week, suppressed
from server.errors import Problem
from server.extensions import db
from server.i18n import decimal, gettext, ngettext, theme_name
from server.models import (
    LEARNING_ZONES,
    Digest,
    InwonerFeedback,
    LearningQuestion,
    Reflection,
    ReflectionTheme,
    Team,
    ThemeKeeper,
    ThemeOfTheMonth,
    User,
    utcnow,
)
from server.services.board import knowledge_gaps, proposal, themed_reflections
from server.services.digests import data_cutoff, gather, published_weeks, uncounted_authors
from server.services.learning_questions import question_themes
from server.services.team_themes import allowed_theme_ids, team_theme_rows, theme_label
from server.themes import THEMES
from server.weeks import iso_week_of, shift_week, week_bounds

MAP_WEEKS = 8
SUGGESTION_QUESTIONS = 3


def zone_of(team: Team | CallerTeam) -> ZoneInfo:
    return ZoneInfo(team.timezone)


def current_month(team: Team | CallerTeam) -> str:
    return utcnow().astimezone(zone_of(team)).strftime("%Y-%m")


def month_bounds(month: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a calendar month (2026-11) as UTC instants in the team's time zone."""
    first = date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (
        datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC),
        datetime.combine(following, time(0), tzinfo=zone).astimezone(UTC),
    )


def keepers_by_theme(team_id) -> dict[str, list[dict]]:
    rows = db.session.execute(
        select(ThemeKeeper.theme_id, User.id, User.display_name)
        .join(User, User.id == ThemeKeeper.user_id)
        .where(ThemeKeeper.team_id == team_id, User.active.is_(True))
        .order_by(User.display_name)
    )
    keepers: dict[str, list[dict]] = defaultdict(list)
    for theme_id, user_id, name in rows:
        keepers[theme_id].append({"id": str(user_id), "display_name": name})
    return keepers


# -- shared learning questions -------------------------------------------------------------------


def shared_open_questions(team_id) -> list[LearningQuestion]:
    return list(
        db.session.scalars(
            select(LearningQuestion)
            .where(
                LearningQuestion.team_id == team_id,
                LearningQuestion.shared.is_(True),
                LearningQuestion.text_deidentified.is_not(None),
                LearningQuestion.status == "open",
            )
            .order_by(LearningQuestion.created_at.desc(), LearningQuestion.id)
        )
    )


# -- rising themes and the theme-of-the-month suggestion -----------------------------------------


def rising_themes(team: Team, iso_week: str) -> dict[str, dict]:
    """The rising and new themes of an ended week, as its digest would list them if it was built at
    the end of the week: API.md's rule (distinct authors ≥ k, k of them not leads or their recent
    invitees, and ≥ 1.5 × the mean of the 4 weeks before as published), applied by the digest
    builder itself to the rows and themes known then.

    Live counts would move with a row dated into the week later, or given a theme later (an edit, a
    reclassification): one person could lift a theme over k or into "rising" and watch the
    suggestion change (docs/privacy.md §3). The end of the week is fixed, so the answer is too.
    """
    items = build(gather(team, iso_week, data_cutoff(team, iso_week)))["themes"]["items"]
    return {
        item["id"]: {
            "authors": item["authors"],
            "previous_mean": item["previous_mean"],
            "iso_week": iso_week,
            "trend": item["trend"],
        }
        for item in items
        if item["trend"] in ("rising", "new")
    }


def suggestion(team: Team) -> dict | None:
    """A topic for casusoverleg / thema van de maand.

    Once last week's digest is built, the bordsessie board's proposal decides (the same function,
    server.digest.board.propose, over the same rows), so the board and the leeragenda agree. Before
    that: a rising theme of last week as the digest would list it at the end of the week (see
    rising_themes), weighted by shared open questions.
    """
    week, _ = last_week_and_cutoff(team)
    board = proposal(team, week)
    if board is not None:
        return _with_questions(team, board)
    k = effective_k(team.k_threshold)
    # Not the running week's rising themes: their counts move with every reflection, so watching the
    # reason would tell who just wrote about the theme. Last week's are counted as known at its end,
    # and not at all once its digest is published (then the proposal above decides, or nothing does).
    published = db.session.scalar(select(Digest.id).where(Digest.team_id == team.id, Digest.iso_week == week))
    rising = {} if published else rising_themes(team, week)
    questions = shared_open_questions(team.id)
    themes = question_themes([q.id for q in questions])
    asked_by: dict[str, set] = defaultdict(set)
    asked: dict[str, list[LearningQuestion]] = defaultdict(list)
    for question in questions:
        for theme_id in themes.get(question.id, ()):
            asked_by[theme_id].add(question.author_id)
            asked[theme_id].append(question)
    # Questions alone make a theme a candidate only when k different colleagues asked them, leads and
    # accounts they recently invited not counted (docs/privacy.md §3).
    uncounted = uncounted_authors(team, utcnow())
    candidates = set(rising) | {
        theme_id for theme_id, people in asked_by.items() if len({str(p) for p in people} - uncounted) >= k
    }
    if not candidates:
        return None
    pick = max(
        candidates, key=lambda t: (rising.get(t, {}).get("authors", 0) + len(asked[t]), theme_label(t))
    )
    trend = rising.get(pick)
    reasons = []
    if trend:
        n, week_number = trend["authors"], int(trend["iso_week"][-2:])
        if trend["trend"] == "rising":
            reasons.append(
                ngettext(
                    "Stijgt: %(num)d collega schreef erover in week %(week)d, tegen gemiddeld %(mean)s in "
                    "de vier weken ervoor.",
                    "Stijgt: %(num)d collega's schreven erover in week %(week)d, tegen gemiddeld %(mean)s in "
                    "de vier weken ervoor.",
                    n,
                    week=week_number,
                    mean=decimal(trend["previous_mean"]),
                )
            )
        else:
            reasons.append(
                ngettext(
                    "Nieuw: %(num)d collega schreef erover in week %(week)d.",
                    "Nieuw: %(num)d collega's schreven erover in week %(week)d.",
                    n,
                    week=week_number,
                )
            )
    if asked[pick]:
        reasons.append(_open_questions(len(asked[pick])))
    return {
        "theme_id": pick,
        "label": theme_label(pick),
        "reason": " ".join(reasons),
        "trend": trend["trend"] if trend else None,
        "authors": trend["authors"] if trend else None,
        "previous_mean": trend["previous_mean"] if trend else None,
        "questions": [{"id": q.id, "text": q.text_deidentified} for q in asked[pick][:SUGGESTION_QUESTIONS]],
        "keepers": keepers_by_theme(team.id).get(pick, []),
    }


def _open_questions(n: int) -> str:
    return ngettext(
        "Er staat een gedeelde leervraag open over dit thema.",
        "Er staan %(num)d gedeelde leervragen open over dit thema.",
        n,
    )


def _with_questions(team: Team, board: dict) -> dict:
    """The board's proposal in the leeragenda's shape, with the shared open questions on its theme."""
    questions = shared_open_questions(team.id)
    themes = question_themes([q.id for q in questions])
    asked = [q for q in questions if board["theme_id"] in themes.get(q.id, ())]
    reason = board["reason"]
    if asked:
        reason += " " + _open_questions(len(asked))
    return {
        "theme_id": board["theme_id"],
        "label": board["label"],
        "reason": reason,
        "trend": board.get("trend"),
        "authors": board.get("authors"),
        "previous_mean": board.get("previous_mean"),
        "questions": [{"id": q.id, "text": q.text_deidentified} for q in asked[:SUGGESTION_QUESTIONS]],
        "keepers": board["keepers"],
        "gap": board.get("gap", False),
        "iso_week": board.get("iso_week"),
    }


# -- theme of the month ----------------------------------------------------------------------------


def theme_of_the_month(team: Team | CallerTeam, month: str | None = None) -> ThemeOfTheMonth | None:
    return db.session.scalar(
        select(ThemeOfTheMonth).where(
            ThemeOfTheMonth.team_id == team.id, ThemeOfTheMonth.month == (month or current_month(team))
        )
    )


def contributing_reflections(team: Team | CallerTeam, chosen: ThemeOfTheMonth, author_id=None):
    """Reflections in the team, written in the theme's month, carrying the theme (any source)."""
    start, end = month_bounds(chosen.month, zone_of(team))
    stmt = (
        select(
            Reflection.id,
            Reflection.author_id,
            Reflection.occurred_at,
            Reflection.received_at,
            ReflectionTheme.assigned_at,
        )
        .join(ReflectionTheme, ReflectionTheme.reflection_id == Reflection.id)
        .where(
            Reflection.team_id == team.id,
            Reflection.occurred_at >= start,
            Reflection.occurred_at < end,
            ReflectionTheme.theme_id == chosen.theme_id,
        )
    )
    if author_id is not None:
        stmt = stmt.where(Reflection.author_id == author_id)
    return db.session.execute(stmt).all()


def contributions(team: Team, chosen: ThemeOfTheMonth, user_id) -> tuple[dict, int]:
    """(team figure, k-suppressed; the caller's own count, live).

    The team figure counts the month's rows of ended weeks, up to the board's cut-off, as the
    knowledge map does: a figure that moved with every reflection would tell whoever watched it who
    just wrote about the theme. The month overlaps the weekly digests, so the figure is suppressed
    complementarily against the weeks that published the theme (server.digest.board.group_by_theme).
    """
    zone = zone_of(team)
    mine = contributing_reflections(team, chosen, user_id)
    week, cutoff = last_week_and_cutoff(team)
    until = week_bounds(week, zone)[1]
    # The theme as known at the cut-off: one given later (an edit, a reclassification) would move it.
    rows = [
        row
        for row in contributing_reflections(team, chosen)
        if row.occurred_at < until and row.received_at < cutoff and row.assigned_at < cutoff
    ]
    themed = [
        ThemedReflection(
            author=str(author),
            week=iso_week_of(occurred, zone),
            themes=frozenset({chosen.theme_id}),
            known_at=max(received, assigned),
        )
        for _, author, occurred, received, assigned in rows
        if author is not None
    ]
    weeks = {row.week for row in themed}
    k = max(week_k(team, week) for week in weeks) if weeks else effective_k(team.k_threshold)
    published = published_weeks(team, weeks)
    uncounted = uncounted_authors(team, utcnow())
    authors, _ = group_by_theme(themed, weeks, set(), published, uncounted, k).get(chosen.theme_id, (0, 0))
    team_cell = {"reflections": len(rows), "authors": authors, "to_week": week} if authors else suppressed()
    return team_cell, len(mine)


def week_k(team: Team, week: str) -> int:
    """The team's k for one ISO week (a change of k counts from the week after it was made)."""
    return k_for_week(team.k_threshold, team.k_before, team.k_since_week, week)


# -- knowledge map -----------------------------------------------------------------------------------


def last_week_and_cutoff(team: Team) -> tuple[str, datetime]:
    """The week a Monday bordsessie is about (the last ended one) and its data cut-off: that of its
    digest when there is one, so the board and the leeragenda see the same rows; before it, the end
    of the week (server.services.digests.data_cutoff)."""
    week = shift_week(iso_week_of(utcnow(), zone_of(team)), -1)
    return week, data_cutoff(team, week)


def knowledge_map(team: Team, reader: Caller) -> dict:
    """Per theme: distinct authors over the last 8 weeks (k-suppressed) and its keepers; and the real
    gaps (server.digest.board.knowledge_gaps, the same as on the board): at most three, each with why.

    A teamleider's, or every member's where the team lets members see themes; the read is audited.
    """
    if reader.role_in(team.id) != "teamleider" and not team.members_see_themes:
        raise Problem(403, "De kenniskaart is in dit team voor teamleiders.")
    week, cutoff = last_week_and_cutoff(team)
    gaps = knowledge_gaps(team, week, cutoff)
    gap_ids = {gap["theme_id"] for gap in gaps}
    # The board's rows of the 8 ended weeks up to its week: the map changes once a week, not with
    # every reflection, and is suppressed against the digests of the same weeks.
    first = shift_week(week, -(MAP_WEEKS - 1))
    weeks = {shift_week(week, -back) for back in range(MAP_WEEKS)}
    k = week_k(team, first)  # the window's oldest week has the highest k that applied
    reflections, _ = themed_reflections(team, first, week, cutoff)
    # Leads and accounts they recently invited cannot make up k (docs/privacy.md §3).
    authors = group_by_theme(
        reflections, weeks, set(), published_weeks(team, weeks), uncounted_authors(team, utcnow()), k
    )
    keepers = keepers_by_theme(team.id)
    themes = [(t.id, theme_name(t.id, t.label), t.group) for t in THEMES if t.group == "leren"]
    themes += [(row.id, row.label, "team") for row in team_theme_rows(team.id)]
    items = []
    for theme_id, label, group in themes:
        count, _ = authors.get(theme_id, (0, 0))
        items.append(
            {
                "id": theme_id,
                "label": label,
                "group": group,
                "authors": count or suppressed(),
                "keepers": keepers.get(theme_id, []),
                "gap": theme_id in gap_ids,
            }
        )
    items.sort(
        key=lambda item: (
            not item["gap"],
            -(item["authors"] if isinstance(item["authors"], int) else -1),
            item["label"],
        )
    )
    body = {
        "team_id": team.id,
        "k": k,
        "from_week": first,
        "to_week": week,
        "weeks": MAP_WEEKS,
        "themes": items,
        "gaps": gaps,
    }
    audit("team.knowledge_map.read", "team", team.id, team_id=team.id)
    return body


# -- the personal overview ---------------------------------------------------------------------------


def overview(user: Caller, weeks: int) -> dict:
    """A medewerker's own picture: themes, learning zones and resident scores per ISO week, questions."""
    team = user.memberships[0].team if user.memberships else None
    zone = zone_of(team) if team else ZoneInfo("Europe/Amsterdam")
    last = iso_week_of(utcnow(), zone)
    labels = [shift_week(last, -back) for back in range(weeks - 1, -1, -1)]
    start = week_bounds(labels[0], zone)[0]
    per_week = {
        week: {
            "iso_week": week,
            "reflections": 0,
            "themes": defaultdict(int),
            "zones": dict.fromkeys((*LEARNING_ZONES, "none"), 0),
            "energy": [],
            "scores": defaultdict(list),
        }
        for week in labels
    }
    reflections = db.session.scalars(
        select(Reflection)
        .options(selectinload(Reflection.themes))
        .where(Reflection.author_id == user.id, Reflection.occurred_at >= start)
        .order_by(Reflection.occurred_at.desc())
    ).all()
    totals: dict[str, int] = defaultdict(int)
    for reflection in reflections:
        week = per_week.get(iso_week_of(reflection.occurred_at, zone))
        if week is None:
            continue  # a phone clock ahead of the week
        week["reflections"] += 1
        week["zones"][reflection.learning_zone or "none"] += 1
        if reflection.energy:
            week["energy"].append(reflection.energy)
        for theme in reflection.themes:
            week["themes"][theme.theme_id] += 1
            totals[theme.theme_id] += 1
    for submitted, scores in db.session.execute(
        select(InwonerFeedback.submitted_at, InwonerFeedback.scores).where(
            InwonerFeedback.medewerker_id == user.id, InwonerFeedback.submitted_at >= start
        )
    ):
        week = per_week.get(iso_week_of(submitted, zone))
        for item, value in (scores or {}).items() if week else ():
            if isinstance(value, int | float):
                week["scores"][item].append(value)
    chosen = theme_of_the_month(team) if team else None
    contributing = {row.id for row in contributing_reflections(team, chosen, user.id)} if chosen else set()
    return {
        "weeks": [_week_body(week) for week in per_week.values()],
        "themes": [
            {
                "id": theme_id,
                "label": theme_label(theme_id),
                "total": total,
                "per_week": [per_week[w]["themes"].get(theme_id, 0) for w in labels],
            }
            for theme_id, total in sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        ],
        "questions": _question_summary(user),
        "theme_of_the_month": {
            "team_id": team.id,
            "month": chosen.month,
            "theme_id": chosen.theme_id,
            "label": theme_label(chosen.theme_id),
            "my_contributions": len(contributing),
        }
        if chosen
        else None,
        "recent_reflections": [
            {
                "id": r.id,
                "occurred_at": r.occurred_at,
                "themes": [t.theme_id for t in r.themes],
                "contributes_to_theme_of_the_month": r.id in contributing,
            }
            for r in reflections[:5]
        ],
    }


def _week_body(week: dict) -> dict:
    scores = week["scores"]
    every = [value for values in scores.values() for value in values]
    return {
        "iso_week": week["iso_week"],
        "reflections": week["reflections"],
        "themes": [
            {"id": theme_id, "label": theme_label(theme_id), "count": count}
            for theme_id, count in sorted(week["themes"].items(), key=lambda item: (-item[1], item[0]))
        ],
        "zones": week["zones"],
        "energy": round(fmean(week["energy"]), 1) if week["energy"] else None,
        # Each answer scores every Wmo item; "responses" counts answers, not single scores.
        "resident_scores": {
            "responses": max((len(values) for values in scores.values()), default=0),
            "average": round(fmean(every), 1) if every else None,
            "items": {item: round(fmean(values), 1) for item, values in scores.items()},
        },
    }


def _question_summary(user: Caller) -> dict:
    counts = dict(
        db.session.execute(
            select(LearningQuestion.status, func.count())
            .where(LearningQuestion.author_id == user.id)
            .group_by(LearningQuestion.status)
        ).all()
    )
    open_questions = db.session.scalars(
        select(LearningQuestion)
        .where(LearningQuestion.author_id == user.id, LearningQuestion.status == "open")
        .order_by(LearningQuestion.due.is_(None), LearningQuestion.due, LearningQuestion.created_at)
    ).all()
    learned = db.session.scalars(
        select(LearningQuestion)
        .where(LearningQuestion.author_id == user.id, LearningQuestion.status == "closed")
        .order_by(LearningQuestion.closed_at.desc())
        .limit(5)
    ).all()
    return {
        "open": counts.get("open", 0),
        "closed": counts.get("closed", 0),
        "open_items": [
            {"id": q.id, "text": q.text, "due": q.due, "shared": q.shared} for q in open_questions
        ],
        "recently_learned": [
            {"id": q.id, "text": q.text, "learned": q.learned, "closed_at": q.closed_at} for q in learned
        ],
    }


def set_theme_of_the_month(team: Team, month: str, args: dict, lead: Caller) -> ThemeOfTheMonth:
    """The teamleider picks the month's theme; commits (409 when another lead saved it first)."""
    if args["theme_id"] not in allowed_theme_ids(team.id):
        named = gettext("Onbekend thema: %(theme)s", theme=args["theme_id"])
        raise Problem(422, "Onbekend thema.", errors={"theme_id": [named]})
    chosen = theme_of_the_month(team, month)
    if chosen is None:
        chosen = ThemeOfTheMonth(team_id=team.id, month=month)
        db.session.add(chosen)
    chosen.theme_id, chosen.description = args["theme_id"], args["description"].strip()
    chosen.links = [{"title": link["title"].strip(), "url": link["url"]} for link in args["links"]]
    chosen.casusoverleg_on, chosen.set_by_id, chosen.updated_at = args["casusoverleg_on"], lead.id, utcnow()
    audit("theme_of_the_month.set", "team", team.id, team_id=team.id)
    try:
        db.session.commit()
    except IntegrityError as error:  # two leads saving the same new month at once
        db.session.rollback()
        raise Problem(409, "Iemand anders zette net het thema van deze maand. Laad opnieuw.") from error
    return chosen
