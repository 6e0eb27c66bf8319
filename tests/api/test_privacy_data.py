"""Issue #15 (data items): attacks on what team-visible outputs reveal, each pinned by a test.

1. raw words through themes[].matched; 3. a beheerder identifying authors or reading content;
4. k-anonymity attacks by a teamleider; 8. an action tying a shared reflection to its author.
"""

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from server.digest.rows import NO_THEME
from server.privacy.placeholders import without_placeholders
from tests.domain.test_digest_privacy import teams
from tests.support.factories import reflection

RAW = (
    "Mevrouw Annie de Vries (82 jaar) uit de Kalverstraat 12 heeft een huurachterstand; de deurwaarder "
    "stond op de stoep."
)
RAW_WORDS = ["vries", "kalverstraat", "annie"]


def _team_visible_matches_occur_in_shown_text(items: list[dict]) -> None:
    for item in items:
        # A word inside a placeholder ("[naam 1]", "[adres]") is not a word of the text.
        shown = " ".join(
            without_placeholders(
                " ".join(item[f] for f in ("what_happened", "noticed", "why", "next_time"))
            ).split()
        ).lower()
        for theme in item["themes"]:
            for word in theme["matched"]:
                assert " ".join(word.split()).lower() in shown, (word, shown)


# -- 1. matched words come from the de-identified text ------------------------------------------------


def test_team_view_matched_words_never_carry_raw_words(team_setup, run_jobs):
    """Attack: a team theme with keywords 'straat' and 'vries' made the team view show
    ["vries", "kalverstraat"] next to "[naam 1] ... [adres]"."""
    lead, alice, bob = (team_setup["client"][n] for n in ("lead", "alice", "bob"))
    created = lead.post(
        f"/api/v1/teams/{team_setup['team']}/themes",
        json={"label": "Buurt", "keywords": ["straat", "vries", "annie"]},
    )
    assert created.status_code == 201, created.get_json()
    alice.post("/api/v1/reflections", json=reflection(what_happened=RAW, visibility="team"))
    run_jobs()
    for reader in (bob, lead):
        page = reader.get("/api/v1/team/reflections").get_json()
        assert page["total"] == 1
        _team_visible_matches_occur_in_shown_text(page["items"])
        matched = json.dumps([t["matched"] for t in page["items"][0]["themes"]]).lower()
        for word in RAW_WORDS:
            assert word not in matched, word


def test_a_name_keyword_cannot_count_private_reflections(team_setup, run_jobs, app):
    """Attack (issue 4c, the root): a team theme whose keyword is a resident's name counted private
    reflections that mention the name, because the worker classified the raw text."""
    from server.extensions import db
    from server.models import ReflectionTheme

    lead, alice = team_setup["client"]["lead"], team_setup["client"]["alice"]
    theme = lead.post(
        f"/api/v1/teams/{team_setup['team']}/themes",
        json={"label": "Bewoner", "keywords": ["annie", "vries"]},
    ).get_json()
    alice.post("/api/v1/reflections", json=reflection(what_happened=RAW, visibility="private"))
    run_jobs()
    with app.app_context():
        hits = db.session.scalars(
            select(ReflectionTheme).where(ReflectionTheme.theme_id == theme["id"])
        ).all()
        assert hits == []


def test_legacy_raw_matches_are_filtered_from_the_team_view(team_setup, run_jobs, app):
    """Rows matched on raw text before the fix: the team view drops words its reader cannot see."""
    from server.extensions import db
    from server.models import Reflection, ReflectionTheme

    alice, bob = team_setup["client"]["alice"], team_setup["client"]["bob"]
    created = alice.post(
        "/api/v1/reflections", json=reflection(what_happened=RAW, visibility="team")
    ).get_json()
    run_jobs()
    with app.app_context():
        row = db.session.get(Reflection, uuid.UUID(created["id"]))
        db.session.execute(delete(ReflectionTheme).where(ReflectionTheme.reflection_id == row.id))
        db.session.add(
            ReflectionTheme(
                reflection_id=row.id,
                theme_id="wonen",
                source="classifier",
                score=0.9,
                matched=["kalverstraat", "82 jaar", "huurachterstand", "Vries"],
            )
        )
        db.session.commit()
    item = bob.get("/api/v1/team/reflections").get_json()["items"][0]
    _team_visible_matches_occur_in_shown_text([item])
    # Ages under 90 stay in the de-identified text (docs/privacy.md), so "82 jaar" may show; the
    # street and the surname may not.
    assert item["themes"][0]["matched"] == ["82 jaar", "huurachterstand"]
    # The author's own view is the author's own text: nothing is hidden from them.
    mine = alice.get(f"/api/v1/reflections/{created['id']}").get_json()
    assert "kalverstraat" in mine["themes"][0]["matched"]


# -- 8. an action does not tie a shared reflection to its author ------------------------------------


