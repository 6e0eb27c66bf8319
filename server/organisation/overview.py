"""The gemeente's figures across its teams, with inference protection (pure: no Flask, no database).

Every published figure is a cell over a group of people. The rules, in order:

1. A cell is shown only when every kind of person behind it (authors; or residents and the
   medewerkers whose visits they were; or feedback links' senders) numbers at least k. The team
   digest's sock-puppet rule holds here too: a team's leads and the accounts they invited in the
   30 days before the end of the month (server.services.digests.uncounted_authors, per team and month)
   are counted in the figures but never make up k, in this rule or in any remainder of rules 3-6.
2. Months are decided on their own and never change afterwards (a month is published only once it
   is complete, server/organisation/queries.py), so an earlier answer never contradicts a later one.
3. The quarter is published once all three months are. Quarter minus the shown months equals the
   hidden months: when the people in the hidden months are between 1 and k-1, the quarter is hidden.
4. Teams are shown only per quarter. Teams with fewer than k members or authors are merged into
   "overige teams"; while that group (or that group without any one of its teams) is non-empty
   but under k, the smallest shown team joins it.
5. Per figure, quarter minus the shown teams equals the hidden teams: while the people in hidden
   team cells are between 1 and k-1, the smallest shown team cell is hidden too. When the quarter
   figure itself is hidden under rule 3 every team cell is hidden, so the sum of the teams cannot
   rebuild it.
6. Every check in 1, 3 and 5 is made twice over: as an outsider sees it, and as each team's
   teamleider sees it, who can subtract the weeks their own weekly digest showed (and, for actions,
   all of their own team's actions). Which weeks those are cannot be told from today's k: a digest
   is frozen as first built (with the k and the k floor of that time, and leads and new accounts do
   not make up k), so any week whose figure had at least LOWEST_DIGEST_K people may have been shown.
   A theme of the month shows the team its whole month of that theme, so that month counts as seen
   too. What is left after subtracting ANY set of such weeks and months must still be nobody or at
   least k people.

Only months and quarters across the whole organisation, and quarters per team (group), are
published; never a team per month, so the published cells never form a two-way table.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from server.digest.cells import effective_k, suppressed
from server.marker import N_

OTHERS = "overige"
# Dutch source texts; server.organisation.words translates them for the app, the CSV keeps them Dutch.
OTHERS_LABEL = N_("Overige teams")
UNKNOWN_THEME = N_("Onbekend thema")
AGREE_FROM = 4  # 4 = mee eens, 5 = helemaal mee eens
ZONES = ("comfort", "learning", "panic", "none")
ZONE_LABELS = {
    "comfort": N_("Comfortzone"),
    "learning": N_("Leerzone"),
    "panic": N_("Paniekzone"),
    "none": N_("Geen zone gekozen"),
}
PURPOSE = N_(
    "Deze cijfers zijn voor leren en kwaliteit van de wijkteams, niet voor het beoordelen van "
    "medewerkers. Geen cijfer gaat over één persoon: elk getal komt van minstens {k} mensen."
)
# Figures that the team's weekly digest also publishes, week by week (rule 6).
DIGEST_ROWS = ("theme", "zone", "item")
# The lowest k any stored digest can have been built with: digests built before the k floor of 3
# (server.digest.cells.MIN_K) used a floor of 2, and published weeks are never rebuilt.
LOWEST_DIGEST_K = 2


@dataclass(frozen=True)
class TeamInfo:
    id: str
    name: str
    k: int  # the team's own k (its digest)
    members: int  # medewerkers in the team


@dataclass(frozen=True)
class ReflectionFact:
    team: str
    author: str  # opaque; only ever counted
    month: str  # 2026-10, in the team's time zone
    week: str  # ISO week, as the team digest counts it
    themes: frozenset[str] = frozenset()
    zone: str | None = None


@dataclass(frozen=True)
class FeedbackFact:
    team: str
    id: str  # one resident's answer
    medewerker: str | None
    month: str
    week: str
    scores: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LinkFact:
    team: str
    sender: str
    month: str
    answer: str | None = None  # the answer's id when the resident answered


@dataclass(frozen=True)
class ActionFact:
    team: str
    creator: str
    month: str
    done: bool = False


@dataclass(frozen=True)
class SignalFact:
    team: str
    month: str
    term: str


@dataclass(frozen=True)
class ChosenTheme:
    team: str
    month: str
    theme_id: str


@dataclass
class OrganisationInput:
    id: str
    name: str
    k: int
    quarter: str  # 2026-Q4
    published_months: list[str]  # the quarter's months that are complete, in order
    teams: list[TeamInfo] = field(default_factory=list)
    reflections: list[ReflectionFact] = field(default_factory=list)
    feedback: list[FeedbackFact] = field(default_factory=list)
    links: list[LinkFact] = field(default_factory=list)
    actions: list[ActionFact] = field(default_factory=list)
    signals: list[SignalFact] = field(default_factory=list)
    chosen: list[ChosenTheme] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    items: list[str] = field(default_factory=list)
    # (team id, month) -> people who cannot make up k there (rule 1: leads, recently invited).
    uncounted: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)


# -- periods ----------------------------------------------------------------------------------------


def parse_period(value: str) -> tuple[str, str]:
    """'2026-10' -> ('month', '2026-10'); '2026-Q4' -> ('quarter', '2026-Q4'). ValueError otherwise."""
    text = (value or "").strip().upper()
    year, _, rest = text.partition("-")
    if not (year.isdigit() and 2000 <= int(year) <= 2999):
        raise ValueError("gebruik de vorm 2026-10 (maand) of 2026-Q4 (kwartaal)")
    if len(year) == 4 and year.isdigit() and rest.startswith("Q") and rest[1:] in ("1", "2", "3", "4"):
        return "quarter", f"{year}-Q{rest[1:]}"
    if len(year) == 4 and year.isdigit() and rest.isdigit() and len(rest) == 2 and 1 <= int(rest) <= 12:
        return "month", f"{year}-{rest}"
    raise ValueError("gebruik de vorm 2026-10 (maand) of 2026-Q4 (kwartaal)")


def quarter_of(month: str) -> str:
    year, number = month.split("-")
    return f"{year}-Q{(int(number) - 1) // 3 + 1}"


def months_of(quarter: str) -> list[str]:
    year, number = quarter.split("-Q")
    first = (int(number) - 1) * 3 + 1
    return [f"{year}-{m:02d}" for m in range(first, first + 3)]


def period_bounds(kind: str, period: str) -> tuple[date, date]:
    """[first day, first day after) of a month or quarter."""
    months = months_of(period) if kind == "quarter" else [period]
    year, first = (int(part) for part in months[0].split("-"))
    last_year, last = (int(part) for part in months[-1].split("-"))
    end = date(last_year + 1, 1, 1) if last == 12 else date(last_year, last + 1, 1)
    return date(year, first, 1), end


# -- cells --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One contribution to a figure: who is behind it (per kind of person) and what it adds."""

    team: str
    month: str
    week: str | None
    people: tuple  # one id (or None) per kind of person
    amounts: tuple = ()  # (name, number) pairs that add up
    uncounted: frozenset = frozenset()  # of those, the ones that cannot make up k (rule 1)


