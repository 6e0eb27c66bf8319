"""EXPLAIN ANALYZE on PostgreSQL for the hot list and digest queries, on a database sized like a region.

    .venv/bin/python -m bench.explain [--teams 40] [--reflections 400000]

40 teams of 15 medewerkers, a year of reflections (generate_series, then ANALYZE), a processed
outbox of the same size with a few pending events, and team-week theme counts. Each query is the
one the code sends (same filters and order); a Seq Scan on a large table is flagged.
"""

import argparse
import re

from sqlalchemy import text

from bench.support import (
    bench_env,
    make_app,
    postgres_available,
    postgres_database,
    scratch_dir,
    seed_team,
    summary,
)
from server.embedded import EmbeddedRedis

FILL = """
INSERT INTO reflections (id, client_id, author_id, team_id, occurred_at, received_at, what_happened, noticed,
                         why, next_time, visibility, payload_hash, processed_at, deidentified)
SELECT gen_random_uuid(), gen_random_uuid(), p.user_id, p.team_id, t, t, 'Bezoek', '', '', '',
       CASE WHEN random() < 0.4 THEN 'team' ELSE 'private' END, 'x', t, '{}'
FROM generate_series(1, :n) AS s(i)
JOIN (SELECT user_id, team_id, row_number() OVER () - 1 AS k FROM memberships) AS p
  ON p.k = s.i % (SELECT count(*) FROM memberships)
CROSS JOIN LATERAL (SELECT now() - (s.i % 365) * interval '1 day' - (s.i % 480) * interval '1 minute') AS x(t);

INSERT INTO reflection_themes (id, reflection_id, theme_id, source, matched, assigned_at)
SELECT gen_random_uuid(), id, (ARRAY['schulden', 'eenzaamheid', 'wonen', 'gespreksvoering'])[1 + abs(hashtext(id::text)) % 4],
       'classifier', '[]', received_at FROM reflections;

INSERT INTO outbox_events (kind, payload, created_at, dispatched_at, processed_at, attempts)
SELECT 'reflection.submitted', '{}', now() - s.i * interval '1 second', now() - s.i * interval '1 second',
       CASE WHEN s.i > 20 THEN now() - s.i * interval '1 second' END, 1
FROM generate_series(1, :n) AS s(i);

INSERT INTO team_week_themes (team_id, iso_week, theme_id, reflections, authors, feedback_mentions, updated_at)
SELECT t.id, to_char(now() - w * interval '1 week', 'IYYY-"W"IW'), th, 5, 3, 1, now()
FROM teams t CROSS JOIN generate_series(0, 51) AS w
CROSS JOIN unnest(ARRAY['schulden', 'eenzaamheid', 'wonen', 'gespreksvoering']) AS th
ON CONFLICT DO NOTHING;
"""

QUERIES = {
    "own reflections (author, newest first)": "SELECT * FROM reflections WHERE author_id = :author ORDER BY occurred_at DESC, received_at DESC LIMIT 20",
    "own reflections count (list total)": "SELECT count(*) FROM reflections WHERE author_id = :author",
    "team reflections (shared, processed)": "SELECT * FROM reflections WHERE team_id = :team AND visibility = 'team' AND processed_at IS NOT NULL"
    " ORDER BY occurred_at DESC, id LIMIT 20",
    "digest: team's reflections of 5 weeks": "SELECT id, author_id, occurred_at FROM reflections WHERE team_id = :team"
    " AND occurred_at >= now() - interval '35 days' AND occurred_at < now()",
    "digest: themes of those reflections": "SELECT rt.theme_id, count(*) FROM reflection_themes rt JOIN reflections r ON r.id = rt.reflection_id"
    " WHERE r.team_id = :team AND r.occurred_at >= now() - interval '35 days' GROUP BY rt.theme_id",
    "TeamWeekTheme by team and weeks": "SELECT * FROM team_week_themes WHERE team_id = :team AND iso_week IN ('2026-W44', '2026-W45', '2026-W46')",
    "outbox relay scan (undispatched or stale)": "SELECT id FROM outbox_events WHERE processed_at IS NULL"
    " AND (dispatched_at IS NULL OR dispatched_at < now() - interval '10 minutes')"
    " ORDER BY dispatched_at IS NOT NULL, id LIMIT 500",
}
LARGE = ("reflections", "reflection_themes", "outbox_events")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=40)
    parser.add_argument("--reflections", type=int, default=400_000)
    args = parser.parse_args()
    if not postgres_available():
        print("postgresql: not reachable, skipped")
        return
    workdir = scratch_dir("leerlus-bench-explain-")
    with (
        EmbeddedRedis(workdir / "redis", persist=False) as redis,
        postgres_database("leerlus_bench_explain") as url,
    ):
        app = make_app(bench_env(url, redis.url, workdir))
        people = [seed_team(app, 15)[0] for _ in range(args.teams)]
        from server.extensions import db

        with app.app_context(), db.engine.begin() as conn:
            for statement in FILL.split(";\n"):
                if statement.strip():
                    conn.execute(text(statement), {"n": args.reflections})
            conn.exec_driver_sql("ANALYZE")
        print(f"{args.teams} teams, {args.reflections:,} reflections and outbox events, ANALYZEd")
        flagged = []
        with app.app_context(), db.engine.connect() as conn:
            for name, sql in QUERIES.items():
                plan = [
                    row[0]
                    for row in conn.execute(
                        text("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql),
                        {"author": people[0]["user_id"], "team": people[0]["team_id"]},
                    )
                ]
                ms = float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1))
                seq = [line.strip() for line in plan if "Seq Scan" in line and any(t in line for t in LARGE)]
                if seq:
                    flagged.append(name)
                print(f"\n-- {name}: {ms:.2f} ms{'  (SEQ SCAN on a large table)' if seq else ''}")
                print("\n".join("   " + line for line in plan if "->" in line or line is plan[0]))
        summary(
            "EXPLAIN PostgreSQL: queries with a seq scan on a large table",
            ", ".join(flagged) if flagged else f"none of {len(QUERIES)}",
        )


if __name__ == "__main__":
    main()
