"""The board's pure parts: successes, effect cards, knowledge gaps and the one proposal (no database)."""

from datetime import UTC, datetime, timedelta

from server.digest import board
from server.digest.rows import FeedbackRow
from server.marker import SOURCE

WEEK = "2026-W47"


def _outcomes(n_authors, outcome="ja", week=WEEK, quote=""):
    return [
        board.OutcomeRow(author=f"a{i}", week=week, outcome=outcome, quote=quote and f"{quote} {i}")
        for i in range(n_authors)
    ]


def test_intentions_that_worked_are_counted_only_over_k_authors_and_quoted_from_two_people():
    hidden = board.successes(WEEK, 3, _outcomes(2, quote="Gelukt"), [], [], "seed")
    assert hidden["intentions_worked"]["suppressed"] is True and hidden["quotes"] == []
    # One prolific author writing five times is still one person.
    rows = [board.OutcomeRow(author="a0", week=WEEK, outcome="ja", quote=f"q{i}") for i in range(5)]
    assert board.successes(WEEK, 3, rows, [], [], "seed")["intentions_worked"]["suppressed"] is True
    shown = board.successes(WEEK, 3, _outcomes(4, quote="Gelukt") + _outcomes(3, "nee"), [], [], "seed")
    assert shown["intentions_worked"] == {"value": 4}
    assert len(shown["quotes"]) == 2 and len(set(shown["quotes"])) == 2
    # Other weeks do not count.
    assert board.successes(WEEK, 3, _outcomes(4, week="2026-W46"), [], [], "s")["intentions_worked"][
        "suppressed"
    ]


def _answer(medewerker, score, week=WEEK, themes=()):
    return FeedbackRow(
        medewerker=medewerker, week=week, scores={"serieus": score, "samen": score}, themes=frozenset(themes)
    )


def test_compliments_hide_when_the_others_are_one_residents_answer():
    praise = [_answer(f"m{i}", 5) for i in range(3)]
    assert board.successes(WEEK, 3, [], praise, [], "s")["compliments"] == {"value": 3}
    # 3 compliments and 1 other answer: publishing 3 of 4 would tell that one visit went badly.
    one_other = praise + [_answer("m9", 2)]
    assert board.successes(WEEK, 3, [], one_other, [], "s")["compliments"]["suppressed"] is True
    # Three compliments about one colleague's visits are that colleague's score.
    same = [_answer("m0", 5) for _ in range(3)]
    assert board.successes(WEEK, 3, [], same, [], "s")["compliments"]["suppressed"] is True


def _action(due="2026-W43", created="2026-W42"):
    return board.EffectAction(
        id="x",
        title="Schuldhulp eerder inschakelen",
        theme_id="geld",
        theme_label="Geld",
        owner_id="o",
        owner_name="Olga",
        created_week=created,
        due_week=due,
    )


def _reflections(weeks, on_theme_authors, other_authors, panic=0):
    rows = []
    for week in weeks:
        for i in range(on_theme_authors):
            rows.append(
                board.ThemedReflection(
                    author=f"t{i}",
                    week=week,
                    themes=frozenset({"geld"}),
                    zone="panic" if i < panic else "learning",
                )
            )
        for i in range(other_authors):
            rows.append(board.ThemedReflection(author=f"o{i}", week=week, themes=frozenset({"wonen"})))
    return rows


