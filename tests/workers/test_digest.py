"""The weekly digest: exact numbers on a seeded team, suppression, access, scheduling, delivery, e-mail."""

import hashlib
import json
import socket
import threading
import uuid
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from server.digest import REASON

AMS = ZoneInfo("Europe/Amsterdam")
WEEK = "2026-W47"  # Monday 16 – Sunday 22 November 2026
SCHULDEN, WONEN, EENZAAM = "geldzorgen-schulden", "wonen", "eenzaamheid-netwerk"
HOSTILE_NAME = '<script>alert("team")</script> & Co'
HOSTILE_LABEL = "<img src=x onerror=alert(1)>"


def _at(iso_week: str, day: int = 3, hour: int = 10) -> datetime:
    year, week = int(iso_week[:4]), int(iso_week[-2:])
    return datetime.combine(date.fromisocalendar(year, week, day), time(hour), tzinfo=AMS)


def add_reflection(
    team_id,
    author,
    iso_week,
    themes=(),
    zone=None,
    visibility="private",
    text="x",
    next_time="",
    processed=True,
    safety=None,
    visit_id=None,
    day=3,
):
    from server.extensions import db
    from server.models import Reflection, ReflectionTheme

    reflection = Reflection(
        client_id=uuid.uuid4(),
        author_id=author,
        team_id=team_id,
        occurred_at=_at(iso_week, day),
        what_happened=text,
        next_time=next_time,
        learning_zone=zone,
        visibility=visibility,
        payload_hash=hashlib.sha256(text.encode()).hexdigest(),
        visit_id=visit_id,
        safety_signal=safety,
        processed_at=datetime.now(UTC) if processed else None,
        deidentified={"what_happened": text, "noticed": "", "why": "", "next_time": next_time},
    )
    reflection.themes = [ReflectionTheme(theme_id=theme, source="author") for theme in themes]
    db.session.add(reflection)
    db.session.flush()
    return reflection.id


def add_visit(team_id, author, iso_week):
    from server.extensions import db
    from server.models import Visit

    visit = Visit(
        client_id=uuid.uuid4(),
        author_id=author,
        team_id=team_id,
        occurred_at=_at(iso_week, 2),
        kind="huisbezoek",
        payload_hash="x",
    )
    db.session.add(visit)
    db.session.flush()
    return visit.id


def add_feedback(team_id, visit_id, medewerker, iso_week, scores, themes=()):
    from server.extensions import db
    from server.models import FeedbackLink, FeedbackTheme, InwonerFeedback

    link = FeedbackLink(
        token_hash=uuid.uuid4().hex,
        visit_id=visit_id,
        team_id=team_id,
        expires_at=_at(iso_week, 7) + timedelta(days=14),
    )
    db.session.add(link)
    db.session.flush()
    feedback = InwonerFeedback(
        link_id=link.id,
        team_id=team_id,
        visit_id=visit_id,
        medewerker_id=medewerker,
        submitted_at=_at(iso_week, 4),
        scores=scores,
    )
    feedback.themes = [FeedbackTheme(theme_id=theme) for theme in themes]
    db.session.add(feedback)


