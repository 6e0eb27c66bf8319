"""The demo team's week, planned deterministically from names and dates (pure; no database).

Everything is derived from a hash of (medewerker, day, slot), so planning the same week again —
on a later run, on another machine — gives the same visits and the same texts, and the seeder can
recognise what already exists by its client_id.

The story depends on how many weeks ago a week is (its *age*) at the moment it is first seeded:
money worries and energy bills rise towards the most recent weeks, a new regulation term
("isolatiepremie") appears across several medewerkers in the last two weeks, the GGZ waiting list
stays steady, and one medewerker ("overbelast") is often in the panic zone.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

DATA = Path(__file__).parent / "data"
# Fixed, so client ids stay the same across runs and machines.
NAMESPACE = uuid.UUID("6f1d3c52-8a4e-5b7e-9c1a-2d4f6b8e0a13")
REFLECTION_SHARE = 0.8
TEAM_SHARE = 0.4


@cache
def load(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@cache
def pools() -> dict[str, list[dict]]:
    return {"algemeen": load("reflections_algemeen.json"), **load("reflections_verhaal.json")}


def key_uuid(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "|".join(str(part) for part in parts))


def unit(*parts) -> float:
    """A stable number in [0, 1) for the given parts (Python's hash() is salted per process)."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def pick(weights: dict, *parts):
    total = sum(weights.values())
    point = unit(*parts) * total
    for choice, weight in weights.items():
        point -= weight
        if point < 0:
            return choice
    return choice


@dataclass(frozen=True)
class PlannedFeedback:
    link_at: datetime
    submitted_at: datetime | None  # None: the resident never answered
    language: str
    comment: str
    scores: dict
    contact: bool


@dataclass(frozen=True)
class PlannedReflection:
    client_id: uuid.UUID
    entry: dict
    received_at: datetime
    learning_zone: str | None
    energy: int | None
    visibility: str
    chips: tuple[str, ...]  # taxonomy ids, or "team:<key>" for the team's own themes
    chips_suggested: bool
    previous_intention_outcome: str | None


@dataclass(frozen=True)
class PlannedVisit:
    account: str
    client_id: uuid.UUID
    occurred_at: datetime
    kind: str
    pseudonym: str | None
    reflection: PlannedReflection | None
    feedback: PlannedFeedback | None


def _slot_times(account: str, day: date, zone: ZoneInfo) -> list[datetime]:
    count = pick({1: 10, 2: 40, 3: 40, 4: 10}, account, day, "visits")
    # Spread visits between 08:30 and 17:30 local, each in its own part of the day.
    segment = 540 // count
    moments = []
    for slot in range(count):
        minute = 510 + slot * segment + int(unit(account, day, slot, "minute") * (segment - 60))
        local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
        moments.append(local.astimezone(UTC))
    return moments


def _pool_for(account: dict, index: int, week: int, age: int, seq: int, slot_parts) -> str:
    # Anchors make the story hold for k = 3 whatever the dice say: half the team writes about the
    # GGZ waiting list every week, and most of it meets the isolatiepremie in the last two weeks.
    if seq == 0 and (index + week) % 2 == 0:
        return "ggz"
    if seq == 1 and age <= 1 and (index + week) % 3 != 0:
        return "isolatiepremie"
    if seq == 2 and account.get("profile") == "overbelast":
        return "zwaar"
    weights = {
        "algemeen": 62,
        "geld": 7 if age <= 1 else 2,
        "energie": {0: 22, 1: 22, 2: 4}.get(age, 0),
        "ggz": 7,
        "zwaar": 25 if account.get("profile") == "overbelast" else 2,
        "isolatiepremie": 5 if age <= 1 else 0,
    }
    return pick(weights, *slot_parts, "pool")


def _share_chance(pool_name: str) -> float:
    # A new regulation nobody knows yet is what colleagues share to ask around; the emerging
    # signal is computed from shared text only, so the story needs them shared.
    return 0.85 if pool_name == "isolatiepremie" else TEAM_SHARE


def _zone_and_energy(account: dict, entry: dict, parts) -> tuple[str | None, int | None]:
    overloaded = account.get("profile") == "overbelast"
    zone = entry.get("zone")
    if zone is None and unit(*parts, "zone-tapped") < 0.93:
        zone = pick(
            {"comfort": 20, "learning": 45, "panic": 35}
            if overloaded
            else {"comfort": 45, "learning": 50, "panic": 5},
            *parts,
            "zone",
        )
    if unit(*parts, "energy-tapped") >= 0.95:
        return zone, None
    low, high = {"panic": (1, 2), "learning": (2, 4), "comfort": (3, 5), None: (2, 4)}[zone]
    energy = low + int(unit(*parts, "energy") * (high - low + 1))
    return zone, max(1, energy - 1) if overloaded else energy


def _reflection(
    account: dict, index: int, week: int, age: int, seq: int, moment: datetime, parts
) -> PlannedReflection:
    pool_name = _pool_for(account, index, week, age, seq, parts)
    pool = pools()[pool_name]
    # Consecutive slots walk through the pool, so one person rarely repeats a text within weeks.
    day, slot = parts[1], parts[2]
    entry = pool[(day.toordinal() * 4 + slot + index * 11) % len(pool)]
    zone, energy = _zone_and_energy(account, entry, parts)
    chips = () if unit(*parts, "chips") < 0.25 else tuple(entry["themes"])
    outcome = (
        pick({"ja": 50, "deels": 35, "nee": 15}, *parts, "outcome") if unit(*parts, "asked") < 0.2 else None
    )
    return PlannedReflection(
        client_id=key_uuid("reflection", account["email"], day, slot),
        entry=entry,
        received_at=moment + timedelta(minutes=45 + int(unit(*parts, "delay") * 150)),
        learning_zone=zone,
        energy=energy,
        visibility="team" if unit(*parts, "visibility") < _share_chance(pool_name) else "private",
        chips=chips,
        chips_suggested=unit(*parts, "suggested") < 0.5,
        previous_intention_outcome=outcome,
    )


def _feedback(parts, moment: datetime, age: int, wmo_items: list[str]) -> PlannedFeedback | None:
    if unit(*parts, "asked-feedback") >= 0.3:
        return None
    link_at = moment + timedelta(minutes=40)
    if unit(*parts, "answered") >= 0.75:
        return PlannedFeedback(link_at, None, "nl", "", {}, False)
    comment = {}
    if unit(*parts, "commented") < 0.5:
        comments = load("feedback.json")["comments"]
        comment = comments[int(unit(*parts, "comment") * len(comments))]
    mood = {2: 40, 3: 45, 4: 15} if comment.get("negative") else {1: 1, 2: 3, 3: 9, 4: 32, 5: 55}
    scores = {item: pick(mood, *parts, "score", item) for item in wmo_items}
    submitted = link_at + timedelta(minutes=20 + int(unit(*parts, "answer-delay") * 2 * 24 * 60))
    # Contact requests become notifications for the medewerker: only recent ones are worth one.
    contact = bool(comment.get("contact")) and age <= 1
    return PlannedFeedback(
        link_at, submitted, comment.get("language", "nl"), comment.get("text", ""), scores, contact
    )


def plan_week(
    account: dict, index: int, monday: date, age: int, zone: ZoneInfo, wmo_items: list[str]
) -> list[PlannedVisit]:
    """All visits of one medewerker in one ISO week, whether or not they lie in the past yet."""
    week = monday.toordinal() // 7
    visits = []
    seq = 0
    pseudonyms = load("team.json")["pseudonyms"]
    for offset in account.get("workdays", range(5)):
        day = monday + timedelta(days=offset)
        for slot, moment in enumerate(_slot_times(account["email"], day, zone)):
            parts = (account["email"], day, slot)
            reflection = None
            if unit(*parts, "reflects") < REFLECTION_SHARE:
                reflection = _reflection(account, index, week, age, seq, moment, parts)
                seq += 1
                kind = reflection.entry.get("kind", "huisbezoek")
            else:
                kind = pick(
                    {"huisbezoek": 60, "telefonisch": 25, "op-kantoor": 10, "wijk": 5}, *parts, "kind"
                )
            pseudonym = (
                pseudonyms[int(unit(*parts, "pseudonym") * len(pseudonyms))]
                if unit(*parts, "named") < 0.15
                else None
            )
            feedback = (
                _feedback(parts, moment, age, wmo_items) if kind in ("huisbezoek", "op-kantoor") else None
            )
            visits.append(
                PlannedVisit(
                    account["key"],
                    key_uuid("visit", account["email"], day, slot),
                    moment,
                    kind,
                    pseudonym,
                    reflection,
                    feedback,
                )
            )
    return visits


def plan(
    accounts: list[dict], today: date, weeks: int, zone: ZoneInfo, wmo_items: list[str]
) -> list[PlannedVisit]:
    """The current ISO week and the `weeks` before it, for every medewerker."""
    this_monday = today - timedelta(days=today.weekday())
    visits = []
    for index, account in enumerate(a for a in accounts if a["role"] == "medewerker"):
        for age in range(weeks, -1, -1):
            visits += plan_week(account, index, this_monday - timedelta(weeks=age), age, zone, wmo_items)
    return visits
