"""Property tests: whatever a small team writes, the digest never reveals a suppressed value.

Hypothesis builds random tiny teams (1–7 medewerkers, k 2–4, five weeks of reflections, visits,
resident feedback and shared learning questions) and checks every published artefact against the
ground truth: figures, themes, zones, quotes, examples, resident scores and trends.
"""

import json
import os
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.digest import build
from server.digest.rows import (
    NO_THEME,
    DigestInput,
    FeedbackRow,
    LearningQuestionRow,
    ReflectionRow,
    ThemeLabel,
    VisitRow,
)
from server.weeks import shift_week

WEEK = "2026-W47"
WEEKS = [shift_week(WEEK, -back) for back in range(4, -1, -1)]
THEMES = ("schulden", "wonen", "eenzaamheid")
FEEDBACK_THEMES = ("ervaring-bejegening", "ervaring-snelheid")
ZONES = (None, "comfort", "learning", "panic")
LABELS = {t: ThemeLabel(t, t.capitalize(), "leren") for t in THEMES}
LABELS.update({t: ThemeLabel(t, t, "ervaring") for t in FEEDBACK_THEMES})
EXAMPLES = int(os.environ.get("DIGEST_PRIVACY_EXAMPLES", "500"))


@st.composite
def teams(draw):
    size = draw(st.integers(1, 7))
    people = [f"m{i}" for i in range(size)]
    person, week = st.sampled_from(people), st.sampled_from(WEEKS)
    reflections = []
    for index in range(draw(st.integers(0, 30))):
        reflections.append(
            ReflectionRow(
                author=draw(person),
                week=draw(week),
                themes=frozenset(draw(st.sets(st.sampled_from(THEMES)))),
                zone=draw(st.sampled_from(ZONES)),
                visibility=draw(st.sampled_from(("private", "team"))),
                processed=draw(st.booleans()),
                safety=draw(st.booleans()),
                quote=f"QUOTE-{index}-",
                learning=f"LEARN-{index}-",
                has_learning=draw(st.booleans()),
            )
        )
    visits = [
        VisitRow(author=draw(person), week=draw(week), reflected=draw(st.booleans()))
        for _ in range(draw(st.integers(0, 12)))
    ]
    feedback = [
        FeedbackRow(
            medewerker=draw(person),
            week=draw(week),
            scores={"serieus": draw(st.integers(1, 5)), "samen_oplossingen": draw(st.integers(1, 5))},
            themes=frozenset(draw(st.sets(st.sampled_from(FEEDBACK_THEMES)))),
        )
        for _ in range(draw(st.integers(0, 12)))
    ]
    questions = [
        LearningQuestionRow(
            author=draw(person),
            week=draw(week),
            themes=frozenset(draw(st.sets(st.sampled_from(THEMES), max_size=1))),
            text=f"SHARED-{index}-",
        )
        for index in range(draw(st.integers(0, 4)))
    ]
    return DigestInput(
        team_id="t",
        team_name="Team",
        iso_week=WEEK,
        k=draw(st.integers(2, 4)),
        members=frozenset(draw(st.sets(st.sampled_from(people), min_size=1))) | {people[0]},
        week_end=date(2026, 11, 22),
        reflections=reflections,
        visits=visits,
        feedback=feedback,
        learning_questions=questions,
        labels=LABELS,
        score_items=["serieus", "samen_oplossingen"],
    )


def at_week(data: DigestInput, week: str) -> dict:
    return build(DigestInput(**{**data.__dict__, "iso_week": week}))


def people(rows, week, predicate=lambda row: True, who=lambda row: row.author) -> set:
    return {who(row) for row in rows if row.week == week and predicate(row)}