@pytest.fixture
def seeded(app, make_team, make_user, login):
    """A team (k = 3) with known numbers in 2026-W47 and some history in the 4 weeks before."""
    from server.extensions import db
    from server.models import Action, LearningQuestion, Team, TeamWeekSignal, Theme, ThemeKeeper, utcnow

    team = make_team("Wijkteam Noord", k_threshold=3)
    other = make_team("Wijkteam Zuid")
    people = {name: make_user(team, "medewerker", name=name.capitalize()) for name in "abcdef"}
    people["lead"] = make_user(team, "teamleider", name="Lea Leider")
    people["lead2"] = make_user(team, "teamleider", name="Tom Tweede")
    people["admin"] = make_user(other, "beheerder", name="Beheerder")
    people["stranger"] = make_user(other, "medewerker", name="Vreemde")
    a, b, c, d, e, f = (people[n] for n in "abcdef")
    with app.app_context():
        db.session.get(Team, team).created_at = datetime(2026, 1, 1, tzinfo=UTC)
        visits = {name: add_visit(team, people[name], WEEK) for name in "abcdef"}
        add_reflection(
            team, a, WEEK, [SCHULDEN], "learning", "team", "A-citaat-een", "A-leervraag", visit_id=visits["a"]
        )
        add_reflection(team, a, WEEK, [SCHULDEN], "learning", "team", "A-citaat-twee")
        add_reflection(team, b, WEEK, [SCHULDEN], "learning", "team", "B-citaat", visit_id=visits["b"])
        b_source = add_reflection(
            team, b, WEEK, [SCHULDEN], "learning", "team", "B-VEILIGHEID", safety="huiselijk-geweld"
        )
        add_reflection(
            team,
            c,
            WEEK,
            [SCHULDEN, WONEN],
            "learning",
            "private",
            "C-PRIVE",
            "C-PRIVE-LEREN",
            visit_id=visits["c"],
        )
        add_reflection(team, d, WEEK, [WONEN], "comfort", "team", "D-citaat")
        add_reflection(team, e, WEEK, [WONEN], "comfort", "private", "E-PRIVE")
        add_reflection(team, f, WEEK, [EENZAAM], "panic", "private", "F-STIL")
        # History: schulden by 3 authors in W46 and by 1 (suppressed then) in W45.
        for name in "abc":
            add_reflection(team, people[name], "2026-W46", [SCHULDEN], "learning")
        add_reflection(team, a, "2026-W45", [SCHULDEN], "learning")
        for name, serieus, samen, themes in (
            ("a", 5, 5, ["ervaring-bejegening"]),
            ("b", 4, 5, ["ervaring-bejegening"]),
            ("c", 4, 4, ["ervaring-bejegening"]),
            ("d", 3, 4, ["ervaring-snelheid"]),
        ):
            add_feedback(
                team,
                visits[name],
                people[name],
                WEEK,
                {"serieus": serieus, "samen_oplossingen": samen},
                themes,
            )
        db.session.add(
            LearningQuestion(
                author_id=b,
                team_id=team,
                reflection_id=b_source,
                text="raw",
                text_deidentified="B-gedeelde-vraag",
                shared=True,
                created_at=_at(WEEK, 5),
            )
        )
        db.session.add(
            LearningQuestion(
                author_id=e,
                team_id=team,
                text="E-NIET-GEDEELD",
                text_deidentified="E-NIET-GEDEELD",
                shared=False,
                created_at=_at(WEEK, 5),
            )
        )
        db.session.add_all(
            [
                TeamWeekSignal(
                    team_id=team,
                    iso_week=WEEK,
                    stem="wooncris",
                    term="wooncrisis",
                    authors=3,
                    previous_mean=0.5,
                ),
                TeamWeekSignal(
                    team_id=team,
                    iso_week=WEEK,
                    stem="klein",
                    term="kleinsignaal",
                    authors=2,
                    previous_mean=0.0,
                ),
            ]
        )
        db.session.add(ThemeKeeper(team_id=team, theme_id=SCHULDEN, user_id=d))
        db.session.add(Theme(id="team-vijandig", team_id=team, label=HOSTILE_LABEL))
        now = utcnow()
        db.session.add_all(
            [
                Action(
                    client_id=uuid.uuid4(),
                    team_id=team,
                    created_by_id=people["lead"],
                    owner_id=a,
                    title="Sociale kaart bijwerken",
                    due=date(2026, 11, 18),
                    payload_hash="x",
                    created_at=_at("2026-W46"),
                ),
                Action(
                    client_id=uuid.uuid4(),
                    team_id=team,
                    created_by_id=people["lead"],
                    owner_id=b,
                    title="Casus inbrengen",
                    status="done",
                    done_at=_at(WEEK, 4),
                    payload_hash="x",
                    created_at=_at("2026-W46"),
                ),
                Action(
                    client_id=uuid.uuid4(),
                    team_id=team,
                    created_by_id=c,
                    owner_id=c,
                    title="Budgetcursus",
                    due=date(2026, 12, 1),
                    payload_hash="x",
                    created_at=_at(WEEK, 5),
                    updated_at=now,
                ),
            ]
        )
        db.session.commit()
    people.update(team=team, other=other)
    return people


def build(app, team, week=WEEK):
    from workers.digest import build_digest

    with app.app_context():
        return build_digest(team, week)


def test_week_in_numbers_are_exact_with_trends(app, seeded):
    numbers = build(app, seeded["team"])["numbers"]
    assert numbers["reflections"]["value"] == 8
    # W46 published 3 (3 authors); W45 (1 author) and earlier were suppressed: the mean uses W46 only.
    assert numbers["reflections"]["trend"] == {
        "previous": [{"suppressed": True, "reason": REASON}] * 3 + [{"value": 3}],
        "previous_mean": 3.0,
        "direction": "up",
    }
    assert numbers["active_medewerkers"]["value"] == 6
    assert numbers["visit_share"]["value"] == 0.5
    assert numbers["feedback_responses"]["value"] == 4
    assert numbers["feedback_scores"]["serieus"]["value"] == 4.0
    assert numbers["feedback_scores"]["samen_oplossingen"]["value"] == 4.5
    assert numbers["feedback_scores"]["serieus"]["label"] == "De medewerker nam mij serieus"