class Cell:
    def __init__(self, entries: Iterable[Entry], dims: int):
        self.people = [set() for _ in range(dims)]  # everyone: what the figures count
        self.counting: list[set] = [set() for _ in range(dims)]  # those who make up k (rule 1)
        self.amounts = defaultdict(float)
        for entry in entries:
            for index, person in enumerate(entry.people):
                if person is not None:
                    self.people[index].add(person)
                    if person not in entry.uncounted:
                        self.counting[index].add(person)
            for name, number in entry.amounts:
                self.amounts[name] += number

    def enough(self, k: int) -> bool:
        return all(len(group) >= k for group in self.counting)


def _unsafe(groups: list[set], k: int) -> bool:
    """A derivable remainder is unsafe when some kind of person in it numbers 1 to k-1."""
    return any(0 < len(group) < k for group in groups)


def _rows(data: OrganisationInput) -> dict[tuple, tuple[int, list[Entry]]]:
    """Every figure the overview can publish: row key -> (kinds of person, entries)."""
    rows: dict[tuple, tuple[int, list[Entry]]] = {}

    def add(key: tuple, dims: int, entry: Entry) -> None:
        puppets = data.uncounted.get((entry.team, entry.month), frozenset())
        rows.setdefault(key, (dims, []))[1].append(replace(entry, uncounted=puppets) if puppets else entry)

    for r in data.reflections:
        for theme_id in sorted(r.themes):
            add(("theme", theme_id), 1, Entry(r.team, r.month, r.week, (r.author,), (("reflections", 1),)))
        zone = r.zone if r.zone in ZONES else "none"
        add(("zone", zone), 1, Entry(r.team, r.month, r.week, (r.author,), (("reflections", 1),)))
    for f in data.feedback:
        for item in data.items:
            score = f.scores.get(item)
            if isinstance(score, int | float) and not isinstance(score, bool):
                add(
                    ("item", item),
                    2,
                    Entry(
                        f.team,
                        f.month,
                        f.week,
                        (f.id, f.medewerker),
                        (("n", 1), ("agree", int(score >= AGREE_FROM)), ("sum", score)),
                    ),
                )
    for link in data.links:
        add(
            ("response",),
            2,
            Entry(
                link.team,
                link.month,
                None,
                (link.answer, link.sender),
                (("sent", 1), ("answered", int(link.answer is not None))),
            ),
        )
    for action in data.actions:
        add(
            ("actions",),
            1,
            Entry(
                action.team,
                action.month,
                None,
                (action.creator,),
                (("opened", 1), ("done", int(action.done))),
            ),
        )
    return rows