def test_an_action_from_a_shared_reflection_does_not_reveal_its_author(team_setup, run_jobs):
    """Attack: the teamleider matched the action's reflection_id (with created_by) to the team view."""
    lead, alice = team_setup["client"]["lead"], team_setup["client"]["alice"]
    shared = alice.post("/api/v1/reflections", json=reflection(visibility="team")).get_json()
    run_jobs()
    action = alice.post(
        "/api/v1/actions",
        json={"client_id": str(uuid.uuid4()), "title": "Budgetcoach bellen", "reflection_id": shared["id"]},
    )
    assert action.status_code == 201, action.get_json()
    action = action.get_json()
    assert action["reflection_id"] == shared["id"]  # the author keeps the link
    team_ids = {item["id"] for item in lead.get("/api/v1/team/reflections").get_json()["items"]}
    assert shared["id"] in team_ids
    seen = [
        lead.get(f"/api/v1/actions/{action['id']}").get_json(),
        *lead.get("/api/v1/actions").get_json()["items"],
    ]
    for body in seen:
        assert body["reflection_id"] is None
        assert not team_ids & set(json.dumps(body).split('"'))


# -- 3. a beheerder cannot identify authors, nor read a team's content without a content role ----------


def _add_membership(app, user_id, team_id, role):
    from server.extensions import db
    from server.models import Membership

    with app.app_context():
        db.session.add(Membership(user_id=user_id, team_id=team_id, role=role))
        db.session.commit()


def test_the_audit_log_does_not_name_the_author_of_a_shared_reflection(
    app, team_setup, make_user, login, run_jobs
):
    """Attack: GET /reflections/{id} (404) wrote a denial row whose subject was the author, and
    GET /audit?object_id= handed it out; the author's own refused edit tied her to the id as actor."""
    from datetime import timedelta

    from server.extensions import db
    from server.models import Reflection

    alice = team_setup["client"]["alice"]
    beheerder_id = make_user(team_setup["other_team"], "beheerder")
    _add_membership(app, beheerder_id, team_setup["team"], "teamleider")  # sees the team view's ids
    beheerder = login(beheerder_id)
    shared = alice.post("/api/v1/reflections", json=reflection(visibility="team")).get_json()["id"]
    run_jobs()
    team_view = beheerder.get(f"/api/v1/team/reflections?team_id={team_setup['team']}").get_json()
    assert shared in {item["id"] for item in team_view["items"]}
    assert beheerder.get(f"/api/v1/reflections/{shared}").status_code == 404
    with app.app_context():  # the author's edit after the 24-hour window is refused (403, her own row)
        row = db.session.get(Reflection, uuid.UUID(shared))
        row.received_at -= timedelta(days=2)
        db.session.commit()
    assert alice.patch(f"/api/v1/reflections/{shared}", json={"energy": 2}).status_code == 403
    assert beheerder.get(f"/api/v1/audit?object_id={shared}").get_json()["total"] == 0
    assert beheerder.get(f"/api/v1/audit?subject_user_id={team_setup['alice']}").get_json()["total"] == 0
    log = beheerder.get("/api/v1/audit?page_size=100").get_json()["items"]
    denied = [r for r in log if r["action"] == "access.denied" and r["object_type"] == "reflection"]
    assert len(denied) == 2  # accountability: both refusals are there, with who and when
    assert {r["actor_id"] for r in denied} == {str(beheerder_id), str(team_setup["alice"])}
    assert denied[0]["object_id"] == denied[1]["object_id"] != shared  # one object, pseudonymised
    for r in log:
        assert shared not in json.dumps(r)
        assert str(team_setup["alice"]) != r["subject_user_id"]


def test_older_denial_rows_are_masked_in_the_audit_viewer(app, team_setup, make_user, login):
    """Rows written before the fix (owner and real id) cannot be changed (hash chain): the viewer masks them."""
    from server.audit import audit
    from server.extensions import db

    reflection_id = str(uuid.uuid4())
    with app.app_context():
        audit(
            "access.denied",
            "reflection",
            reflection_id,
            subject_user_id=team_setup["alice"],
            actor_id=team_setup["alice"],
            team_id=team_setup["team"],
            result="denied",
            reason="403 refused",
        )
        db.session.commit()
    beheerder = login(make_user(team_setup["other_team"], "beheerder"))
    assert beheerder.get(f"/api/v1/audit?object_id={reflection_id}").get_json()["total"] == 0
    assert beheerder.get(f"/api/v1/audit?subject_user_id={team_setup['alice']}").get_json()["total"] == 0
    rows = beheerder.get("/api/v1/audit").get_json()["items"]
    old = next(r for r in rows if r["action"] == "access.denied")
    assert old["subject_user_id"] is None and old["object_id"].startswith("p:")
    assert reflection_id not in json.dumps(rows)


