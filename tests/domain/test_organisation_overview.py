"""The gemeente overview's inference protection (pure module), attacked with every difference.

Hypothesis generates organisations (teams of different sizes, months, themes, zones, resident
answers, feedback links, actions); the attacker sees only what is published — the quarter view and
each month's view — and subtracts every subset of visible parts from every visible total. The
people behind each such remainder (computed here from the raw facts, independently of the module)
must number 0 or at least k, for every kind of person.
"""

from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.digest.cells import suppressed
from server.organisation.overview import (
    OTHERS,
    ActionFact,
    ChosenTheme,
    FeedbackFact,
    LinkFact,
    OrganisationInput,
    ReflectionFact,
    TeamInfo,
    build_grid,
    months_of,
    parse_period,
    period_bounds,
    view,
)

QUARTER = "2026-Q4"
MONTHS = months_of(QUARTER)
WEEKS = {
    "2026-10": ("2026-W40", "2026-W42"),
    "2026-11": ("2026-W45", "2026-W47"),
    "2026-12": ("2026-W49", "2026-W51"),
}
THEMES = ("geld", "wonen", "taal")
ZONES = ("comfort", "learning", "panic", None)


# -- ground truth, straight from the facts -----------------------------------------------------------


def truth(
    data: OrganisationInput,
    key: tuple,
    teams: set,
    months: set,
    weeks: set | None = None,
    known: tuple = (None, (), ()),
):
    """(people per kind, amounts) behind one figure over the given teams and months (and weeks),
    leaving out `known` = (team, weeks, months): what that team's teamleider already saw in their
    digests (weeks) and in their theme of the month (months: the team's whole month of the theme).

    The people are those who make up k: a team's leads and the accounts they recently invited
    (`data.uncounted`, per team and month) are in the amounts, but a group of them protects nobody."""
    kind = key[0]
    people, amounts = None, {}

    def counting(facts, who) -> set:
        return {
            who(fact)
            for fact in facts
            if who(fact) is not None and who(fact) not in data.uncounted.get((fact.team, fact.month), ())
        }

    def take(fact_team, fact_month, fact_week=None):
        if fact_team == known[0] and (fact_week in known[1] or fact_month in known[2]):
            return False
        return fact_team in teams and fact_month in months and (weeks is None or fact_week in weeks)

    if kind in ("theme", "zone"):
        rows = [
            r
            for r in data.reflections
            if take(r.team, r.month, r.week)
            and (key[1] in r.themes if kind == "theme" else (r.zone or "none") == key[1])
        ]
        people = (counting(rows, lambda r: r.author),)
        amounts = {"reflections": len(rows), "authors": len({r.author for r in rows})}
    elif kind == "item":
        rows = [f for f in data.feedback if take(f.team, f.month, f.week) and key[1] in f.scores]
        people = ({f.id for f in rows}, counting(rows, lambda f: f.medewerker))
        amounts = {"n": len(rows), "agree": sum(f.scores[key[1]] >= 4 for f in rows)}
    elif kind == "response":
        rows = [link for link in data.links if take(link.team, link.month)]
        people = ({link.answer for link in rows if link.answer}, counting(rows, lambda link: link.sender))
        amounts = {"sent": len(rows), "answered": sum(link.answer is not None for link in rows)}
    else:
        rows = [a for a in data.actions if take(a.team, a.month)]
        people = (counting(rows, lambda a: a.creator),)
        amounts = {"opened": len(rows), "done": sum(a.done for a in rows)}
    return people, amounts


def unsafe(people: tuple, k: int) -> bool:
    return any(0 < len(group) < k for group in people)


def union(groups: list[tuple]) -> tuple:
    return tuple(set().union(*parts) for parts in zip(*groups, strict=True)) if groups else ()


# -- generated organisations ---------------------------------------------------------------------------


