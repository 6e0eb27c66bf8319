"""What the bordsessie board adds to a week's digest: successes, effect cards and knowledge gaps.

Pure (no Flask, no database): the rows come from server.services.board. Every figure about
people is a cell (cells.py) and is published only when at least k distinct people stand behind it;
the people *outside* a published part are a group too (group_ok), so "total minus part" never
singles anyone out.
"""

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean

from server.digest.cells import (
    counted_in_digest,
    effective_k,
    enough,
    group_ok,
    overlap_shown,
    suppressed,
)
from server.digest.rows import FeedbackRow
from server.marker import N_, Texts
from server.privacy.placeholders import shorten
from server.weeks import shift_week

QUOTES = 2
QUOTE_LENGTH = 220
# Effect cards: four weeks before against four weeks after, shown 4 to 6 weeks after the due week.
EFFECT_WINDOW = 4
EFFECT_FROM, EFFECT_UNTIL = 4, 6
GAPS = 3
COMPLIMENT = 4  # every score of the answer at least "mee eens"
CAUTION = N_("Kleine aantallen: lees dit als een aanwijzing, niet als bewijs.")


@dataclass(frozen=True)
class OutcomeRow:
    """A reflection's answer to "Vorige keer nam je je voor … Gelukt?"."""

    author: str
    week: str
    outcome: str  # ja / deels / nee
    quote: str = ""  # de-identified "Wat gebeurde er?"; only when shared, processed, safe


@dataclass(frozen=True)
class ThemedReflection:
    author: str
    week: str
    themes: frozenset[str] = frozenset()
    zone: str | None = None
    # When the row had its current themes (received, or a later theme change); None: unknown, so
    # in no published count.
    known_at: datetime | None = None


@dataclass(frozen=True)
class EffectAction:
    id: str
    title: str
    theme_id: str
    theme_label: str
    owner_id: str | None
    owner_name: str | None
    created_week: str
    due_week: str


@dataclass
class ThemeMonth:
    """One theme over a calendar month and the month before: distinct authors (any visibility)."""

    theme_id: str
    label: str
    authors: int
    previous_authors: int
    keepers: list[str] = field(default_factory=list)  # names of aandachtsfunctionarissen
    helpers: int = 0  # colleagues who said "ik weet hier iets van"


def _cell(value) -> dict:
    return {"value": value}


def _shorten(text: str) -> str:
    return shorten(text, QUOTE_LENGTH)  # never cuts a placeholder ("[naam 1]") in half


# -- successes ---------------------------------------------------------------------------------------


def successes(
    iso_week: str,
    k: int,
    outcomes: list[OutcomeRow],
    feedback: list[FeedbackRow],
    done_actions: list[dict],
    seed: str,
) -> dict:
    """Intentions that worked, resident compliments (counted, never quoted) and actions done.

    The quotes are shared, de-identified texts of two different authors, and only when the count
    they illustrate is itself published.
    """
    k = effective_k(k)
    week = [row for row in outcomes if row.week == iso_week]
    worked = [row for row in week if row.outcome == "ja"]
    worked_authors = {row.author for row in worked}
    intentions = _cell(len(worked)) if enough(worked_authors, k) else suppressed()
    quotes = []
    if "value" in intentions:
        candidates = sorted({(row.quote, row.author) for row in worked if row.quote.strip()})
        random.Random(seed).shuffle(candidates)
        seen = set()
        for text, author in candidates:
            if author not in seen:
                seen.add(author)
                quotes.append(_shorten(text))
            if len(quotes) == QUOTES:
                break
    return {
        "intentions_worked": intentions,
        "quotes": quotes,
        "compliments": _compliments([row for row in feedback if row.week == iso_week], k),
        "actions_done": done_actions,
    }


def _compliments(feedback: list[FeedbackRow], k: int) -> dict:
    """Answers with every score at least 4. The answers that were not compliments are a group too."""

    def praised(row: FeedbackRow) -> bool:
        scores = [v for v in row.scores.values() if isinstance(v, int | float)]
        return bool(scores) and min(scores) >= COMPLIMENT

    yes = [row for row in feedback if praised(row)]
    no = [row for row in feedback if not praised(row)]

    def safe(rows: list[FeedbackRow]) -> bool:
        return len(rows) >= k and enough((row.medewerker for row in rows), k)

    if safe(yes) and (not no or safe(no)):
        return _cell(len(yes))
    return suppressed()


# -- did it help? --------------------------------------------------------------------------------------