def test_a_beheerder_reads_a_teams_content_only_as_a_member_with_a_content_role(
    app, team_setup, make_user, login, run_jobs
):
    """Attack: a beheerder of team A read team B's shared reflections, questions and full digest."""
    from server.extensions import db
    from server.models import Action, Digest

    team, alice = team_setup["team"], team_setup["client"]["alice"]
    alice.post("/api/v1/reflections", json=reflection(visibility="team"))
    question = alice.post(
        "/api/v1/learning-questions", json={"text": "Hoe vraag ik naar schulden?"}
    ).get_json()
    alice.patch(f"/api/v1/learning-questions/{question['id']}", json={"shared": True})
    alice.post("/api/v1/actions", json={"client_id": str(uuid.uuid4()), "title": "Budgetcoach bellen"})
    run_jobs()
    with app.app_context():
        db.session.add(Digest(team_id=team, iso_week="2026-W01", content={"themes": {"items": []}}))
        db.session.commit()
        assert db.session.query(Action).count() == 1
    content = (
        f"/api/v1/team/reflections?team_id={team}",
        f"/api/v1/team/learning-questions?team_id={team}",
        f"/api/v1/teams/{team}/digests/2026-W01",
        f"/api/v1/teams/{team}/digests",
        f"/api/v1/teams/{team}/knowledge-map",
        f"/api/v1/teams/{team}/theme-of-the-month",
    )
    outsider = login(make_user(team_setup["other_team"], "beheerder"))
    member_admin_id = make_user(team, "beheerder")
    member_admin = login(member_admin_id)
    for beheerder in (outsider, member_admin):
        for url in content:
            assert beheerder.get(url).status_code == 403, url
        assert beheerder.get("/api/v1/actions").get_json()["total"] == 0
        assert beheerder.get(f"/api/v1/teams/{team}").status_code == 200  # administration stays
        assert beheerder.get(f"/api/v1/teams/{team}/members").status_code == 200
    # As a member with a content role (here: medewerker of the team) the beheerder reads what that role reads.
    medewerker_admin_id = make_user(team_setup["other_team"], "beheerder")
    _add_membership(app, medewerker_admin_id, team, "medewerker")
    medewerker_admin = login(medewerker_admin_id)
    assert medewerker_admin.get(f"/api/v1/team/reflections?team_id={team}").get_json()["total"] == 1
    assert medewerker_admin.get(f"/api/v1/teams/{team}/digests/2026-W01").get_json()["scope"] == "themes"
    assert medewerker_admin.get("/api/v1/actions").get_json()["total"] == 0


# -- 4. k-anonymity attacks by a teamleider ------------------------------------------------------------

W = "2026-W47"
SCHULDEN = "geldzorgen-schulden"


def _digest(app, team, week=W) -> dict:
    from workers.digest import build_digest

    with app.app_context():
        return build_digest(team, week)


def _k_team(app, make_team, make_user, login, names="abcd", k=3):
    from datetime import UTC, datetime

    from server.extensions import db
    from server.models import Team

    team = make_team("Wijkteam K", k_threshold=k)
    people = {name: make_user(team, "medewerker", name=name.upper()) for name in names}
    people["lead"] = make_user(team, "teamleider", name="Lea")
    with app.app_context():
        db.session.get(Team, team).created_at = datetime(2026, 1, 1, tzinfo=UTC)
        db.session.commit()
    return team, people, login(people["lead"])


def _write(app, team, authors, week=W, themes=(SCHULDEN,), text="x"):
    from server.extensions import db
    from tests.workers.test_digest import add_reflection

    with app.app_context():
        for author in authors:
            add_reflection(team, author, week, list(themes), "learning", "private", text)
        db.session.commit()


def test_attack_a_role_change_and_rebuild_cannot_reveal_who_wrote(app, make_team, make_user, login):
    """(a) a, b, c wrote, d did not: 'active medewerkers' is hidden (one inactive colleague stands out).
    Making d a teamleider and rebuilding used to publish 3, telling that d was the one who did not write."""
    team, people, lead = _k_team(app, make_team, make_user, login)
    _write(app, team, [people[n] for n in "abc"])
    first = _digest(app, team)
    assert first["numbers"]["active_medewerkers"].get("suppressed") is True
    moved = lead.patch(f"/api/v1/teams/{team}/members/{people['d']}", json={"role": "teamleider"})
    assert moved.status_code == 200, moved.get_json()
    assert _digest(app, team) == first  # the published week is frozen
    # Nor through a later week's trend: it shows the earlier week as published, not recomputed.
    _write(app, team, [people[n] for n in "abc"], week="2026-W48")
    later = _digest(app, team, "2026-W48")
    assert later["numbers"]["active_medewerkers"]["value"] == 3
    assert later["numbers"]["active_medewerkers"]["trend"]["previous"][-1].get("suppressed") is True