def check_digest(data: DigestInput, digest: dict, week: str) -> None:
    k = digest["k"]
    assert k >= 2
    mine = [row for row in data.reflections if row.week == week]
    authors = people(mine, week)
    numbers = digest["numbers"]

    # Figures about people: k contributors, and the groups beside them either empty or k as well.
    if "value" in numbers["reflections"]:
        assert len(authors) >= k and numbers["reflections"]["value"] == len(mine)
    if "value" in numbers["active_medewerkers"]:
        silent = data.members - authors
        assert len(authors) >= k and (not silent or len(silent) >= k)
    if "value" in numbers["visit_share"]:
        with_reflection = people(data.visits, week, lambda v: v.reflected)
        without = people(data.visits, week, lambda v: not v.reflected)
        assert len(with_reflection | without) >= k
        assert len(with_reflection) in (0,) or len(with_reflection) >= k
        assert len(without) in (0,) or len(without) >= k
    feedback = [f for f in data.feedback if f.week == week]
    for cell in [numbers["feedback_responses"], *numbers["feedback_scores"].values()]:
        if "value" in cell:
            assert len(feedback) >= k and len({f.medewerker for f in feedback}) >= k

    # Themes: k distinct authors each; quotes only from shared, processed, safe reflections.
    for item in digest["themes"]["items"]:
        writers = people(mine, week, lambda r, t=item["id"]: t in r.themes)
        assert item["authors"] == len(writers) >= k
        assert len(item["quotes"]) <= 2
        for quote in item["quotes"]:
            source = [r for r in mine if r.quote == quote]
            assert source and all(r.quotable and item["id"] in r.themes for r in source)

    # Complementary suppression: total − visible zones only reveals a group of k or more people.
    zones = digest["learning_zones"]["zones"]
    zone_people = {zone: people(mine, week, lambda r, z=zone: (r.zone or "none") == z) for zone in zones}
    for zone, cell in zones.items():
        if "value" in cell:
            assert len(zone_people[zone]) >= k
    hidden = [zone for zone, cell in zones.items() if cell.get("suppressed")]
    if hidden and "value" in numbers["reflections"]:
        assert len(set().union(*(zone_people[z] for z in hidden))) >= k

    # Learning questions and resident themes.
    shared = [q for q in data.learning_questions if q.week == week]
    for item in digest["learning_questions"]["items"]:
        theme = item["theme_id"]
        askers = people(mine, week, lambda r, t=theme: r.has_learning and t in (r.themes or {NO_THEME}))
        askers |= people(shared, week, lambda q, t=theme: t in (q.themes or {NO_THEME}))
        assert item["authors"] == len(askers) >= k
        allowed = {r.learning for r in mine if r.quotable} | {q.text for q in shared}
        assert set(item["examples"]) <= allowed
    for item in digest["residents"]["themes"]:
        about = [f for f in feedback if item["id"] in f.themes]
        assert len(about) >= k and len({f.medewerker for f in about}) >= k

    # Text never published: private, unprocessed or safety-signal reflections, in any section.
    dumped = json.dumps(digest)
    for row in data.reflections:
        if not row.quotable:
            assert row.quote not in dumped and row.learning not in dumped


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams())
def test_no_suppressed_value_leaks(data):
    digest = build(data)
    check_digest(data, digest, WEEK)

    # Trends only repeat what the earlier digests published, never the hidden numbers beneath.
    earlier = [at_week(data, week) for week in WEEKS[:-1]]
    for week, old in zip(WEEKS[:-1], earlier, strict=True):
        check_digest(data, old, week)
    for name in ("reflections", "visit_share", "active_medewerkers", "feedback_responses"):
        cell = digest["numbers"][name]
        if "trend" in cell:
            published = [
                {"value": old["numbers"][name]["value"]}
                if "value" in old["numbers"][name]
                else old["numbers"][name]
                for old in earlier
            ]
            assert cell["trend"]["previous"] == published
    for item in digest["themes"]["items"]:
        history = [
            next((t["authors"] for t in old["themes"]["items"] if t["id"] == item["id"]), 0)
            for old in earlier
        ]
        assert item["previous_mean"] == round(sum(history) / 4, 2)
        if not any(history):
            assert item["trend"] == "new"


def shy_team(shy: ReflectionRow, shy_feedback: int = 0) -> DigestInput:
    rows = []
    for author in ("anna", "bram"):
        for week in WEEKS:
            rows += [
                ReflectionRow(
                    author=author,
                    week=week,
                    themes=frozenset({"schulden"}),
                    zone="learning",
                    visibility="team",
                    processed=True,
                    quote=f"{author}-{week}",
                    learning=f"{author}-leren",
                    has_learning=True,
                )
            ] * 2
    return DigestInput(
        team_id="t",
        team_name="Team",
        iso_week=WEEK,
        k=3,
        members=frozenset({"anna", "bram", "shy"}),
        week_end=date(2026, 11, 22),
        reflections=[*rows, shy],
        labels=LABELS,
        score_items=["serieus"],
    )


def test_a_team_of_three_with_one_shy_writer_exposes_nothing_about_that_writer():
    """The shy writer keeps everything private: what they wrote about, how it felt, what they want to
    learn. Two colleagues share freely. The digest must read the same whatever the shy writer chose."""
    variants = [
        ReflectionRow(
            author="shy",
            week=WEEK,
            themes=frozenset({"eenzaamheid"}),
            zone="panic",
            visibility="private",
            processed=True,
            quote="SHY-ANGST",
            learning="SHY-WIL-LEREN",
            has_learning=True,
        ),
        ReflectionRow(
            author="shy",
            week=WEEK,
            themes=frozenset({"wonen"}),
            zone=None,
            visibility="private",
            processed=True,
            quote="SHY-ANDERS",
        ),
        ReflectionRow(
            author="shy",
            week=WEEK,
            themes=frozenset({"eenzaamheid", "wonen"}),
            zone="comfort",
            visibility="private",
            processed=False,
            safety=True,
            quote="SHY-DERDE",
            has_learning=True,
        ),
    ]
    digests = [build(shy_team(variant)) for variant in variants]
    assert digests[0] == digests[1] == digests[2]
    digest, dumped = digests[0], json.dumps(digests[0])
    for secret in ("SHY-", "eenzaamheid", "wonen"):
        assert secret not in dumped
    # Their colleagues' theme is 2 authors < k: hidden too, visibly.
    assert digest["themes"]["items"] == [] and digest["themes"]["others"]["suppressed"] is True
    assert all(cell.get("suppressed") for cell in digest["learning_zones"]["zones"].values())
    assert digest["learning_questions"]["items"] == []
    assert digest["suggestion"] is None
    check_digest(shy_team(variants[0]), digest, WEEK)