def test_effect_card_appears_four_to_six_weeks_after_the_due_week_with_counts():
    before = ["2026-W39", "2026-W40", "2026-W41", "2026-W42"]
    after = ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    rows = _reflections(before, 6, 6, panic=3) + _reflections(after, 3, 5, panic=0)
    answers = [_answer(f"m{i}", 3, "2026-W40", {"geld"}) for i in range(3)] + [
        _answer(f"m{i}", 5, "2026-W45", {"geld"}) for i in range(3)
    ]
    for week, shown in (("2026-W46", False), ("2026-W47", True), ("2026-W49", True), ("2026-W50", False)):
        cards = board.effect_cards(
            week, 3, [_action()], rows, answers, published={}, uncounted=frozenset(), texts=SOURCE
        )
        assert bool(cards) is shown, week
    card = board.effect_cards(
        "2026-W47", 3, [_action()], rows, answers, published={}, uncounted=frozenset(), texts=SOURCE
    )[0]
    assert card["before"]["weeks"] == ["2026-W39", "2026-W42"] and card["after"]["weeks"] == [
        "2026-W44",
        "2026-W47",
    ]
    assert card["before"]["theme_share"] == {"value": 0.5, "count": 24, "of": 48}
    assert card["after"]["theme_share"] == {"value": 0.38, "count": 12, "of": 32}
    assert card["before"]["panic_share"] == {"value": 0.5, "count": 12, "of": 24}
    assert card["after"]["panic_share"] == {"value": 0.0, "count": 0, "of": 12}
    assert card["before"]["resident_score"] == {"value": 3.0, "count": 3}
    assert card["after"]["resident_score"] == {"value": 5.0, "count": 3}
    assert card["caution"] and card["action"]["owner"]["display_name"] == "Olga"


def test_effect_card_figures_under_k_are_suppressed_not_zero():
    before = ["2026-W39", "2026-W40", "2026-W41", "2026-W42"]
    after = ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    # Two panicking authors (under k=3) and two on the theme after: hidden, never a number.
    rows = _reflections(before, 5, 4, panic=2) + _reflections(after, 2, 5)
    answers = [_answer("m0", 5, "2026-W45", {"geld"}) for _ in range(4)]
    card = board.effect_cards(
        "2026-W47", 3, [_action()], rows, answers, published={}, uncounted=frozenset(), texts=SOURCE
    )[0]
    assert card["before"]["theme_share"]["value"] == 0.56
    assert card["before"]["panic_share"]["suppressed"] is True
    assert card["after"]["theme_share"]["suppressed"] is True
    assert card["after"]["panic_share"]["suppressed"] is True
    assert card["after"]["resident_score"]["suppressed"] is True  # one colleague's visits
    # One author outside the theme: the theme's share would tell what that one person wrote about.
    lonely = _reflections(before, 4, 1)
    assert board.effect_cards(
        "2026-W47", 3, [_action()], lonely, [], published={}, uncounted=frozenset(), texts=SOURCE
    )[0]["before"]["theme_share"]["suppressed"]


def test_effect_card_theme_figures_need_what_the_weekly_digests_did_not_show_to_hide_nobody():
    """A period's theme count minus the weekly digests that listed the theme must not single out
    one colleague, nor one who wrote into a listed week after its digest; leads do not make up k."""
    before = ["2026-W39", "2026-W40", "2026-W41", "2026-W42"]
    cutoff = datetime(2026, 10, 20, 6, tzinfo=UTC)  # after every week of the period
    rows = [
        board.ThemedReflection(author, week, frozenset({"geld"}), known_at=cutoff - timedelta(days=1))
        for author in "abc"
        for week in before
    ] + [board.ThemedReflection(f"o{i}", "2026-W40", frozenset({"wonen"})) for i in range(3)]
    published = {"geld": dict.fromkeys(before, cutoff)}

    def share(reflections, uncounted=frozenset()):
        card = board.effect_cards(
            "2026-W47",
            3,
            [_action()],
            reflections,
            [],
            published=published,
            uncounted=uncounted,
            texts=SOURCE,
        )[0]
        return card["before"]["theme_share"]

    assert share(rows)["count"] == 12
    late = board.ThemedReflection("d", "2026-W40", frozenset({"geld"}), known_at=cutoff + timedelta(days=1))
    assert share([*rows, late])["suppressed"] is True  # 13 − 12 published = d's late row
    assert share(rows, uncounted=frozenset({"c"}))["suppressed"] is True  # a lead among three


def _month(theme_id, authors, previous=0, keepers=(), helpers=0):
    return board.ThemeMonth(
        theme_id=theme_id,
        label=theme_id.capitalize(),
        authors=authors,
        previous_authors=previous,
        keepers=list(keepers),
        helpers=helpers,
    )