def test_attack_b_lowering_k_reveals_no_past_week(app, make_team, make_user, login):
    """(b) lowering k to 2 and rebuilding published a theme two authors wrote about privately."""
    from server.extensions import db
    from server.models import Team

    team, people, lead = _k_team(app, make_team, make_user, login, k=4)
    _write(app, team, [people[n] for n in "ab"])
    _write(app, team, [people[n] for n in "abc"], week="2026-W46")
    first = _digest(app, team)
    assert first["themes"]["items"] == []
    refused = lead.patch(f"/api/v1/teams/{team}", json={"k_threshold": 2})
    assert refused.status_code == 422 and "k_threshold" in refused.get_json()["errors"]
    assert lead.patch(f"/api/v1/teams/{team}", json={"k_threshold": 3}).status_code == 200
    assert _digest(app, team) == first  # published: frozen
    # W46 was never built: it keeps the k of its time (4), so three authors stay hidden.
    assert _digest(app, team, "2026-W46")["themes"]["items"] == []
    with app.app_context():  # a k below the floor that got into the database still counts as 3
        stored = db.session.get(Team, team)
        stored.k_threshold, stored.k_before, stored.k_since_week = 2, None, None
        db.session.commit()
    assert _digest(app, team, "2026-W45")["k"] == 3


def test_k_changes_count_from_next_week(app, make_team, make_user, login):
    from server.extensions import db
    from server.models import Team
    from server.weeks import iso_week_of, shift_week

    team, _, lead = _k_team(app, make_team, make_user, login, k=5)
    assert lead.patch(f"/api/v1/teams/{team}", json={"k_threshold": 3}).json["k_threshold"] == 3
    with app.app_context():
        stored = db.session.get(Team, team)
        from zoneinfo import ZoneInfo

        from server.models import utcnow

        this_week = iso_week_of(utcnow(), ZoneInfo(stored.timezone))
        assert (stored.k_before, stored.k_since_week) == (5, shift_week(this_week, 1))
    assert lead.patch(f"/api/v1/teams/{team}", json={"k_threshold": 6}).status_code == 200
    with app.app_context():
        assert db.session.get(Team, team).k_before == 5  # the highest k that applied before


def test_attack_c_suppression_flags_are_no_oracle(app):
    """(c) a team theme with a person's name as keyword flipped themes.others from none to suppressed
    when a private reflection mentioned the name. Every 'others' flag is now the same whatever is hidden."""
    from datetime import date

    from server.digest import build
    from server.digest.rows import DigestInput, FeedbackRow, ReflectionRow, SignalRow

    def data(hidden: bool) -> DigestInput:
        rows = [
            ReflectionRow(author=a, week=W, themes=frozenset({SCHULDEN}), has_learning=True) for a in "abc"
        ]
        feedback = [
            FeedbackRow(medewerker=a, week=W, themes=frozenset({"ervaring-bejegening"})) for a in "abc"
        ]
        signals = [SignalRow("wooncrisis", 3, 0.0)]
        if hidden:
            rows.append(ReflectionRow(author="d", week=W, themes=frozenset({"team-naam"}), has_learning=True))
            feedback.append(FeedbackRow(medewerker="d", week=W, themes=frozenset({"ervaring-snelheid"})))
            signals.append(SignalRow("annie", 1, 0.0))
        return DigestInput(
            team_id="t",
            team_name="T",
            iso_week=W,
            k=3,
            members=frozenset("abcd"),
            week_end=date(2026, 11, 22),
            reflections=rows,
            feedback=feedback,
            signals=signals,
        )

    plain, probed = build(data(False)), build(data(True))
    for section in ("themes", "signals", "learning_questions", "residents"):
        assert plain[section]["others"] == probed[section]["others"], section
    assert plain["themes"]["items"] == probed["themes"]["items"]


def test_attack_d_month_minus_weeks_cannot_isolate_one_author(app, make_team, make_user, login, clock):
    """(d) theme of the month (November) minus the published weekly counts isolated d's suppressed week."""
    from datetime import UTC, datetime

    from server.extensions import db
    from server.models import ThemeOfTheMonth

    team, people, lead = _k_team(app, make_team, make_user, login, names="abcdefg")
    clock(datetime(2026, 11, 25, 12, tzinfo=UTC))  # W48: W47 is the board's week
    _write(app, team, [people[n] for n in "abc"], week="2026-W46")
    _write(app, team, [people["d"]], week=W)
    with app.app_context():
        db.session.add(ThemeOfTheMonth(team_id=team, month="2026-11", theme_id=SCHULDEN))
        db.session.commit()
    assert [t["id"] for t in _digest(app, team, "2026-W46")["themes"]["items"]] == [SCHULDEN]
    assert _digest(app, team, W)["themes"]["items"] == []
    url = f"/api/v1/teams/{team}/theme-of-the-month?month=2026-11"
    assert lead.get(url).json["contributions"].get("suppressed") is True
    # Once the part the weeks do not show comes from k people, the month figure is safe to show.
    _write(app, team, [people[n] for n in "efg"], week="2026-W48")
    clock(datetime(2026, 12, 2, 9, tzinfo=UTC))  # W48 has ended: its rows count up to its end
    shown = lead.get(url).json["contributions"]
    assert (shown["reflections"], shown["authors"]) == (7, 7)