# -- the protected grid --------------------------------------------------------------------------------


@dataclass
class RowResult:
    months: dict[str, Cell | None]  # None = suppressed
    quarter: Cell | None
    groups: dict[str, Cell | None]


@dataclass
class Grid:
    data: OrganisationInput
    k: int
    groups: list[dict]  # [{"key", "label", "teams"}], empty when no team is published
    rows: dict[tuple, RowResult]
    quarter_published: bool


def organisation_k(data: OrganisationInput) -> int:
    """Never below the organisation's k, nor below the k of any of its teams' digests."""
    return max([effective_k(data.k)] + [effective_k(team.k) for team in data.teams])


def build_grid(data: OrganisationInput) -> Grid:
    k = organisation_k(data)
    quarter_published = data.published_months == months_of(data.quarter)
    team_of = _group_teams(data, k) if quarter_published else {}
    groups = _group_list(data, team_of)
    rows = {}
    for key, (dims, entries) in _rows(data).items():
        rows[key] = _protect_row(data, key, dims, entries, k, quarter_published, team_of)
    return Grid(data, k, groups, rows, quarter_published)


def _group_teams(data: OrganisationInput, k: int) -> dict[str, str]:
    """team id -> the group it is published in (itself, or OTHERS); rule 4."""
    authors = defaultdict(set)
    for r in data.reflections:
        if r.author not in data.uncounted.get((r.team, r.month), ()):
            authors[r.team].add(r.author)
    shown = {t.id for t in data.teams if t.members >= k and len(authors[t.id]) >= k}

    def small() -> bool:
        # "Overige teams" minus any one of its teams (whose teamleider knows that team's part) must
        # still be nobody or at least k people; else its figures would all be suppressed anyway.
        merged = [t.id for t in data.teams if t.id not in shown]
        return any(
            0 < len(set().union(*(authors[m] for m in merged if m != viewer))) < k
            for viewer in [None, *merged]
        )

    while shown and small():
        shown.remove(min(shown, key=lambda team: (len(authors[team]), team)))
    return {t.id: t.id if t.id in shown else OTHERS for t in data.teams}


def _group_list(data: OrganisationInput, team_of: dict[str, str]) -> list[dict]:
    named = sorted((t for t in data.teams if team_of.get(t.id) == t.id), key=lambda t: t.name)
    groups = [{"key": t.id, "label": t.name, "teams": 1} for t in named]
    merged = sum(1 for t in data.teams if team_of.get(t.id) == OTHERS)
    if merged:
        groups.append({"key": OTHERS, "label": OTHERS_LABEL, "teams": merged})
    # A single group would just repeat the organisation's figure.
    return groups if len(groups) >= 2 else []