@st.composite
def organisations(draw, complete=True):
    team_count = draw(st.integers(1, 5))
    teams = [
        TeamInfo(
            id=f"t{i}", name=f"Team {i}", k=draw(st.sampled_from([2, 3])), members=draw(st.integers(1, 10))
        )
        for i in range(team_count)
    ]
    author = st.tuples(st.integers(0, team_count - 1), st.integers(0, 9))

    def person(team_index: int, index: int) -> str:
        team = teams[team_index]
        return f"{team.id}-p{index % team.members}"

    reflections = [
        ReflectionFact(
            team=teams[t].id,
            author=person(t, a),
            month=MONTHS[m],
            week=WEEKS[MONTHS[m]][w],
            themes=frozenset(themes),
            zone=zone,
        )
        for (t, a), m, w, themes, zone in draw(
            st.lists(
                st.tuples(
                    author,
                    st.integers(0, 2),
                    st.integers(0, 1),
                    st.sets(st.sampled_from(THEMES), max_size=2),
                    st.sampled_from(ZONES),
                ),
                max_size=150,
            )
        )
    ]
    feedback = [
        FeedbackFact(
            team=teams[t].id,
            id=f"f{n}",
            medewerker=person(t, a),
            month=MONTHS[m],
            week=WEEKS[MONTHS[m]][0],
            scores={"serieus": score},
        )
        for n, ((t, a), m, score) in enumerate(
            draw(st.lists(st.tuples(author, st.integers(0, 2), st.integers(1, 5)), max_size=80))
        )
    ]
    links = [
        LinkFact(team=teams[t].id, sender=person(t, a), month=MONTHS[m], answer=f"a{n}" if answered else None)
        for n, ((t, a), m, answered) in enumerate(
            draw(st.lists(st.tuples(author, st.integers(0, 2), st.booleans()), max_size=40))
        )
    ]
    actions = [
        ActionFact(team=teams[t].id, creator=person(t, a), month=MONTHS[m], done=done)
        for (t, a), m, done in draw(
            st.lists(st.tuples(author, st.integers(0, 2), st.booleans()), max_size=15)
        )
    ]
    chosen = [
        ChosenTheme(teams[t].id, MONTHS[m], theme)
        for t, m, theme in draw(
            st.lists(
                st.tuples(st.integers(0, team_count - 1), st.integers(0, 2), st.sampled_from(THEMES)),
                max_size=4,
            )
        )
    ]
    published = MONTHS if complete else MONTHS[: draw(st.integers(0, 2))]
    # Sock puppets: a few leads per team, and accounts a lead invited that count only from some month on.
    leads = draw(st.sets(author, max_size=3))
    invited = draw(st.lists(st.tuples(author, st.integers(1, 3)), max_size=3))
    uncounted = {
        (team.id, month): frozenset(
            [person(t, a) for t, a in leads if t == index]
            + [person(t, a) for (t, a), counts_from in invited if t == index and m < counts_from]
        )
        for index, team in enumerate(teams)
        for m, month in enumerate(MONTHS)
    }
    return OrganisationInput(
        id="org",
        name="Gemeente",
        k=draw(st.sampled_from([3, 4, 5])),
        quarter=QUARTER,
        published_months=list(published),
        teams=teams,
        reflections=reflections,
        feedback=feedback,
        links=links,
        actions=actions,
        items=["serieus"],
        labels={t: t for t in THEMES},
        uncounted=uncounted,
        chosen=chosen,
    )


def viewers(data: OrganisationInput, key: tuple) -> list[tuple]:
    """An outsider, and each team's teamleider with the weeks their weekly digest showed this figure."""
    result = [(None, (), ())]
    if key[0] == "actions":
        return result + [(team.id, {None}, ()) for team in data.teams]  # a teamleider sees all of them
    if key[0] not in ("theme", "zone", "item"):
        return result
    for team in data.teams:
        shown = {
            week
            for pair in WEEKS.values()
            for week in pair
            if all(
                len(group) >= max(team.k, 2) for group in truth(data, key, {team.id}, set(MONTHS), {week})[0]
            )
        }
        chosen = {c.month for c in data.chosen if c.team == team.id and key == ("theme", c.theme_id)}
        result.append((team.id, shown, ()))
        if chosen:  # their theme of the month: the team's whole month, with or without the weeks
            result += [(team.id, shown, chosen), (team.id, (), chosen)]
    return result