def test_attack_e_knowledge_map_minus_weeks_cannot_isolate_one_author(
    app, make_team, make_user, login, clock
):
    """(e) the knowledge map (distinct authors over 8 weeks) minus the published weekly counts told
    that one more colleague wrote about the theme in a week whose digest did not list it."""
    from datetime import UTC, datetime

    team, people, lead = _k_team(app, make_team, make_user, login, names="abcdefg")
    clock(datetime(2026, 11, 5, 12, tzinfo=UTC))  # each reflection is written in its own week
    _write(app, team, [people[n] for n in "abc"], week="2026-W45")
    clock(datetime(2026, 11, 9, 6, tzinfo=UTC))
    assert [t["id"] for t in _digest(app, team, "2026-W45")["themes"]["items"]] == [SCHULDEN]
    clock(datetime(2026, 11, 12, 12, tzinfo=UTC))
    _write(app, team, [people["d"]], week="2026-W46")
    clock(datetime(2026, 11, 16, 6, tzinfo=UTC))
    assert _digest(app, team, "2026-W46")["themes"]["items"] == []
    clock(datetime(2026, 11, 18, 9, tzinfo=UTC))  # Wednesday of W47: W46 is the board's week
    url = f"/api/v1/teams/{team}/knowledge-map"

    def cell():
        answer = lead.get(url)
        assert answer.status_code == 200, answer.json
        return {item["id"]: item["authors"] for item in answer.json["themes"]}[SCHULDEN]

    assert cell().get("suppressed") is True  # 4 shown would isolate d's week next to W45's 3
    # A reflection of the running week is not on the map yet, so watching it shows nothing.
    _write(app, team, [people[n] for n in "efg"], week="2026-W47")
    assert cell().get("suppressed") is True
    # Once the part the digests do not show comes from k people, the map may show the figure.
    clock(datetime(2026, 11, 25, 9, tzinfo=UTC))
    assert cell() == 7


def test_attack_f_a_reflection_dated_into_a_published_week_later_is_not_taken_as_published(
    app, make_team, make_user, login, clock
):
    """(f) W44's digest listed Schulden with a, b and c. Days later d wrote a reflection dated in W44.
    The knowledge map and the theme of the month counted d as published (W44 listed the theme), so
    they showed 4: minus W44's 3, that is d. No published figure counted d's late row."""
    from datetime import UTC, datetime

    from server.extensions import db
    from server.models import ThemeOfTheMonth

    team, people, lead = _k_team(app, make_team, make_user, login, names="abcd")
    clock(datetime(2026, 10, 29, 12, tzinfo=UTC))  # Thursday of W44
    _write(app, team, [people[n] for n in "abc"], week="2026-W44")
    clock(datetime(2026, 11, 2, 6, tzinfo=UTC))  # the Monday after: W44's digest
    items = _digest(app, team, "2026-W44")["themes"]["items"]
    assert [(t["id"], t["authors"]) for t in items] == [(SCHULDEN, 3)]
    clock(datetime(2026, 11, 4, 12, tzinfo=UTC))  # d writes about a visit of the week before
    _write(app, team, [people["d"]], week="2026-W44")
    clock(datetime(2026, 11, 9, 6, tzinfo=UTC))
    assert _digest(app, team, "2026-W45")["themes"]["items"] == []
    clock(datetime(2026, 11, 11, 9, tzinfo=UTC))  # W45 is the board's week; its rows include d's
    with app.app_context():
        db.session.add(ThemeOfTheMonth(team_id=team, month="2026-10", theme_id=SCHULDEN))
        db.session.commit()

    answer = lead.get(f"/api/v1/teams/{team}/knowledge-map")
    assert answer.status_code == 200, answer.json
    assert {t["id"]: t["authors"] for t in answer.json["themes"]}[SCHULDEN].get("suppressed") is True
    month = lead.get(f"/api/v1/teams/{team}/theme-of-the-month?month=2026-10")
    assert month.status_code == 200, month.json
    assert month.json["contributions"].get("suppressed") is True