def _protect_row(data, key, dims, entries, k, quarter_published, team_of) -> RowResult:
    known = _seen_by_teamleiders(data, key, dims, entries)

    def exposed(rows: list[Entry]) -> bool:
        return _exposed(rows, dims, k, known)

    by_month = defaultdict(list)
    for entry in entries:
        by_month[entry.month].append(entry)
    # Rules 1 and 2: each month on its own.
    months = {m: Cell(by_month[m], dims) for m in data.published_months}
    months = {m: cell if cell.enough(k) and not exposed(by_month[m]) else None for m, cell in months.items()}
    if not quarter_published:
        return RowResult(months, None, {})
    quarter = Cell(entries, dims)
    # Rule 3: quarter minus the shown months.
    hidden_months = [e for e in entries if months.get(e.month) is None]
    quarter_ok = quarter.enough(k) and not exposed(entries) and not exposed(hidden_months)
    group_keys = sorted(set(team_of.values()))
    if not quarter_ok or len(group_keys) < 2:
        return RowResult(months, quarter if quarter_ok else None, {})
    rows = {g: [e for e in entries if team_of.get(e.team) == g] for g in group_keys}
    cells = {g: Cell(rows[g], dims) for g in group_keys}
    hidden = {g for g, cell in cells.items() if not cell.enough(k) or exposed(rows[g])}
    # Rule 5: complementary suppression across teams.
    while exposed([e for g in hidden for e in rows[g]]):
        rest = [g for g in group_keys if g not in hidden]
        hidden.add(min(rest, key=lambda g: (len(cells[g].counting[0]), g)))
    return RowResult(months, quarter, {g: None if g in hidden else cells[g] for g in group_keys})


@dataclass
class Seen:
    """What one team's teamleider may already know of a figure's part from their own team: the weeks
    their weekly digest may have shown it, and (themes) the months whose theme of the month it was,
    whose team figure is the team's whole month."""

    weeks: set = field(default_factory=set)
    months: set = field(default_factory=set)

    def piece(self, entry: Entry) -> tuple | None:
        """The smallest part the teamleider may know as a whole (None: not known). Weeks straddle
        months, so in a theme-of-the-month month the piece is the week's days within that month;
        every week and every month the teamleider may know is a union of pieces."""
        if entry.month in self.months:
            return ("month", entry.month, entry.week)
        if entry.week in self.weeks:
            return ("week", entry.week)
        return None


def _seen_by_teamleiders(
    data: OrganisationInput, key: tuple, dims: int, entries: list[Entry]
) -> dict[str, Seen]:
    """Per team, what its teamleider may have seen of this figure (Seen).

    Not only the weeks that today's k would show: the digest of a week is frozen as first built, at
    the k (and k floor) of that time, and it needs k authors besides the team's leads and recently
    invited accounts. So every week with at least LOWEST_DIGEST_K people of every kind counts. A
    theme of the month counts whether or not its team figure was shown (it may be, with k authors).
    """
    if key[0] == "actions":
        # A teamleider follows up every action of the team: they know all of their team's part.
        return {t.id: Seen(weeks={None}) for t in data.teams}
    if key[0] not in DIGEST_ROWS:
        return {}
    weeks = defaultdict(list)
    for entry in entries:
        if entry.week:
            weeks[(entry.team, entry.week)].append(entry)
    known: dict[str, Seen] = defaultdict(Seen)
    for (team, week), rows in weeks.items():
        # Everyone, leads included: assuming more weeks seen only protects more.
        if all(len(group) >= LOWEST_DIGEST_K for group in Cell(rows, dims).people):
            known[team].weeks.add(week)
    if key[0] == "theme":
        for chosen in data.chosen:
            if chosen.theme_id == key[1]:
                known[chosen.team].months.add(chosen.month)
    return known


def _exposed(rows: list[Entry], dims: int, k: int, known: dict[str, Seen]) -> bool:
    """Whether a figure (or a derivable remainder) over `rows` singles out 1 to k-1 people.

    Seen by an outsider, and by each team's teamleider, who can subtract any of the weeks and months
    they may have seen (Seen): what is left must still be nobody or at least k people of every kind.
    """
    if _unsafe(Cell(rows, dims).counting, k):
        return True
    for viewer in {entry.team for entry in rows if entry.team in known}:
        seen = known[viewer]
        may_know, unknown = defaultdict(list), []
        for entry in rows:
            piece = seen.piece(entry) if entry.team == viewer else None
            if piece is None:
                unknown.append(entry)
            else:
                may_know[piece].append(entry)
        rest = Cell(unknown, dims).counting
        pieces = [Cell(piece_rows, dims).counting for piece_rows in may_know.values()]
        for index, group in enumerate(rest):
            # Per kind of person, the rest plus any set of pieces the teamleader did not see: with
            # at least k people in the rest every such union is safe; with nobody, every union is
            # safe when every single piece is nobody or at least k people.
            if 0 < len(group) < k or (not group and any(0 < len(piece[index]) < k for piece in pieces)):
                return True
    return False