def test_themes_trends_quotes_and_suppression(app, seeded, monkeypatch):
    # The stored signal rows are what the digest renders; computing them is tests/workers/test_signals.py's.
    monkeypatch.setattr("workers.digest.recompute_signals", lambda team, week: None)
    content = build(app, seeded["team"])
    themes = {item["id"]: item for item in content["themes"]["items"]}
    assert set(themes) == {SCHULDEN, WONEN}  # eenzaamheid: one author, hidden
    assert content["themes"]["others"] == {"suppressed": True, "reason": REASON}
    assert (themes[SCHULDEN]["reflections"], themes[SCHULDEN]["authors"]) == (5, 3)
    # History as published: W46 3 authors, W45 one author (suppressed, so 0): mean 0.75 → rising.
    assert themes[SCHULDEN]["trend"] == "rising" and themes[SCHULDEN]["previous_mean"] == 0.75
    assert themes[WONEN]["trend"] == "new" and themes[WONEN]["authors"] == 3
    # Two voices for schulden: one of A's and B's shared quote; never the safety or private text.
    quotes = themes[SCHULDEN]["quotes"]
    assert len(quotes) == 2 and "B-citaat" in quotes and {"A-citaat-een", "A-citaat-twee"} & set(quotes)
    assert themes[WONEN]["quotes"] == ["D-citaat"]
    dumped = json.dumps(content)
    for secret in ("B-VEILIGHEID", "C-PRIVE", "E-PRIVE", "F-STIL", "E-NIET-GEDEELD", EENZAAM):
        assert secret not in dumped
    assert content["signals"]["items"] == [{"term": "wooncrisis", "authors": 3, "previous_mean": 0.5}]
    assert content["signals"]["others"]["suppressed"] is True


def test_learning_zones_use_complementary_suppression(app, seeded):
    zones = build(app, seeded["team"])["learning_zones"]["zones"]
    # learning 5 (a, b, c) is shown; comfort (d, e), panic (f) and none are hidden. Together they cover
    # 3 people, so 8 − 5 = 3 says nothing about any single one of them.
    assert zones["learning"]["value"] == 5 and zones["learning"]["share"] == 0.62
    for zone in ("comfort", "panic", "none"):
        assert zones[zone] == {"label": zones[zone]["label"], "suppressed": True, "reason": REASON}


def test_learning_questions_residents_actions_and_suggestion(app, seeded):
    content = build(app, seeded["team"])
    questions = content["learning_questions"]["items"]
    assert [q["theme_id"] for q in questions] == [SCHULDEN]
    assert questions[0]["authors"] == 3
    assert set(questions[0]["examples"]) == {"A-leervraag", "B-gedeelde-vraag"}
    residents = content["residents"]
    assert residents["themes"] == [
        {
            "id": "ervaring-bejegening",
            "label": "Bejegening en gehoord voelen",
            "mentions": 3,
            "average_score": 4.5,
        }
    ]
    assert residents["others"]["suppressed"] is True
    actions = content["actions"]
    assert [a["title"] for a in actions["overdue"]] == ["Sociale kaart bijwerken"]
    assert actions["overdue"][0]["owner"]["display_name"] == "A"
    assert actions["overdue"][0]["due_week"] == "2026-W47"
    assert [a["title"] for a in actions["done"]] == ["Casus inbrengen"]
    assert [a["title"] for a in actions["opened"]] == ["Budgetcursus"]
    assert actions["open"] == 2
    suggestion = content["suggestion"]
    assert suggestion["theme_id"] == SCHULDEN
    assert suggestion["keepers"] == [{"id": str(seeded["d"]), "display_name": "D"}]


def test_build_is_idempotent_one_row_per_team_week(app, seeded):
    from sqlalchemy import func, select

    from server.extensions import db
    from server.models import Digest

    first, second = build(app, seeded["team"]), build(app, seeded["team"])
    assert first == second
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Digest)) == 1


def test_a_late_reflection_does_not_change_a_published_week(app, seeded):
    from server.extensions import db

    before = build(app, seeded["team"])
    with app.app_context():
        add_reflection(seeded["team"], seeded["f"], WEEK, [SCHULDEN], "learning", "team", "LAAT")
        db.session.commit()
    assert build(app, seeded["team"]) == before