def test_knowledge_gaps_are_frequent_or_rising_unkept_and_at_most_three():
    themes = [
        _month("a", 9, 8, keepers=["Kees"]),
        _month("b", 8, 8),
        _month("c", 7, 2),
        _month("d", 6, 6, helpers=1),
        _month("e", 5, 5),
        _month("f", 4, 1),
        _month("g", 3, 3),
        _month("h", 2, 0),
        _month("i", 9, 4),
    ]
    gaps = board.knowledge_gaps(themes, 3, texts=SOURCE)
    assert [g["theme_id"] for g in gaps] == ["i", "b", "c"]
    assert "aandachtsfunctionaris" in gaps[0]["why"] and "vorige maand 4" in gaps[0]["why"]
    # Last month's 2 authors (under k) are not shown, nor used: "new", not "rising from 2".
    assert "nieuw deze maand" in gaps[2]["why"] and "2" not in gaps[2]["why"].split("(")[1]
    # Under k authors a theme is never a gap, however rising.
    assert all(g["theme_id"] != "h" for g in board.knowledge_gaps(themes, 3, texts=SOURCE))
    assert board.knowledge_gaps([_month("x", 2, 0)], 3, texts=SOURCE) == []


def test_one_proposal_prefers_a_moving_theme_that_is_also_a_gap():
    week = [
        {"id": "a", "label": "A", "group": "leren", "trend": "rising", "authors": 5, "previous_mean": 2},
        {"id": "b", "label": "B", "group": "leren", "trend": "new", "authors": 3, "previous_mean": 0},
        {"id": "c", "label": "C", "group": "leren", "trend": "steady", "authors": 7, "previous_mean": 7},
    ]
    gap_b = [{"theme_id": "b", "label": "B", "why": "…"}]
    assert board.propose(week, [], texts=SOURCE)["theme_id"] == "a"
    picked = board.propose(week, gap_b, texts=SOURCE)
    assert picked["theme_id"] == "b" and picked["gap"] and "Niemand" in picked["reason"]
    assert board.propose([], gap_b, texts=SOURCE)["theme_id"] == "b"
    assert board.propose([], [], texts=SOURCE) is None


def test_a_month_is_published_only_where_the_weeks_that_did_not_list_it_hide_nobody():
    this = {"2026-W44", "2026-W45", "2026-W46", "2026-W47"}
    before = {"2026-W40", "2026-W41", "2026-W42", "2026-W43"}
    cutoff = datetime(2026, 11, 9, 6, tzinfo=UTC)  # W45's digest, the Monday after it
    published = {"wonen": {"2026-W45": cutoff}}
    early = cutoff - timedelta(days=2)

    def rows(authors, week, known_at=early):
        return [board.ThemedReflection(a, week, frozenset({"wonen"}), known_at=known_at) for a in authors]

    def month(reflections, uncounted=frozenset()):
        return board.group_by_theme(reflections, this, before, published, uncounted, 3)

    listed = rows("abc", "2026-W45")
    assert month(listed) == {"wonen": (3, 0)}
    # d alone in a week whose digest did not list the theme: 4 minus the published 3 would be d.
    lonely = listed + rows("d", "2026-W46")
    assert month(lonely) == {"wonen": (0, 0)}
    # Nor written into the published week after its digest: no published figure counted d.
    late = listed + rows("d", "2026-W45", known_at=cutoff + timedelta(days=3))
    assert month(late) == {"wonen": (0, 0)}
    crowd = lonely + rows("ef", "2026-W47")
    assert month(crowd) == {"wonen": (6, 0)}
    # A lead counts in the figure but cannot make up k, in the unlisted weeks either.
    assert month(crowd, frozenset({"f"})) == {"wonen": (0, 0)}
    # The month before is a month like any other; weeks outside both months do not count.
    old = rows("xyz", "2026-W41") + rows("q", "2026-W30")
    assert month(old) == {"wonen": (0, 3)}
