"""Emerging signals per team-week: terms rising across at least k colleagues that match no theme.

Computed when a digest is built (the only reader), from de-identified text of reflections their
authors shared with the team: DESIGN §6 lets private reflections count only through their themes,
zone and energy, so their words stay out of this too.
"""

import zoneinfo
from functools import lru_cache

from sqlalchemy import delete, select

from server.digest.cells import k_for_week
from server.extensions import db
from server.models import REFLECTION_TEXT_FIELDS, Reflection, Team, TeamWeekSignal, utcnow
from server.services.digests import uncounted_authors
from server.services.team_themes import team_theme_rows
from server.themes.emerging import emerging_signals, stem_word
from server.themes.features import lexicon_evidence
from server.weeks import shift_week, week_bounds

PREVIOUS_WEEKS = 4


@lru_cache(maxsize=65536)
def _in_lexicon(stem: str) -> bool:
    return bool(lexicon_evidence(stem).scores)


def _shared_texts(team: Team, week: str, zone) -> list[tuple[str, str]]:
    start, end = week_bounds(week, zone)
    rows = db.session.execute(
        select(Reflection.author_id, Reflection.deidentified).where(
            Reflection.team_id == team.id,
            Reflection.visibility == "team",
            Reflection.processed_at.is_not(None),
            Reflection.occurred_at >= start,
            Reflection.occurred_at < end,
        )
    )
    return [
        (str(author), "\n".join((text or {}).get(f, "") for f in REFLECTION_TEXT_FIELDS))
        for author, text in rows
        if author is not None and text
    ]


def recompute_signals(team: Team, week: str) -> list[TeamWeekSignal]:
    """Replace the team-week's stored signals with a fresh computation (idempotent). Caller commits."""
    zone = zoneinfo.ZoneInfo(team.timezone)
    team_words = {
        stem_word(word.lower())
        for row in team_theme_rows(team.id)
        for phrase in [row.label, *row.keywords]
        for word in phrase.split()
    }
    # Leads and accounts they recently invited cannot make up k (docs/privacy.md §3, sock puppets).
    uncounted = uncounted_authors(team, week_bounds(week, zone)[1])

    def texts(of_week: str) -> list[tuple[str, str]]:
        return [
            (author, text) for author, text in _shared_texts(team, of_week, zone) if author not in uncounted
        ]

    found = emerging_signals(
        texts(week),
        [texts(shift_week(week, -back)) for back in range(1, PREVIOUS_WEEKS + 1)],
        k_for_week(team.k_threshold, team.k_before, team.k_since_week, week),
        is_known_term=lambda stem: stem in team_words or _in_lexicon(stem),
    )
    db.session.execute(
        delete(TeamWeekSignal).where(TeamWeekSignal.team_id == team.id, TeamWeekSignal.iso_week == week)
    )
    rows = [
        TeamWeekSignal(
            team_id=team.id,
            iso_week=week,
            stem=s.stem[:120],
            term=s.term[:120],
            authors=s.authors,
            previous_mean=s.previous_mean,
            updated_at=utcnow(),
        )
        for s in found
    ]
    db.session.add_all(rows)
    return rows
