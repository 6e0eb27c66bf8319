"""Digest build time for one team as its history grows: 1, 4 and 16 years of data.

    .venv/bin/python -m bench.digest [--years 1 4 16] [--repeat 5]

A team of 15 medewerkers writing 5 reflections each per working day (with themes, visits and some
resident feedback), bulk-inserted into a fresh SQLite file; the history grows in place between
measurements. A digest reads only its week and the 4 weeks before, so its cost should stay flat
as history grows (certainly no worse than linear). The last line extrapolates 3,500 teams whose
digests fall due at the same hour, on two workers.
"""

import argparse
import itertools
import json
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

MEDEWERKERS = 15
PER_DAY = 5
TEAMS = 3500
WORKERS = 2
AMS = ZoneInfo("Europe/Amsterdam")


def working_days(first: date, last: date):
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


_ids = itertools.count(1)


def _hex() -> str:
    """A unique id in the stored form of a UUID; a counter is much cheaper than uuid4 here."""
    return f"{next(_ids):032x}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


SQL = {
    "visits": "INSERT INTO visits (id, client_id, author_id, team_id, occurred_at, kind, payload_hash, created_at)"
    " VALUES (?, ?, ?, ?, ?, 'huisbezoek', 'x', ?)",
    "reflections": "INSERT INTO reflections (id, client_id, author_id, team_id, visit_id, occurred_at, received_at,"
    " what_happened, noticed, why, next_time, learning_zone, energy, visibility, payload_hash,"
    " processed_at, deidentified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?, ?, 'x', ?, ?)",
    "themes": "INSERT INTO reflection_themes (id, reflection_id, theme_id, source, matched, assigned_at)"
    " VALUES (?, ?, ?, 'classifier', '[]', ?)",
    "links": "INSERT INTO feedback_links (id, token_hash, visit_id, team_id, language, created_at, expires_at)"
    " VALUES (?, ?, ?, ?, 'nl', ?, ?)",
    "feedback": "INSERT INTO inwoner_feedback (id, link_id, team_id, visit_id, medewerker_id, submitted_at, scores,"
    " comment, contact_requested, language) VALUES (?, ?, ?, ?, ?, ?, ?, '', 0, 'nl')",
}