# -- what is published -----------------------------------------------------------------------------------


def figure(key: tuple, cell: Cell | None) -> dict:
    """A published cell: its numbers, or the suppression marker."""
    if cell is None:
        return suppressed()
    a = cell.amounts
    kind = key[0]
    if kind == "theme":
        return {"value": {"authors": len(cell.people[0]), "reflections": int(a["reflections"])}}
    if kind == "zone":
        return {"value": {"reflections": int(a["reflections"]), "authors": len(cell.people[0])}}
    if kind == "item":
        n = int(a["n"])
        return {
            "value": {
                "n": n,
                "agree": int(a["agree"]),
                "agree_share": round(a["agree"] / n, 3),
                "mean": round(a["sum"] / n, 2),
            }
        }
    if kind == "response":
        sent, answered = int(a["sent"]), int(a["answered"])
        return {"value": {"sent": sent, "answered": answered, "rate": round(answered / sent, 3)}}
    return {"value": {"opened": int(a["opened"]), "done": int(a["done"])}}


def view(grid: Grid, kind: str, period: str) -> dict:
    """The overview of one month or one quarter, from the quarter's grid (same cells either way)."""
    data = grid.data
    if kind == "month":
        columns = [period]
        groups = []
    else:
        columns = list(data.published_months)
        groups = grid.groups if grid.quarter_published else []

    def row_figures(key: tuple) -> dict:
        result = grid.rows.get(key)
        if result is None:
            empty = {"org": suppressed()}
            if kind == "quarter":
                empty |= {
                    "months": {m: suppressed() for m in columns},
                    "teams": {g["key"]: suppressed() for g in groups},
                }
            return empty
        if kind == "month":
            return {"org": figure(key, result.months.get(period))}
        return {
            "org": figure(key, result.quarter) if grid.quarter_published else suppressed(),
            "months": {m: figure(key, result.months.get(m)) for m in columns},
            "teams": {g["key"]: figure(key, result.groups.get(g["key"])) for g in groups},
        }

    def visible(figures: dict) -> bool:
        cells = [figures["org"], *figures.get("months", {}).values(), *figures.get("teams", {}).values()]
        return any("value" in cell for cell in cells)

    themes, hidden_themes = [], False
    for key in sorted(k for k in grid.rows if k[0] == "theme"):
        figures = row_figures(key)
        if not visible(figures):
            hidden_themes = True
            continue
        themes.append({"id": key[1], "label": data.labels.get(key[1], UNKNOWN_THEME), **figures})
    themes.sort(key=lambda t: (-t["org"].get("value", {}).get("authors", 0), t["label"]))
    return {
        "organisation": {"id": data.id, "name": data.name},
        "period": {"kind": kind, "value": period, "months": columns},
        "k": grid.k,
        "published": kind == "month" or grid.quarter_published,
        "teams": groups,
        "themes": {"items": themes, "others": suppressed() if hidden_themes else None},
        "learning_zones": [
            {"zone": zone, "label": ZONE_LABELS[zone], **row_figures(("zone", zone))} for zone in ZONES
        ],
        "residents": [{"item": item, **row_figures(("item", item))} for item in data.items],
        "response_rate": row_figures(("response",)),
        "decisions": {"actions": row_figures(("actions",)), "themes_of_the_month": _chosen(data, columns)},
        "signals": _shared_signals(data, columns),
        "purpose": PURPOSE.format(k=grid.k),
    }


def _chosen(data: OrganisationInput, months: list[str]) -> list[dict]:
    """Themes of the month by how many team-months chose them: a team decision, never a person's."""
    counts = defaultdict(int)
    for choice in data.chosen:
        if choice.month in months:
            counts[choice.theme_id] += 1
    return sorted(
        ({"id": t, "label": data.labels.get(t, UNKNOWN_THEME), "count": n} for t, n in counts.items()),
        key=lambda item: (-item["count"], item["label"]),
    )


def _shared_signals(data: OrganisationInput, months: list[str]) -> list[dict]:
    """Emerging terms that appeared in at least two teams (each already shown by a team at k or more)."""
    teams = defaultdict(set)
    for signal in data.signals:
        if signal.month in months:
            teams[signal.term].add(signal.team)
    return sorted(
        ({"term": term, "teams": len(found)} for term, found in teams.items() if len(found) >= 2),
        key=lambda item: (-item["teams"], item["term"]),
    )