def test_access_per_role_and_audit(app, seeded, login, anonymous):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import AuditLog, Team

    team, url = seeded["team"], f"/api/v1/teams/{seeded['team']}/digests/{WEEK}"
    lead, admin = login(seeded["lead"]), login(seeded["admin"])
    medewerker, stranger = login(seeded["a"]), login(seeded["stranger"])
    assert lead.get(url).status_code == 404  # not built yet
    build(app, team)
    full = lead.get(url)
    assert full.status_code == 200 and full.get_json()["scope"] == "full"
    assert set(full.get_json()["content"]) >= {"numbers", "themes", "actions", "suggestion"}
    assert admin.get(url).status_code == 403  # a beheerder reads content only as a member with a content role
    themes_only = medewerker.get(url).get_json()
    assert themes_only["scope"] == "themes" and "numbers" not in themes_only["content"]
    assert themes_only["content"]["themes"]["items"]
    assert stranger.get(url).status_code == 404
    assert anonymous.get(url).status_code == 401
    assert lead.get(f"/api/v1/teams/{team}/digests/2026-W99").status_code == 422
    listing = lead.get(f"/api/v1/teams/{team}/digests").get_json()
    assert listing["total"] == 1 and listing["items"][0]["status"] == "built"
    with app.app_context():
        db.session.get(Team, team).members_see_themes = False
        db.session.commit()
    assert medewerker.get(url).status_code == 403
    with app.app_context():
        reads = db.session.scalars(select(AuditLog.action).where(AuditLog.team_id == team)).all()
    assert reads.count("digest.read") == 2 and "digest.list" in reads


def test_build_on_demand_runs_in_a_worker(app, seeded, login, run_jobs):
    team = seeded["team"]
    lead, medewerker = login(seeded["lead"]), login(seeded["a"])
    base = f"/api/v1/teams/{team}/digests"
    assert medewerker.post(f"{base}/{WEEK}/build").status_code == 403
    current = datetime.now(AMS).isocalendar()
    assert lead.post(f"{base}/{current[0]}-W{current[1]:02d}/build").status_code == 422
    response = lead.post(f"{base}/{WEEK}/build")
    assert response.status_code == 202
    assert response.headers["Location"].endswith(f"{base}/{WEEK}")
    assert lead.get(f"{base}/{WEEK}").status_code == 404  # queued, not built
    assert lead.get(base).get_json()["items"][0]["status"] == "queued"
    run_jobs()
    assert lead.get(f"{base}/{WEEK}").get_json()["content"]["numbers"]["reflections"]["value"] == 8