def insert_history(team_id: str, people: list[str], first: date, last: date, rng: random.Random) -> int:
    """Bulk-insert reflections, themes, visits and feedback for [first, last] with raw executemany
    (the ORM's per-value conversions would make 16 years take many minutes); returns reflections."""
    from server.extensions import db
    from server.themes import THEMES

    learning = [t.id for t in THEMES if t.group == "leren"]
    texts = {theme: f"Bezoek over {theme}; inwoner vertelde over de situatie thuis." for theme in learning}
    documents = {
        theme: json.dumps({"what_happened": text, "noticed": "", "why": "", "next_time": "Eerder doorvragen"})
        for theme, text in texts.items()
    }
    batch = {key: [] for key in SQL}
    count = 0

    def flush():
        connection = db.session.connection()
        for key, sql in SQL.items():
            if batch[key]:
                connection.exec_driver_sql(sql, batch[key])
                batch[key].clear()
        db.session.commit()

    for day in working_days(first, last):
        for author in people:
            for _ in range(PER_DAY):
                at = datetime(
                    day.year, day.month, day.day, rng.randint(8, 16), rng.randint(0, 59), tzinfo=AMS
                )
                stamp, visit_id, reflection_id = _stamp(at), _hex(), _hex()
                batch["visits"].append((visit_id, _hex(), author, team_id, stamp, stamp))
                topic = rng.choice(learning)
                batch["reflections"].append(
                    (
                        reflection_id,
                        _hex(),
                        author,
                        team_id,
                        visit_id if rng.random() < 0.7 else None,
                        stamp,
                        stamp,
                        texts[topic],
                        "Eerder doorvragen",
                        rng.choice(("comfort", "learning", "learning", "panic")),
                        rng.randint(1, 5),
                        "team" if rng.random() < 0.4 else "private",
                        stamp,
                        documents[topic],
                    )
                )
                for theme in rng.sample(learning, rng.randint(1, 2)):
                    batch["themes"].append((_hex(), reflection_id, theme, stamp))
                if rng.random() < 0.15:
                    link_id = _hex()
                    batch["links"].append(
                        (link_id, _hex(), visit_id, team_id, stamp, _stamp(at + timedelta(days=14)))
                    )
                    batch["feedback"].append(
                        (
                            _hex(),
                            link_id,
                            team_id,
                            visit_id,
                            author,
                            stamp,
                            json.dumps(
                                {"serieus": rng.randint(3, 5), "samen_oplossingen": rng.randint(2, 5)}
                            ),
                        )
                    )
                count += 1
        if len(batch["reflections"]) >= 20000:
            flush()
    flush()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    # RAM-backed when available: the bench measures the digest, not the disk of a shared machine.
    workdir = tempfile.mkdtemp(
        prefix="leerlus-bench-digest-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None
    )
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.db"
    os.environ["LEERLUS_INSTANCE_PATH"] = workdir
    from flask_migrate import upgrade
    from sqlalchemy import delete

    from server import create_app
    from server.extensions import db
    from server.models import Digest, Membership, Team, User
    from workers.digest import build_digest

    app = create_app({"SECRET_KEY": "bench"})
    rng = random.Random(47)
    week = "2026-W47"
    last = date(2026, 11, 22)
    with app.app_context():
        upgrade()
        team = Team(name="Bench", created_at=datetime(2000, 1, 1, tzinfo=UTC))
        db.session.add(team)
        db.session.flush()
        people = []
        for index in range(MEDEWERKERS):
            user = User(email=f"m{index}@bench.test", display_name=f"M{index}")
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(user_id=user.id, team_id=team.id, role="medewerker"))
            people.append(user.id.hex)
        db.session.commit()
        team_id = team.id

        results, loaded_from, total = [], last + timedelta(days=1), 0
        # CPU time is what a worker spends; wall time also shows how busy this machine is.
        print(f"{'years':>5} {'reflections':>12} {'insert s':>9} {'wall ms':>10} {'cpu ms':>10}  (medians)")
        for years in sorted(args.years):
            first = last - timedelta(days=round(365.25 * years)) + timedelta(days=1)
            started = time.perf_counter()
            total += insert_history(team_id.hex, people, first, loaded_from - timedelta(days=1), rng)
            inserted = time.perf_counter() - started
            loaded_from = first
            timings, cpu = [], []
            for _ in range(args.repeat):
                # A built week is frozen (build_digest returns its content at once): measure a build.
                db.session.execute(delete(Digest).where(Digest.team_id == team_id, Digest.iso_week == week))
                db.session.commit()
                db.session.remove()  # a worker job starts with a fresh session
                started, started_cpu = time.perf_counter(), time.process_time()
                build_digest(team_id, week)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            median = statistics.median(cpu)
            results.append((years, total, median))
            print(
                f"{years:>5} {total:>12,} {inserted:>9.1f} {statistics.median(timings) * 1000:>10.1f}"
                f" {median * 1000:>10.1f}"
            )
        base_years, base_rows, base_time = results[0]
        for years, rows, seconds in results[1:]:
            print(
                f"{years}y vs {base_years}y: data x{rows / base_rows:.1f}, build cpu time x{seconds / base_time:.2f}"
            )
        worst = max(seconds for _, _, seconds in results)
        print(
            f"3,500 teams on {WORKERS} workers at {worst * 1000:.0f} ms cpu each: "
            f"{TEAMS * worst / WORKERS / 60:.1f} minutes for the Monday 08:00 batch"
        )


if __name__ == "__main__":
    main()