def test_attack_g_a_theme_given_after_the_week_was_published_is_not_taken_as_published(
    app, make_team, make_user, login, clock
):
    """(g) d's reflection of W44 was in W44's digest under another theme. After the digest, d edited
    it to Schulden, which W44 listed with a, b and c: the knowledge map showed 4, minus 3 = d."""
    from datetime import UTC, datetime

    from server.extensions import db
    from tests.workers.test_digest import add_reflection

    team, people, lead = _k_team(app, make_team, make_user, login, names="abcd")
    clock(datetime(2026, 11, 1, 18, tzinfo=UTC))  # Sunday of W44
    _write(app, team, [people[n] for n in "abc"], week="2026-W44")
    with app.app_context():
        late = add_reflection(team, people["d"], "2026-W44", ["wonen"], "learning", "private", "y", day=7)
        db.session.commit()
    clock(datetime(2026, 11, 2, 6, tzinfo=UTC))
    items = _digest(app, team, "2026-W44")["themes"]["items"]
    assert [(t["id"], t["authors"]) for t in items] == [(SCHULDEN, 3)]
    clock(datetime(2026, 11, 2, 9, tzinfo=UTC))  # within d's 24 hours to edit
    edited = login(people["d"]).patch(f"/api/v1/reflections/{late}", json={"themes": [SCHULDEN]})
    assert edited.status_code == 200, edited.json
    clock(datetime(2026, 11, 9, 6, tzinfo=UTC))
    assert _digest(app, team, "2026-W45")["themes"]["items"] == []
    clock(datetime(2026, 11, 11, 9, tzinfo=UTC))  # W45 is the board's week

    answer = lead.get(f"/api/v1/teams/{team}/knowledge-map")
    assert answer.status_code == 200, answer.json
    assert {t["id"]: t["authors"] for t in answer.json["themes"]}[SCHULDEN].get("suppressed") is True


# (h)-(j): last week before its digest exists. The suggested topic for the casusoverleg read its live
# weekly counts, which a row dated into the week, a chip edit or a reclassification still moved: one
# person lifted a theme over k and saw the suggestion appear, so k-1 others had written about it.
SUNDAY = "2026-11-22T12:00:00+01:00"  # in W47


def _post(client, themes=(SCHULDEN,), when=SUNDAY):
    # A text the classifier gives no theme of its own, with the word a team theme can take up (j).
    body = reflection(what_happened="Kort bezoek, buurtapp besproken.", next_time="", occurred_at=when)
    answer = client.post("/api/v1/reflections", json=body | {"themes": list(themes)})
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def _suggestion(lead, team):
    answer = lead.get(f"/api/v1/teams/{team}/theme-of-the-month")
    assert answer.status_code == 200, answer.json
    return answer.json["suggestion"]


def test_attack_h_a_reflection_dated_into_last_week_before_its_digest_does_not_move_the_suggestion(
    app, make_team, make_user, login, run_jobs, clock
):
    from datetime import UTC, datetime

    team, people, lead = _k_team(app, make_team, make_user, login, names="abc")
    clock(datetime(2026, 11, 22, 11, tzinfo=UTC))
    for name in "ab":
        _post(login(people[name]))
    run_jobs()
    clock(datetime(2026, 11, 23, 6, tzinfo=UTC))  # Monday 07:00: W47 ended, its digest not built yet
    assert _suggestion(lead, team) is None
    _post(login(people["c"]))  # dated into W47 now: the third author
    run_jobs()
    assert _suggestion(lead, team) is None
    # The digest counts every row received before its cut-off: the same three, once, frozen.
    assert {t["id"]: t["authors"] for t in _digest(app, team)["themes"]["items"]}[SCHULDEN] == 3


def test_attack_i_a_chip_edit_after_the_week_does_not_move_the_suggestion(
    app, make_team, make_user, login, run_jobs, clock
):
    from datetime import UTC, datetime

    team, people, lead = _k_team(app, make_team, make_user, login, names="abc")
    clock(datetime(2026, 11, 22, 11, tzinfo=UTC))
    for name in "ab":
        _post(login(people[name]))
    late = _post(login(people["c"]), themes=["wonen"])
    run_jobs()
    clock(datetime(2026, 11, 23, 6, tzinfo=UTC))
    assert _suggestion(lead, team) is None
    edited = login(people["c"]).patch(f"/api/v1/reflections/{late}", json={"themes": [SCHULDEN]})
    assert edited.status_code == 200, edited.json
    run_jobs()
    assert _suggestion(lead, team) is None


def test_attack_j_a_reclassification_after_the_week_does_not_move_the_suggestion(
    app, make_team, make_user, login, run_jobs, clock
):
    """The lead adds a team theme whose keyword the week's texts contain: classifying the last 8 weeks
    again gives last week's rows the theme after the week ended."""
    from datetime import UTC, datetime

    team, people, lead = _k_team(app, make_team, make_user, login, names="abc")
    clock(datetime(2026, 11, 22, 11, tzinfo=UTC))
    for name in "abc":
        _post(login(people[name]), themes=[])
    run_jobs()
    clock(datetime(2026, 11, 23, 6, tzinfo=UTC))
    assert _suggestion(lead, team) is None
    created = lead.post(f"/api/v1/teams/{team}/themes", json={"label": "Buurtapp", "keywords": ["buurtapp"]})
    assert created.status_code == 201, created.json
    run_jobs()
    themes = login(people["a"]).get("/api/v1/reflections").json["items"][0]["themes"]
    assert created.json["id"] in [theme["id"] for theme in themes]  # the theme did reach the rows
    assert _suggestion(lead, team) is None