def test_cli_builds_by_team_name(app, seeded):
    result = app.test_cli_runner().invoke(
        args=["digest", "build", "--team", "Wijkteam Noord", "--week", WEEK]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["reflections"] == 8


# -- scheduling --------------------------------------------------------------------------------


def _team(app, make_team, **settings):
    from server.extensions import db
    from server.models import Team

    team_id = make_team(**settings)
    with app.app_context():
        db.session.get(Team, team_id).created_at = datetime(2026, 1, 1, tzinfo=UTC)
        db.session.commit()
    return team_id


def _due(app, team_id, week):
    from server.extensions import db
    from server.models import Team
    from workers.digest import due_at

    with app.app_context():
        return due_at(db.session.get(Team, team_id), week)


@pytest.mark.parametrize(
    "week, expected",
    [
        ("2026-W13", datetime(2026, 3, 30, 6, 0, tzinfo=UTC)),  # first Monday of summer time: 08:00 CEST
        ("2026-W12", datetime(2026, 3, 23, 7, 0, tzinfo=UTC)),  # winter time: 08:00 CET
        ("2026-W43", datetime(2026, 10, 26, 7, 0, tzinfo=UTC)),  # first Monday of winter time again
    ],
)
def test_due_time_follows_local_time_across_dst(app, make_team, week, expected):
    assert _due(app, _team(app, make_team), week) == expected


def test_due_time_for_other_zones_and_weekdays(app, make_team):
    # New York springs forward on Sunday 8 March 2026: a Sunday 20:00 digest (of the week before)
    # is due at 00:00 UTC from that day on, at 01:00 UTC the Sunday before.
    team = _team(app, make_team, timezone="America/New_York", digest_weekday=6, digest_hour=20)
    assert _due(app, team, "2026-W09") == datetime(2026, 3, 9, 0, 0, tzinfo=UTC)
    assert _due(app, team, "2026-W08") == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    # An hour that does not exist (02:00 on the spring change in Amsterdam) falls an hour later.
    gap = _team(app, make_team, digest_weekday=6, digest_hour=2)
    assert _due(app, gap, "2026-W12") == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_scheduler_waits_for_local_time_then_enqueues_once(app, make_team):
    from workers.digest import build_due_digests

    team = _team(app, make_team)
    with app.app_context():
        assert (str(team), "2026-W13") not in build_due_digests(datetime(2026, 3, 30, 5, 59, tzinfo=UTC))
        assert (str(team), "2026-W13") in build_due_digests(datetime(2026, 3, 30, 6, 0, tzinfo=UTC))
        assert build_due_digests(datetime(2026, 3, 30, 6, 1, tzinfo=UTC)) == []  # same hour: RQ refuses


def test_scheduler_catches_up_missed_weeks(app, make_team):
    from workers.digest import CATCH_UP_WEEKS, build_due_digests

    team = _team(app, make_team)
    with app.app_context():
        enqueued = build_due_digests(datetime(2026, 4, 8, 12, 0, tzinfo=UTC))  # down since 30 March
    assert enqueued == [(str(team), "2026-W14"), (str(team), "2026-W13")][:CATCH_UP_WEEKS]


def test_two_schedulers_at_once_deliver_exactly_once(app, seeded, run_jobs):
    from sqlalchemy import func, select

    from server.extensions import db
    from server.models import Digest, Notification
    from workers.digest import build_due_digests, deliver_digest

    now = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)  # Monday 08:30 in Amsterdam
    results, barrier = [], threading.Barrier(2)

    def scheduler():
        with app.app_context():
            barrier.wait()
            results.append(build_due_digests(now))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The week just ended, and the one before (caught up: the team is older): each enqueued once.
    weeks = ("2026-W46", WEEK)
    mine = sorted(entry[1] for batch in results for entry in batch if entry[0] == str(seeded["team"]))
    assert mine == list(weeks)
    run_jobs(relay_first=False)
    with app.app_context():
        later = build_due_digests(now + timedelta(hours=3))  # next hour: nothing left to do
        assert all(entry[0] != str(seeded["team"]) for entry in later)
        assert deliver_digest(seeded["team"], WEEK) == 0
        assert (
            db.session.scalar(
                select(func.count()).select_from(Digest).where(Digest.team_id == seeded["team"])
            )
            == 2
        )
        notes = db.session.scalars(select(Notification).where(Notification.kind == "digest")).all()
        assert sorted(n.dedupe_key for n in notes) == sorted(
            f"digest:{seeded['team']}:{week}:{seeded[who]}" for week in weeks for who in ("lead", "lead2")
        )
        assert {n.ref["iso_week"] for n in notes} == set(weeks)


# -- e-mail ------------------------------------------------------------------------------------


@pytest.fixture
def smtp(app, monkeypatch):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(
                (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
            )
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{port}")
    yield inbox
    controller.stop()


def test_digest_email_is_escaped_and_carries_no_quotes_or_names(app, seeded, smtp):
    from server.extensions import db
    from server.models import Team, User
    from workers.digest import deliver_digest

    with app.app_context():
        db.session.get(Team, seeded["team"]).name = HOSTILE_NAME
        for name in "abc":
            add_reflection(seeded["team"], seeded[name], WEEK, ["team-vijandig"], "learning")
        db.session.commit()
    build(app, seeded["team"])
    with app.app_context():
        assert deliver_digest(seeded["team"], WEEK) == 2
        emails = sorted(db.session.get(User, seeded[who]).email for who in ("lead", "lead2"))
    assert sorted(to for tos, _ in smtp.messages for to in tos) == emails
    message = smtp.messages[0][1]
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert HOSTILE_LABEL in text and "Reflecties: 11" in text
    assert f"/app/#/digest/{seeded['team']}/{WEEK}" in text
    for private in ("citaat", "A-leervraag", "wooncrisis", "Sociale kaart", "Lea Leider", "display_name"):
        assert private not in html and private not in text


def test_keeper_of_a_rising_theme_is_told_once(app, seeded):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import Notification
    from workers.digest import deliver_digest

    build(app, seeded["team"])
    with app.app_context():
        deliver_digest(seeded["team"], WEEK)
        deliver_digest(seeded["team"], WEEK)
        notes = db.session.scalars(select(Notification).where(Notification.kind == "theme-rising")).all()
        assert [(n.user_id, n.ref["theme_id"]) for n in notes] == [(seeded["d"], SCHULDEN)]