def published_rows(overview: dict):
    """(row key, figures) for every figure row of a view."""
    for theme in overview["themes"]["items"]:
        yield ("theme", theme["id"]), theme
    for zone in overview["learning_zones"]:
        yield ("zone", zone["zone"]), zone
    for item in overview["residents"]:
        yield ("item", item["item"]), item
    yield ("response",), overview["response_rate"]
    yield ("actions",), overview["decisions"]["actions"]


def amounts(cell: dict) -> dict:
    return {name: value for name, value in cell["value"].items() if isinstance(value, int)}


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def every_seen_set(data: OrganisationInput, key: tuple) -> list[tuple]:
    """An outsider, and each teamleider with ANY set of the weeks their digest may have shown (a
    digest is frozen at the k of its time: any week with 2 people of every kind) and of their
    themes-of-the-month months: the module claims safety against all of them, not one."""
    result = [(None, (), ())]
    if key[0] not in ("theme", "zone", "item"):
        return viewers(data, key)
    for team in data.teams:
        weeks = [
            week
            for pair in WEEKS.values()
            for week in pair
            if all(len(group) >= 2 for group in truth(data, key, {team.id}, set(MONTHS), {week})[0])
        ]
        chosen = sorted({c.month for c in data.chosen if c.team == team.id and key == ("theme", c.theme_id)})
        for size in range(1, len(weeks) + len(chosen) + 1):
            for subset in combinations(weeks + chosen, size):
                result.append(
                    (team.id, {w for w in subset if "-W" in w}, {m for m in subset if "-W" not in m})
                )
    return result


@PROPERTY
@given(organisations())
def test_no_difference_of_published_cells_reveals_fewer_than_k_people(data):
    check_differences(data, viewers)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_no_difference_reveals_fewer_than_k_people_whatever_weeks_a_teamleider_saw(data):
    check_differences(data, every_seen_set)


def check_differences(data: OrganisationInput, viewers) -> None:
    grid = build_grid(data)
    k = grid.k
    quarter = view(grid, "quarter", QUARTER)
    months = {m: view(grid, "month", m) for m in MONTHS}
    all_teams = {t.id for t in data.teams}
    members = {
        g["key"]: (
            {g["key"]}
            if g["key"] != OTHERS
            else {t for t in all_teams if t not in {x["key"] for x in quarter["teams"]}}
        )
        for g in quarter["teams"]
    }

    for key, figures in published_rows(quarter):
        # Every visible cell stands on k people of every kind, and its numbers are the true ones.
        cells = [("org", all_teams, set(MONTHS), figures["org"])]
        cells += [(g, members[g], set(MONTHS), cell) for g, cell in figures["teams"].items()]
        for month in MONTHS:
            month_figures = dict(published_rows(months[month])).get(key, {"org": suppressed()})
            assert month_figures["org"] == figures["months"][month], "month view differs from the quarter's"
            cells.append((month, all_teams, {month}, figures["months"][month]))
        for _, teams, in_months, cell in cells:
            if "value" in cell:
                people, true = truth(data, key, teams, in_months)
                assert all(len(group) >= k for group in people)
                assert all(true[name] == value for name, value in amounts(cell).items())
                for viewer in viewers(data, key):
                    assert not unsafe(truth(data, key, teams, in_months, known=viewer)[0], k), (key, viewer)
        if "value" not in figures["org"]:
            assert not any("value" in cell for cell in figures["teams"].values())
            continue
        total = amounts(figures["org"])
        relations = (
            ("teams", {g: (members[g], set(MONTHS)) for g in figures["teams"]}, figures["teams"]),
            ("months", {m: (all_teams, {m}) for m in MONTHS}, figures["months"]),
        )
        for relation, parts, shown in relations:
            if not parts:
                continue  # no team is published: nothing to subtract
            visible = [p for p in parts if "value" in shown[p]]
            for size in range(len(visible) + 1):
                for subset in combinations(visible, size):
                    rest = [p for p in parts if p not in subset]
                    for viewer in viewers(data, key):
                        people = union([truth(data, key, *parts[p], known=viewer)[0] for p in rest])
                        assert not unsafe(people, k), (key, relation, subset, viewer, people)
                    # Counts add up exactly, except distinct authors of a theme across months.
                    if not (key[0] == "theme" and relation == "months"):
                        remainder = {
                            name: total[name] - sum(amounts(shown[p])[name] for p in subset)
                            for name in total
                            if name != "authors" or key[0] == "theme"
                        }
                        expected = {
                            name: sum(truth(data, key, *parts[p])[1][name] for p in rest)
                            for name in remainder
                        }
                        assert remainder == expected