def test_attack_k_the_knowledge_map_and_the_month_do_not_move_before_last_weeks_digest(
    app, make_team, make_user, login, clock
):
    """(k) the knowledge map and the theme of the month count last week's rows up to its cut-off,
    which was "now" until its digest was built: a row dated into it then, or a chip edit, moved both."""
    from datetime import UTC, datetime

    from server.extensions import db
    from server.models import ThemeOfTheMonth

    team, people, lead = _k_team(app, make_team, make_user, login, names="abcde")
    clock(datetime(2026, 11, 12, 12, tzinfo=UTC))
    _write(app, team, [people[n] for n in "abc"], week="2026-W46")
    clock(datetime(2026, 11, 16, 6, tzinfo=UTC))
    assert {t["id"]: t["authors"] for t in _digest(app, team, "2026-W46")["themes"]["items"]} == {SCHULDEN: 3}
    clock(datetime(2026, 11, 22, 11, tzinfo=UTC))
    late = _post(login(people["d"]), themes=["wonen"])
    with app.app_context():
        db.session.add(ThemeOfTheMonth(team_id=team, month="2026-11", theme_id=SCHULDEN))
        db.session.commit()
    clock(datetime(2026, 11, 23, 6, tzinfo=UTC))  # W47 ended, its digest not built yet

    def figures():
        answer = lead.get(f"/api/v1/teams/{team}/knowledge-map")
        assert answer.status_code == 200, answer.json
        month = lead.get(f"/api/v1/teams/{team}/theme-of-the-month?month=2026-11")
        assert month.status_code == 200, month.json
        return {t["id"]: t["authors"] for t in answer.json["themes"]}[SCHULDEN], month.json["contributions"]

    before = figures()
    assert before == (3, {"reflections": 3, "authors": 3, "to_week": W})
    _post(login(people["e"]))  # dated into W47 after it ended
    assert figures() == before
    edited = login(people["d"]).patch(f"/api/v1/reflections/{late}", json={"themes": [SCHULDEN]})
    assert edited.status_code == 200, edited.json
    assert figures() == before


def test_theme_of_the_month_leads_do_not_make_up_k(app, make_team, make_user, login):
    """The month figure needs k authors besides the team's leads, as every other figure does."""
    from server.extensions import db
    from server.models import ThemeOfTheMonth

    team, people, lead = _k_team(app, make_team, make_user, login, names="ab")
    _write(app, team, [people["a"], people["b"], people["lead"]], week="2026-W46")
    with app.app_context():
        db.session.add(ThemeOfTheMonth(team_id=team, month="2026-11", theme_id=SCHULDEN))
        db.session.commit()
    url = f"/api/v1/teams/{team}/theme-of-the-month?month=2026-11"
    assert lead.get(url).json["contributions"].get("suppressed") is True


def test_sock_puppets_do_not_make_up_k(app, make_team, make_user, login):
    """A teamleider's own reflections and accounts a lead invited in the last 30 days cannot lift a
    colleague's private theme over k."""
    from datetime import timedelta

    from server.extensions import db
    from server.models import Invitation, User
    from tests.workers.test_digest import _at

    team, people, _ = _k_team(app, make_team, make_user, login, names="v")
    puppet = make_user(team, "medewerker", email="pop@test.leerlus.nl")
    with app.app_context():
        db.session.add(
            Invitation(
                team_id=team,
                email="pop@test.leerlus.nl",
                role="medewerker",
                token_hash="p" * 64,
                invited_by_id=people["lead"],
                expires_at=_at(W) + timedelta(days=7),
                accepted_at=_at(W) - timedelta(days=5),
            )
        )
        db.session.commit()
        assert db.session.get(User, puppet) is not None
    _write(app, team, [people["v"], people["lead"], puppet])
    assert _digest(app, team)["themes"]["items"] == []
    assert _digest(app, team)["numbers"]["reflections"].get("suppressed") is True


def test_retention_settings_stay_within_the_installation_bounds(team_setup, make_user, login):
    lead, team = team_setup["client"]["lead"], team_setup["team"]
    for body in ({"raw_text_days": 365}, {"retention_months": 120}, {"raw_text_days": 31}):
        response = lead.patch(f"/api/v1/teams/{team}", json=body)
        assert response.status_code == 422 and set(response.json["errors"]) == set(body), response.json
    beheerder = login(make_user(team, "beheerder"))
    assert beheerder.patch(f"/api/v1/teams/{team}", json={"retention_months": 60}).status_code == 422
    shorter = lead.patch(f"/api/v1/teams/{team}", json={"raw_text_days": 14, "retention_months": 12})
    assert shorter.status_code == 200 and shorter.json["raw_text_days"] == 14


