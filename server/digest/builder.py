"""The weekly theme digest as JSON, from plain rows (pure: no Flask, no database, no Redis).

Every figure that describes people is published only when at least k distinct people contributed
(see cells.py). Trends are computed from what the earlier weeks published, never from the hidden
numbers underneath, so a trend cannot reveal a suppressed cell.
"""

import random
from collections import defaultdict
from datetime import timedelta
from statistics import fmean

from server.digest.cells import effective_k, enough, group_ok, protect_parts, suppressed
from server.digest.rows import NO_THEME, DigestInput, ThemeLabel
from server.privacy.placeholders import shorten
from server.weeks import shift_week

VERSION = 1
TREND_WEEKS = 4
TOP_THEMES = 6
TOP_SIGNALS = 5
TOP_QUESTIONS = 5
QUOTES_PER_THEME = 2
QUOTE_LENGTH = 280
ZONES = ("comfort", "learning", "panic", "none")
ZONE_LABELS = {
    "comfort": "Comfortzone",
    "learning": "Leerzone",
    "panic": "Paniekzone",
    "none": "Geen zone gekozen",
}
SCORE_LABELS = {
    "serieus": "De medewerker nam mij serieus",
    "samen_oplossingen": "We hebben samen naar oplossingen gezocht",
    "past_bij_vraag": "De hulp past bij mijn vraag",
    # The youth version's items (teams whose default is the youth page).
    "jeugd_serieus": "Ik werd serieus genomen (jongeren)",
    "jeugd_meebeslissen": "Ik mocht meebeslissen over de hulp (jongeren)",
}
TREND_LABELS = {"new": "nieuw", "rising": "stijgt", "falling": "daalt", "steady": "stabiel"}
# How far a figure must move from the mean of the earlier weeks to count as up or down.
TOLERANCE = {"count": ("relative", 0.10), "share": ("absolute", 0.05), "score": ("absolute", 0.2)}


def build(data: DigestInput, rng: random.Random | None = None) -> dict:
    k = effective_k(data.k)
    # Seeded per team-week: a rebuild picks the same quotes; the order still says nothing about
    # who wrote when, because candidates are sorted by text before shuffling.
    rng = rng or random.Random(f"{data.team_id}:{data.iso_week}")
    weeks = [shift_week(data.iso_week, -back) for back in range(TREND_WEEKS, -1, -1)]
    builder = _Builder(data, k, rng, weeks)
    numbers = builder.numbers()
    themes = builder.themes()
    return {
        "version": VERSION,
        "team": {"id": data.team_id, "name": data.team_name},
        "iso_week": data.iso_week,
        "k": k,
        "numbers": numbers,
        "themes": themes,
        "signals": builder.signals(),
        "learning_zones": builder.learning_zones("value" in numbers["reflections"]),
        "learning_questions": builder.learning_questions(),
        "residents": builder.residents(numbers),
        "actions": builder.actions(),
        "suggestion": builder.suggestion(themes["items"]),
    }


def _cell(value) -> dict:
    return suppressed() if value is None else {"value": value}


def _others() -> dict:
    """Items under k are never listed, and this says so always: a flag that depended on whether
    such items exist would be an oracle for hidden content (a team theme with a name as keyword)."""
    return suppressed()