@PROPERTY
@given(organisations())
def test_teams_are_named_only_with_k_members_and_authors_and_others_is_never_small(data):
    def counts(r) -> bool:  # leads and recently invited accounts do not make up k
        return r.author not in data.uncounted.get((r.team, r.month), ())

    grid = build_grid(data)
    k = grid.k
    named = [g for g in grid.groups if g["key"] != OTHERS]
    for group in named:
        team = next(t for t in data.teams if t.id == group["key"])
        authors = {r.author for r in data.reflections if r.team == team.id and counts(r)}
        assert team.members >= k and len(authors) >= k
    others = {t.id for t in data.teams} - {g["key"] for g in named}
    for viewer in [None, *others]:
        merged_authors = {
            r.author for r in data.reflections if r.team in others and r.team != viewer and counts(r)
        }
        assert not grid.groups or not 0 < len(merged_authors) < k


@PROPERTY
@given(organisations(complete=False))
def test_an_unfinished_quarter_publishes_no_quarter_and_no_team(data):
    quarter = view(build_grid(data), "quarter", QUARTER)
    assert quarter["teams"] == []
    for _, figures in published_rows(quarter):
        assert "value" not in figures["org"]
        assert set(figures["months"]) == set(data.published_months)


SIZES = (("A", 9), ("B", 7), ("C", 6), ("D", 2))


def _example() -> OrganisationInput:
    """Four teams, k = 5: A with 9 authors, B with 7, C with 6 and D with 2 (under k)."""
    teams = [TeamInfo(team, f"Wijkteam {team}", 3, size) for team, size in SIZES]
    reflections = []
    for team, size in SIZES:
        for person in range(size):
            for month in MONTHS:
                reflections.append(
                    ReflectionFact(
                        team, f"{team}{person}", month, WEEKS[month][0], frozenset({"geld"}), "learning"
                    )
                )
    return OrganisationInput(
        "org", "Gemeente", 5, QUARTER, list(MONTHS), teams, reflections, labels={"geld": "Geldzorgen"}
    )


def test_a_small_team_is_merged_with_the_next_smallest_into_overige_teams():
    # D alone, or D with C, would be singled out by C's teamleider (overige minus C's own weeks).
    quarter = view(build_grid(_example()), "quarter", QUARTER)
    assert [(g["key"], g["label"], g["teams"]) for g in quarter["teams"]] == [
        ("A", "Wijkteam A", 1),
        (OTHERS, "Overige teams", 3),
    ]
    theme = quarter["themes"]["items"][0]
    assert theme["org"]["value"] == {"authors": 24, "reflections": 72}
    assert theme["teams"]["A"]["value"]["authors"] == 9
    assert theme["teams"][OTHERS]["value"]["authors"] == 15
    assert theme["months"]["2026-10"]["value"]["authors"] == 24
    assert "Wijkteam D" not in str(quarter) and "Wijkteam B" not in str(quarter)


def test_with_three_teams_and_one_under_k_no_team_is_shown():
    data = _example()
    data.teams = [t for t in data.teams if t.id != "C"]
    data.reflections = [r for r in data.reflections if r.team != "C"]
    quarter = view(build_grid(data), "quarter", QUARTER)
    assert quarter["teams"] == []
    assert quarter["themes"]["items"][0]["org"]["value"]["authors"] == 18