def _all_matched(value) -> list[str]:
    """Every list under a "matched" key, anywhere in a JSON document."""
    if isinstance(value, dict):
        found = list(value.get("matched") or []) if isinstance(value.get("matched"), list) else []
        return found + [w for v in value.values() for w in _all_matched(v)]
    if isinstance(value, list):
        return [w for v in value for w in _all_matched(v)]
    return []


def test_every_team_visible_output_carries_only_deidentified_words(
    app, team_setup, make_user, login, run_jobs
):
    """Item 1 across outputs: the team view, the digest (quotes, explanations) and the push payloads
    carry no raw word, and every matched word they carry occurs in the de-identified text."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from server.extensions import db
    from server.models import Notification, Reflection

    lead, team = team_setup["client"]["lead"], team_setup["team"]
    lead.post(
        f"/api/v1/teams/{team}/themes", json={"label": "Buurt", "keywords": ["straat", "vries", "annie"]}
    )
    writers = [
        team_setup["client"]["alice"],
        team_setup["client"]["bob"],
        login(make_user(team, "medewerker")),
    ]
    when = datetime.combine(datetime(2026, 11, 18).date(), time(10), tzinfo=ZoneInfo("Europe/Amsterdam"))
    for client in writers:
        created = client.post(
            "/api/v1/reflections",
            json=reflection(
                what_happened=RAW, visibility="team", occurred_at=when.isoformat(), themes=[SCHULDEN]
            ),
        )
        assert created.status_code == 201, created.get_json()
    run_jobs()
    with app.app_context():
        shown = [" ".join(r.deidentified.values()).lower() for r in db.session.query(Reflection).all()]
    digest = _digest(app, team)
    assert digest["themes"]["items"] and digest["themes"]["items"][0]["quotes"]
    outputs = {"digest": digest, "team view": lead.get(f"/api/v1/team/reflections?team_id={team}").get_json()}
    with app.app_context():
        from workers.digest import deliver_digest

        deliver_digest(team, W)
        outputs["push"] = [n.ref for n in db.session.query(Notification).all()]
    for name, output in outputs.items():
        dumped = json.dumps(output, default=str).lower()
        for word in RAW_WORDS:
            assert word not in dumped, (name, word)
        for word in _all_matched(output):
            assert any(word.lower() in text for text in shown), (name, word)


def test_resident_comment_themes_come_from_the_deidentified_comment(app, team_setup):
    from datetime import UTC, datetime, timedelta

    from server.extensions import db
    from server.models import FeedbackLink, InwonerFeedback, Visit
    from workers.feedback import process_feedback

    with app.app_context():
        visit = Visit(
            client_id=uuid.uuid4(),
            author_id=team_setup["alice"],
            team_id=team_setup["team"],
            occurred_at=datetime.now(UTC),
            kind="huisbezoek",
            payload_hash="x",
        )
        db.session.add(visit)
        db.session.flush()
        link = FeedbackLink(
            token_hash=uuid.uuid4().hex,
            visit_id=visit.id,
            team_id=team_setup["team"],
            expires_at=datetime.now(UTC) + timedelta(days=14),
        )
        db.session.add(link)
        db.session.flush()
        feedback = InwonerFeedback(
            link_id=link.id,
            team_id=team_setup["team"],
            visit_id=visit.id,
            medewerker_id=team_setup["alice"],
            submitted_at=datetime.now(UTC),
            scores={},
            comment="Annie de Vries uit de Kalverstraat voelde zich niet serieus genomen.",
        )
        db.session.add(feedback)
        db.session.commit()
        process_feedback(str(feedback.id))
        feedback = db.session.get(InwonerFeedback, feedback.id)
        shown = feedback.comment_deidentified.lower()
        assert "vries" not in shown
        for theme in feedback.themes:
            for word in theme.matched:
                assert word.lower() in shown, word


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=teams(), puppets=st.sets(st.sampled_from([f"m{i}" for i in range(7)])))
def test_property_uncounted_authors_never_make_up_k(data, puppets):
    """Whatever a small team writes, every published theme, learning question and count about people
    has k authors outside the uncounted set (leads and recently invited accounts)."""
    from dataclasses import replace

    from server.digest import build

    data = replace(data, uncounted=frozenset(puppets))
    digest = build(data)
    k, week = digest["k"], data.iso_week
    rows = [row for row in data.reflections if row.week == week]
    for item in digest["themes"]["items"]:
        assert len({r.author for r in rows if item["id"] in r.themes} - puppets) >= k
    if "value" in digest["numbers"]["reflections"]:
        assert len({r.author for r in rows} - puppets) >= k
    for item in digest["learning_questions"]["items"]:
        theme = item["theme_id"]

        def about(themes, theme=theme) -> bool:
            return theme in themes or (not themes and theme == NO_THEME)

        who = {r.author for r in rows if r.has_learning and about(r.themes)} | {
            q.author for q in data.learning_questions if q.week == week and about(q.themes)
        }
        assert len(who - puppets) >= k