def effect_cards(
    iso_week: str,
    k: int,
    actions: list[EffectAction],
    reflections: list[ThemedReflection],
    feedback: list[FeedbackRow],
    visit_themes: dict[str, frozenset[str]] | None = None,
    *,
    published: Mapping[str, Mapping[str, datetime]],
    uncounted: frozenset[str],
    texts: Texts,
) -> list[dict]:
    """For each themed action whose due week lies 4 to 6 weeks before iso_week: the theme before
    (the 4 weeks up to the week the action was made) against after (the 4 weeks after its due week).

    `feedback` rows carry in `themes` the themes of the reflections on their visit. Figures are
    counts with their base, each k-safe on its own; no verdict is drawn from them. A period overlaps
    the weekly digests (`published`, as for group_by_theme), so its theme figures need what
    cells.overlap_shown needs, and leads (`uncounted`) do not make up k.
    """
    k = effective_k(k)
    cards = []
    for action in actions:
        if (
            not shift_week(action.due_week, EFFECT_FROM)
            <= iso_week
            <= shift_week(action.due_week, EFFECT_UNTIL)
        ):
            continue
        before = {shift_week(action.created_week, -back) for back in range(EFFECT_WINDOW)}
        after = {shift_week(action.due_week, ahead) for ahead in range(1, EFFECT_WINDOW + 1)}
        periods = {}
        for name, weeks in (("before", before), ("after", after)):
            rows = [row for row in reflections if row.week in weeks]
            answers = [row for row in feedback if row.week in weeks and action.theme_id in row.themes]
            periods[name] = {
                "weeks": [min(weeks), max(weeks)],
                **_theme_figures(rows, action.theme_id, k, published, uncounted),
                "resident_score": _score(answers, k),
            }
        cards.append(
            {
                "action": {
                    "id": action.id,
                    "title": action.title,
                    "owner": {"id": action.owner_id, "display_name": action.owner_name}
                    if action.owner_id
                    else None,
                    "due_week": action.due_week,
                },
                "theme": {"id": action.theme_id, "label": action.theme_label},
                "before": periods["before"],
                "after": periods["after"],
                "caution": texts.gettext(CAUTION),
            }
        )
    return cards


def _theme_figures(
    rows: list[ThemedReflection],
    theme_id: str,
    k: int,
    published: Mapping[str, Mapping[str, datetime]],
    uncounted: frozenset[str],
) -> dict:
    on_theme = [row for row in rows if theme_id in row.themes]
    theme_authors = {row.author for row in on_theme}
    unlisted = {
        row.author for row in on_theme if not counted_in_digest(published, theme_id, row.week, row.known_at)
    }
    theme_ok = overlap_shown(theme_authors, unlisted, uncounted, k)
    other_authors = {row.author for row in rows if theme_id not in row.themes}
    share = suppressed()
    if theme_ok and group_ok(other_authors, k):
        share = {"value": round(len(on_theme) / len(rows), 2), "count": len(on_theme), "of": len(rows)}
    panic = suppressed()
    in_panic = {row.author for row in on_theme if row.zone == "panic"}
    calm = {row.author for row in on_theme if row.zone != "panic"}
    if theme_ok and group_ok(in_panic, k) and group_ok(calm, k):
        count = sum(row.zone == "panic" for row in on_theme)
        panic = {"value": round(count / len(on_theme), 2), "count": count, "of": len(on_theme)}
    return {"theme_share": share, "panic_share": panic}


def _score(answers: list[FeedbackRow], k: int) -> dict:
    scores = [v for row in answers for v in row.scores.values() if isinstance(v, int | float)]
    if len(answers) >= k and enough((row.medewerker for row in answers), k) and scores:
        return {"value": round(fmean(scores), 1), "count": len(answers)}
    return suppressed()


# -- knowledge gaps and the one proposal ---------------------------------------------------------------