def test_a_month_under_k_hides_the_quarter_and_with_it_every_team():
    data = _example()
    # One extra author writes about "wonen" in October only: 1 person in October, none otherwise.
    data.reflections = (
        [r for r in data.reflections]
        + [
            ReflectionFact("A", f"A{n}", month, WEEKS[month][0], frozenset({"wonen"}), "panic")
            for n in range(5)
            for month in ("2026-11", "2026-12")
        ]
        + [ReflectionFact("A", "A5", "2026-10", WEEKS["2026-10"][0], frozenset({"wonen"}), "panic")]
    )
    quarter = view(build_grid(data), "quarter", QUARTER)
    wonen = next(t for t in quarter["themes"]["items"] if t["id"] == "wonen")
    assert wonen["months"]["2026-10"].get("suppressed") is True
    assert "value" in wonen["months"]["2026-11"]
    # Quarter − November − December would be October's single author.
    assert wonen["org"].get("suppressed") is True
    assert all(cell.get("suppressed") for cell in wonen["teams"].values())


def test_periods():
    assert parse_period("2026-q4") == ("quarter", "2026-Q4")
    assert parse_period("2026-02") == ("month", "2026-02")
    for bad in ("2026-13", "2026-Q5", "26-10", "", "2026-1", "0000-01", "9999-12", "2026-Q"):
        try:
            parse_period(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
    assert period_bounds("quarter", "2026-Q4")[1].isoformat() == "2027-01-01"


def test_a_team_name_never_becomes_a_spreadsheet_formula():
    from server.organisation.export import export_csv

    data = _example()
    data.name = '=HYPERLINK("http://x")'
    data.teams = [TeamInfo(t.id, "@SUM(1)" if t.id == "A" else t.name, t.k, t.members) for t in data.teams]
    text = export_csv(view(build_grid(data), "quarter", QUARTER) | {"method": []})
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
    assert ";=" not in text and ";@" not in text and not text.split("\r\n")[1].startswith("=")


def test_a_teamleider_cannot_subtract_their_theme_of_the_month_from_the_gemeentes_month():
    """The team's theme-of-the-month figure is the team's whole month for one theme, seen by its
    teamleider even when no weekly digest listed the theme. October across the gemeente minus team
    A's October must not single out the two people of team B."""
    teams = [TeamInfo("A", "Wijkteam A", 3, 9), TeamInfo("B", "Wijkteam B", 3, 9)]
    weeks = ("2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44")
    # Team A: five authors on "geld" in October, one per week (no week of A lists the theme);
    # team B: two authors, in one week. Everyone also writes about "wonen" so the teams are real.
    reflections = [ReflectionFact("A", f"A{n}", "2026-10", weeks[n], frozenset({"geld"})) for n in range(5)]
    reflections += [
        ReflectionFact("B", f"B{n}", "2026-10", "2026-W41", frozenset({"geld"})) for n in range(2)
    ]
    reflections += [
        ReflectionFact(team, f"{team}{n}", month, WEEKS[month][1], frozenset({"wonen"}))
        for team in "AB"
        for n in range(6)
        for month in MONTHS
    ]
    data = OrganisationInput(
        "org",
        "Gemeente",
        5,
        QUARTER,
        list(MONTHS),
        teams,
        reflections,
        labels={"geld": "Geld", "wonen": "Wonen"},
    )
    october = view(build_grid(data), "month", "2026-10")
    assert "geld" in [t["id"] for t in october["themes"]["items"]]  # 7 authors, no theme of the month

    data.chosen = [ChosenTheme("A", "2026-10", "geld")]
    grid = build_grid(data)
    for kind, period in (("month", "2026-10"), ("quarter", QUARTER)):
        shown = view(grid, kind, period)
        geld = next((t for t in shown["themes"]["items"] if t["id"] == "geld"), None)
        assert geld is None or "value" not in geld["org"], (kind, geld)