class _Builder:
    def __init__(self, data: DigestInput, k: int, rng: random.Random, weeks: list[str]):
        self.data, self.k, self.rng, self.weeks = data, k, rng, weeks
        self.week = data.iso_week
        self.reflections = defaultdict(list)
        for row in data.reflections:
            self.reflections[row.week].append(row)
        self.used_quotes: set[str] = set()
        self.uncounted = data.uncounted

    def counted(self, people) -> set:
        """The people that count towards k (sock-puppet rule, see DigestInput.uncounted)."""
        return set(people) - self.uncounted

    def published(self, week: str) -> dict | None:
        return self.data.published.get(week) if week != self.week else None

    # -- the week in numbers ---------------------------------------------------------------

    def _figures(self, week: str) -> dict:
        """The published value of every figure for one week (None where it is suppressed)."""
        k, data = self.k, self.data
        rows = self.reflections[week]
        authors = {row.author for row in rows}
        inactive = len(data.members - authors)
        visits = [visit for visit in data.visits if visit.week == week]
        with_reflection = {visit.author for visit in visits if visit.reflected}
        without = {visit.author for visit in visits if not visit.reflected}
        feedback = [item for item in data.feedback if item.week == week]
        counted = self.counted
        figures = {
            "reflections": len(rows) if enough(counted(authors), k) else None,
            # Those who did not write are a group too: one or two of them must not stand out.
            "active_medewerkers": len(authors)
            if enough(counted(authors), k) and (inactive == 0 or inactive >= k)
            else None,
            "visit_share": round(sum(v.reflected for v in visits) / len(visits), 2)
            if visits
            and enough(counted(with_reflection | without), k)
            and group_ok(counted(with_reflection), k)
            and group_ok(counted(without), k)
            else None,
            "feedback_responses": len(feedback) if self._feedback_ok(feedback) else None,
        }
        # Answered / issued, so a score from 3 answers is read as such; shown on the same k rule.
        links = [link for link in data.links if link.week == week]
        figures["feedback_response_rate"] = (
            round(sum(link.answered for link in links) / len(links), 2)
            if len(links) >= k and enough(counted(link.medewerker for link in links), k)
            else None
        )
        for item in data.score_items:
            answered = [f for f in feedback if isinstance(f.scores.get(item), int | float)]
            figures[f"score:{item}"] = (
                round(fmean(f.scores[item] for f in answered), 1) if self._feedback_ok(answered) else None
            )
        return figures

    def _feedback_ok(self, feedback: list) -> bool:
        # k residents, and k medewerkers whose visits they were: no score is one colleague's score.
        return len(feedback) >= self.k and enough(self.counted(f.medewerker for f in feedback), self.k)

    def _published_figures(self, content: dict) -> dict:
        """The figures an earlier digest published (None where it suppressed them)."""
        numbers = content.get("numbers") or {}

        def value(cell) -> float | None:
            return cell.get("value") if isinstance(cell, dict) else None

        figures = {
            name: value(numbers.get(name))
            for name in (
                "reflections",
                "active_medewerkers",
                "visit_share",
                "feedback_responses",
                "feedback_response_rate",
            )
        }
        scores = numbers.get("feedback_scores") or {}
        for item in self.data.score_items:
            figures[f"score:{item}"] = value(scores.get(item))
        return figures

    def numbers(self) -> dict:
        per_week = [
            self._published_figures(self.published(week))
            if self.published(week) is not None
            else self._figures(week)
            for week in self.weeks
        ]
        current, previous = per_week[-1], per_week[:-1]

        def figure(name: str, kind: str) -> dict:
            value = current[name]
            if value is None:
                return suppressed()
            return {"value": value, "trend": _trend(value, [week[name] for week in previous], kind)}

        scores = {
            item: {"label": SCORE_LABELS.get(item, item), **figure(f"score:{item}", "score")}
            for item in self.data.score_items
        }
        return {
            "reflections": figure("reflections", "count"),
            "visit_share": figure("visit_share", "share"),
            "active_medewerkers": figure("active_medewerkers", "count"),
            "feedback_responses": figure("feedback_responses", "count"),
            "feedback_response_rate": figure("feedback_response_rate", "share"),
            "feedback_scores": scores,
        }

    # -- themes ----------------------------------------------------------------------------

    def _theme_authors(self, week: str) -> dict[str, set]:
        authors = defaultdict(set)
        for row in self.reflections[week]:
            for theme_id in row.themes:
                authors[theme_id].add(row.author)
        return authors

    def label(self, theme_id: str) -> ThemeLabel:
        if theme_id == NO_THEME:
            return ThemeLabel(NO_THEME, "Zonder thema", "leren")
        return self.data.labels.get(theme_id) or ThemeLabel(theme_id, "Onbekend thema", "leren")

    def themes(self) -> dict:
        k = self.k
        current = self._theme_authors(self.week)
        previous = [self._theme_history(week) for week in self.weeks[:-1]]
        counts = defaultdict(int)
        for row in self.reflections[self.week]:
            for theme_id in row.themes:
                counts[theme_id] += 1
        visible = [theme_id for theme_id, authors in current.items() if len(self.counted(authors)) >= k]
        visible.sort(key=lambda t: (-len(current[t]), -counts[t], self.label(t).label))
        items = []
        for theme_id in visible[:TOP_THEMES]:
            authors = len(current[theme_id])
            # Earlier weeks count as published: a theme they did not list counts as 0 here.
            history = [week.get(theme_id, 0) for week in previous]
            label = self.label(theme_id)
            trend = theme_trend(authors, history, k)
            items.append(
                {
                    "id": theme_id,
                    "label": label.label,
                    "group": label.group,
                    "reflections": counts[theme_id],
                    "authors": authors,
                    "trend": trend,
                    "trend_label": TREND_LABELS[trend],
                    "previous_mean": round(fmean(history), 2),
                    "quotes": self._quotes(theme_id),
                }
            )
        return {"items": items, "others": _others()}

    def _theme_history(self, week: str) -> dict[str, int]:
        """Authors per theme as that week published them (its digest, or the same rule applied now)."""
        content = self.published(week)
        if content is not None:
            return {item["id"]: item["authors"] for item in (content.get("themes") or {}).get("items", [])}
        return {
            theme_id: len(authors)
            for theme_id, authors in self._theme_authors(week).items()
            if len(self.counted(authors)) >= self.k
        }

    def _quotes(self, theme_id: str) -> list[str]:
        candidates = sorted(
            (
                row
                for row in self.reflections[self.week]
                if theme_id in row.themes
                and row.quotable
                and row.quote.strip()
                and row.quote not in self.used_quotes
            ),
            key=lambda row: row.quote,
        )
        self.rng.shuffle(candidates)
        quotes, authors = [], set()
        for row in candidates:
            if row.author in authors:
                continue  # two different voices, not one prolific writer twice
            authors.add(row.author)
            self.used_quotes.add(row.quote)
            quotes.append(_shorten(row.quote))
            if len(quotes) == QUOTES_PER_THEME:
                break
        return quotes

    def signals(self) -> dict:
        shown = sorted(
            (s for s in self.data.signals if s.authors >= self.k), key=lambda s: (-s.authors, s.term)
        )
        items = [
            {"term": s.term, "authors": s.authors, "previous_mean": round(s.previous_mean, 2)}
            for s in shown[:TOP_SIGNALS]
        ]
        return {"items": items, "others": _others()}

    # -- learning zones and learning questions ---------------------------------------------

    def learning_zones(self, total_visible: bool) -> dict:
        rows = self.reflections[self.week]
        people = {zone: set() for zone in ZONES}
        counts = dict.fromkeys(ZONES, 0)
        for row in rows:
            zone = row.zone if row.zone in people else "none"
            people[zone].add(row.author)
            counts[zone] += 1
        # The parts add up to the published reflection count: hide enough of them together.
        hidden = protect_parts(
            {zone: self.counted(who) for zone, who in people.items()}, total_visible, self.k
        )
        zones = {}
        for zone in ZONES:
            if zone in hidden:
                zones[zone] = {"label": ZONE_LABELS[zone], **suppressed()}
            else:
                zones[zone] = {
                    "label": ZONE_LABELS[zone],
                    "value": counts[zone],
                    "share": round(counts[zone] / len(rows), 2),
                }
        return {"zones": zones}

    def learning_questions(self) -> dict:
        people, examples = defaultdict(set), defaultdict(list)
        for row in self.reflections[self.week]:
            if not row.has_learning:
                continue
            for theme_id in row.themes or {NO_THEME}:
                people[theme_id].add(row.author)
                if row.quotable and row.learning.strip():
                    examples[theme_id].append((row.learning, row.author))
        for question in self.data.learning_questions:
            if question.week != self.week:
                continue
            for theme_id in question.themes or {NO_THEME}:
                people[theme_id].add(question.author)
                if question.text.strip():
                    examples[theme_id].append((question.text, question.author))
        visible = sorted(
            (t for t, authors in people.items() if len(self.counted(authors)) >= self.k),
            key=lambda t: (-len(people[t]), self.label(t).label),
        )
        items = []
        for theme_id in visible[:TOP_QUESTIONS]:
            items.append(
                {
                    "theme_id": theme_id,
                    "label": self.label(theme_id).label,
                    "authors": len(people[theme_id]),
                    "examples": self._examples(examples[theme_id]),
                }
            )
        return {"items": items, "others": _others()}

    def _examples(self, texts: list[tuple[str, str]]) -> list[str]:
        texts = sorted(set(texts))
        self.rng.shuffle(texts)
        chosen, authors = [], set()
        for text, author in texts:
            if author not in authors:
                authors.add(author)
                chosen.append(_shorten(text))
            if len(chosen) == QUOTES_PER_THEME:
                break
        return chosen

    # -- residents, actions, suggestion ----------------------------------------------------

    def residents(self, numbers: dict) -> dict:
        feedback = [item for item in self.data.feedback if item.week == self.week]
        mentions = defaultdict(list)
        for item in feedback:
            for theme_id in item.themes:
                mentions[theme_id].append(item)
        visible = sorted(
            (t for t, items in mentions.items() if self._feedback_ok(items)),
            key=lambda t: (-len(mentions[t]), self.label(t).label),
        )
        themes = []
        for theme_id in visible:
            items = mentions[theme_id]
            scores = [
                value for item in items for value in item.scores.values() if isinstance(value, int | float)
            ]
            themes.append(
                {
                    "id": theme_id,
                    "label": self.label(theme_id).label,
                    "mentions": len(items),
                    "average_score": round(fmean(scores), 1) if scores else None,
                }
            )
        return {
            "responses": numbers["feedback_responses"],
            "response_rate": numbers["feedback_response_rate"],
            "scores": numbers["feedback_scores"],
            "themes": themes,
            "others": _others(),
        }

    def actions(self) -> dict:
        def item(action) -> dict:
            owner = {"id": action.owner_id, "display_name": action.owner_name} if action.owner_id else None
            due_week = None
            if action.due:
                year, week, _ = action.due.isocalendar()
                due_week = f"{year}-W{week:02d}"
            return {
                "id": action.id,
                "title": action.title,
                "status": action.status,
                "owner": owner,
                "due_week": due_week,
            }

        actions = sorted(
            self.data.actions, key=lambda a: (a.due or self.data.week_end + timedelta(days=999), a.title)
        )
        return {
            "opened": [item(a) for a in actions if a.created_week == self.week],
            "done": [item(a) for a in actions if a.status == "done" and a.done_week == self.week],
            "overdue": [
                item(a) for a in actions if a.status == "open" and a.due and a.due <= self.data.week_end
            ],
            "open": sum(a.status == "open" for a in actions),
        }

    def suggestion(self, themes: list[dict]) -> dict | None:
        order = {"rising": 0, "new": 1, "steady": 2, "falling": 3}
        candidates = [t for t in themes if t["group"] != "ervaring"]
        if not candidates:
            return None
        pick = min(candidates, key=lambda t: (order[t["trend"]], -t["authors"], t["label"]))
        if pick["trend"] == "rising":
            reason = (
                f"Stijgt: {pick['authors']} collega's schreven erover, tegen gemiddeld "
                f"{pick['previous_mean']:g} in de vier weken ervoor."
            )
        elif pick["trend"] == "new":
            reason = f"Nieuw deze week: {pick['authors']} collega's schreven erover."
        else:
            reason = f"Het meest genoemde thema: {pick['authors']} collega's schreven erover."
        keepers = [
            {"id": keeper.user_id, "display_name": keeper.name}
            for keeper in sorted(self.data.keepers, key=lambda keeper: keeper.name)
            if keeper.theme_id == pick["id"]
        ]
        return {"theme_id": pick["id"], "label": pick["label"], "reason": reason, "keepers": keepers}


def _trend(value, previous: list, kind: str) -> dict:
    shown = [v for v in previous if v is not None]
    mean = round(fmean(shown), 2) if shown else None
    direction = None
    if mean is not None:
        mode, amount = TOLERANCE[kind]
        margin = mean * amount if mode == "relative" else amount
        direction = "up" if value > mean + margin else "down" if value < mean - margin else "steady"
    return {"previous": [_cell(v) for v in previous], "previous_mean": mean, "direction": direction}


def theme_trend(authors: int, history: list[int], k: int) -> str:
    """API.md: new / rising / falling / steady, over the published authors of the 4 weeks before."""
    if not any(history):
        return "new"
    mean = fmean(history)
    if authors >= k and authors >= 1.5 * mean:
        return "rising"
    if authors <= 0.5 * mean:
        return "falling"
    return "steady"


def _shorten(text: str) -> str:
    return shorten(text, QUOTE_LENGTH)  # never cuts a placeholder ("[naam 1]") in half