def knowledge_gaps(themes: list[ThemeMonth], k: int, *, texts: Texts) -> list[dict]:
    """Real gaps: frequent or rising over at least k authors this month, with nobody who keeps the
    theme and no colleague who said "ik weet hier iets van". The top three, each with why.

    Frequent: among the team's most written-about themes this month (the top quarter, at least
    three). Rising: at least 1.5 × the authors of the month before.
    """
    k = effective_k(k)
    shown = sorted((t for t in themes if t.authors >= k), key=lambda t: (-t.authors, t.label))
    top = {t.theme_id for t in shown[: max(3, len(shown) // 4)]}
    gaps = []
    for theme in shown:
        # As published: a month under k counts as 0, so neither the flag nor the text reveals it.
        before = theme.previous_authors if theme.previous_authors >= k else 0
        rising = theme.authors >= 1.5 * before and theme.authors > before
        if theme.keepers or theme.helpers or not (rising or theme.theme_id in top):
            continue
        n = theme.authors
        if rising and before:
            why = [
                texts.ngettext(
                    "%(num)d collega schreef erover deze maand (vorige maand %(before)d).",
                    "%(num)d collega's schreven erover deze maand (vorige maand %(before)d).",
                    n,
                    before=before,
                )
            ]
        elif rising:
            why = [
                texts.ngettext(
                    "%(num)d collega schreef erover deze maand (nieuw deze maand).",
                    "%(num)d collega's schreven erover deze maand (nieuw deze maand).",
                    n,
                )
            ]
        else:
            why = [
                texts.ngettext(
                    "%(num)d collega schreef erover deze maand.",
                    "%(num)d collega's schreven erover deze maand.",
                    n,
                )
            ]
        why.append(texts.gettext("Niemand is aandachtsfunctionaris en niemand zei 'ik weet hier iets van'."))
        gaps.append(
            {
                "theme_id": theme.theme_id,
                "label": theme.label,
                "authors": theme.authors,
                "rising": rising,
                "why": " ".join(why),
            }
        )
    return gaps[:GAPS]


def propose(week_themes: list[dict], gaps: list[dict], *, texts: Texts) -> dict | None:
    """One proposal for the casusoverleg / theme of the month, for the board and the leeragenda alike.

    A rising or new theme of the week that is also a knowledge gap goes first (the team meets it more
    and nobody holds it), then any rising/new theme, then the first gap, then the largest theme.
    `week_themes` are the digest's published theme items (k-safe already).
    """
    gap_ids = {gap["theme_id"]: gap for gap in gaps}
    order = {"rising": 0, "new": 1, "steady": 2, "falling": 3}
    candidates = [t for t in week_themes if t.get("group") != "ervaring"]

    def rank(theme: dict) -> tuple:
        moving = theme["trend"] in ("rising", "new")
        return (
            not (moving and theme["id"] in gap_ids),
            not moving,
            theme["id"] not in gap_ids,
            order[theme["trend"]],
            -theme["authors"],
            theme["label"],
        )

    if candidates:
        pick = min(candidates, key=rank)
        n = pick["authors"]
        if pick["trend"] == "rising":
            reason = texts.ngettext(
                "Stijgt: %(num)d collega schreef erover, tegen gemiddeld %(mean)s in de vier weken ervoor.",
                "Stijgt: %(num)d collega's schreven erover, tegen gemiddeld %(mean)s in de vier weken ervoor.",
                n,
                mean=texts.decimal(pick["previous_mean"]),
            )
        elif pick["trend"] == "new":
            reason = texts.ngettext(
                "Nieuw deze week: %(num)d collega schreef erover.",
                "Nieuw deze week: %(num)d collega's schreven erover.",
                n,
            )
        else:
            reason = texts.ngettext(
                "Het meest genoemde thema: %(num)d collega schreef erover.",
                "Het meest genoemde thema: %(num)d collega's schreven erover.",
                n,
            )
        if pick["id"] in gap_ids:
            reason += " " + texts.gettext("Niemand in het team houdt dit thema bij.")
        return {
            "theme_id": pick["id"],
            "label": pick["label"],
            "reason": reason,
            "gap": pick["id"] in gap_ids,
            "trend": pick["trend"],
            "authors": pick["authors"],
            "previous_mean": pick["previous_mean"],
        }
    if gaps:
        return {
            "theme_id": gaps[0]["theme_id"],
            "label": gaps[0]["label"],
            "reason": gaps[0]["why"],
            "gap": True,
            "trend": "rising" if gaps[0].get("rising") else None,
            "authors": gaps[0].get("authors"),
            "previous_mean": None,
        }
    return None


def theme_month_rows(
    per_theme: dict[str, tuple[int, int]],
    labels: dict[str, str],
    keepers: dict[str, list[str]],
    helpers: dict[str, set],
) -> list[ThemeMonth]:
    """Plain ThemeMonth rows from {theme: (publishable authors this month, the month before)}."""
    rows = []
    for theme_id, (now, before) in per_theme.items():
        rows.append(
            ThemeMonth(
                theme_id=theme_id,
                label=labels.get(theme_id, theme_id),
                authors=now,
                previous_authors=before,
                keepers=keepers.get(theme_id, []),
                helpers=len(helpers.get(theme_id, ())),
            )
        )
    return rows


def group_by_theme(
    reflections: Iterable[ThemedReflection],
    this: set[str],
    before: set[str],
    published: Mapping[str, Mapping[str, datetime]],
    uncounted: frozenset[str],
    k: int,
) -> dict[str, tuple[int, int]]:
    """{theme: (authors in `this` set of weeks, in `before`)} as they may be published: such a span
    overlaps the weekly digests, so a count is 0 unless cells.overlap_shown allows it (k counted
    authors; the rows no digest counted, cells.counted_in_digest: nobody or k people)."""
    people: dict = defaultdict(lambda: {"this": (set(), set()), "before": (set(), set())})
    for row in reflections:
        span = "this" if row.week in this else "before" if row.week in before else None
        if span is None:
            continue
        for theme_id in row.themes:
            authors, unlisted = people[theme_id][span]
            authors.add(row.author)
            if not counted_in_digest(published, theme_id, row.week, row.known_at):
                unlisted.add(row.author)
    k = effective_k(k)

    def publishable(authors: set, unlisted: set) -> int:
        return len(authors) if overlap_shown(authors, unlisted, uncounted, k) else 0

    return {
        theme_id: (publishable(*spans["this"]), publishable(*spans["before"]))
        for theme_id, spans in people.items()
    }
