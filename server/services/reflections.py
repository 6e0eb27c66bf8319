"""Reflections: create, update, delete and process (de-identify, safety flag, classify).

The rules of a reflection live here once, for the API views and the worker job alike:
- the author's chips always win: they replace earlier chips and any classifier guess for the same
  theme, and the classifier only adds what the author did not choose (`_chips_win`);
- the safety signal is flagged from the raw text, at once on every write (pure rules, no NLP models,
  so the PWA can show the meldcode steps right away) and again when the worker processes it;
- a theme the reflection already had keeps its row, and so its `assigned_at` (`_give_themes`): a
  theme given after its week's digest counts as unlisted (docs/privacy.md), giving it again is not.
"""

import uuid
import zoneinfo
from datetime import UTC, datetime, time, timedelta
from typing import cast

from sqlalchemy import Table, insert, select

from server.audit import audit
from server.auth.access import own_or_404, own_reference_or_422
from server.auth.caller import CallerTeam
from server.db import take_write_turn
from server.errors import Problem
from server.events import Event, emit, emit_now
from server.extensions import db
from server.i18n import gettext
from server.idempotency import find_replay, payload_hash
from server.models import REFLECTION_TEXT_FIELDS, LearningQuestion, Reflection, ReflectionTheme, Team, utcnow
from server.privacy import deidentify, normalise_text
from server.privacy.placeholders import without_placeholders
from server.services import visits
from server.services.team_themes import allowed_theme_ids, team_themes_for_classifier
from server.themes import Classification, detect_language, detect_safety_signal, get_classifier

EDIT_WINDOW = timedelta(hours=24)
AUTHOR_SOURCES = ("author", "suggested")
# How a reflection's themes are listed: the author's first, then by score.
_SOURCE_ORDER = {"author": 0, "suggested": 1, "classifier": 2}


# --- the rules ---------------------------------------------------------------------------------


def flag_safety(reflection: Reflection) -> None:
    """Set the safety signal from the raw text (None when there is none)."""
    raw = (getattr(reflection, field) for field in REFLECTION_TEXT_FIELDS)
    signal = detect_safety_signal("\n".join(value for value in raw if value))
    reflection.safety_signal = signal.kind if signal else None


def _chips_win(chips: list[ReflectionTheme], guesses: list[ReflectionTheme]) -> list[ReflectionTheme]:
    """The author's chips, plus the classifier's guesses for themes the author did not choose."""
    chosen = {chip.theme_id for chip in chips}
    return chips + [guess for guess in guesses if guess.theme_id not in chosen]


def validate_themes(team_id, themes: list[str], suggested: list[str]) -> None:
    if themes:  # the team's own themes cost a query: only when the author picked any
        allowed = allowed_theme_ids(team_id, kind="reflection")
        unknown = [theme for theme in themes if theme not in allowed]
        if unknown:
            # Outside the Problem(...) call: pybabel skips a gettext inside a list inside a keyword call.
            named = [gettext("Onbekend thema: %(theme)s", theme=t) for t in unknown]
            raise Problem(422, "Onbekend thema.", errors={"themes": named})
    if not set(suggested) <= set(themes):
        raise Problem(
            422,
            "Een bevestigde suggestie hoort ook bij de thema's.",
            errors={"suggested": ["Moet een deel van themes zijn."]},
        )


def _give_themes(reflection: Reflection, themes: list[ReflectionTheme]) -> None:
    """Make `themes` the reflection's themes; one it already had keeps its row and its assigned_at."""
    earlier = {row.theme_id: row for row in reflection.themes}
    rows = []
    for theme in themes:
        row = earlier.get(theme.theme_id, theme)
        row.source, row.score, row.matched = theme.source, theme.score, theme.matched
        rows.append(row)
    reflection.themes = rows


def set_author_themes(reflection: Reflection, themes: list[str], suggested: list[str]) -> None:
    chips = [
        # matched as the column default sets it at flush: a new row is serialised before its flush.
        ReflectionTheme(theme_id=theme, source="suggested" if theme in suggested else "author", matched=[])
        for theme in dict.fromkeys(themes)
    ]
    guesses = [t for t in reflection.themes if t.source == "classifier"]
    _give_themes(reflection, _chips_win(chips, guesses))


def set_classifier_themes(reflection: Reflection, result: Classification) -> None:
    """The classifier's themes become `result`'s; the author's chips stay and win."""
    chips = [t for t in reflection.themes if t.source in AUTHOR_SOURCES]
    guesses = [
        ReflectionTheme(
            theme_id=theme_id,
            source="classifier",
            score=result.scores.get(theme_id),
            matched=result.matches.get(theme_id, []),
        )
        for theme_id in result.themes
    ]
    _give_themes(reflection, _chips_win(chips, guesses))


def editable_until(reflection: Reflection) -> datetime:
    return reflection.received_at + EDIT_WINDOW


# --- writes (the caller commits) ---------------------------------------------------------------


def create(args: dict, author_id, team: CallerTeam, look_for_replay: bool) -> tuple[Reflection, bool]:
    """(reflection, created); a new one is inserted in the caller's transaction, which it commits.

    `args` is ReflectionArgs without team_id. `look_for_replay=False` is the optimistic first
    attempt: a new client_id (nearly every write) skips the replay lookup, and a replay instead fails
    the unique (author_id, client_id) constraint at its INSERT, after which commit_once calls us again
    with `look_for_replay=True`. A replay that no longer passes validation (a theme since removed)
    still answers with the original row.
    """
    fingerprint = payload_hash(args)

    def replay() -> Reflection | None:
        return find_replay(Reflection, Reflection.author_id, author_id, args["client_id"], fingerprint)

    if look_for_replay and (existing := replay()) is not None:
        return existing, False
    try:
        validate_themes(team.id, args["themes"], args["suggested"])
        own_reference_or_422(
            LearningQuestion, args["learning_question_id"], "learning_question_id", "Onbekende leervraag."
        )
        visit_id = args["visit_id"]
        if args["visit"] is not None:
            # The turn before the visit's INSERT: a thread holding SQLite's lock must not wait for it.
            take_write_turn(db.session)
            visit_id = visits.create_or_replay(args["visit"], author_id, team)[0].id
        elif visit_id is not None:
            visits.own_visit_or_404(visit_id)
    except Problem:
        if not look_for_replay and (existing := replay()) is not None:
            return existing, False
        raise
    row = {
        # Set here rather than by the column defaults: the event and the answer need them.
        "id": uuid.uuid4(),
        "received_at": utcnow(),
        "client_id": args["client_id"],
        "author_id": author_id,
        "team_id": team.id,
        "visit_id": visit_id,
        "occurred_at": args["occurred_at"],
        "learning_zone": args["learning_zone"],
        "energy": args["energy"],
        "visibility": args["visibility"],
        "previous_intention_outcome": args["previous_intention_outcome"],
        "learning_question_id": args["learning_question_id"],
        "payload_hash": fingerprint,
        **{field: args[field] for field in REFLECTION_TEXT_FIELDS},
    }
    # The object carries the rules (themes, safety signal) and the answer; it never joins the
    # session: _insert writes its row with Core.
    reflection = Reflection(**row)
    set_author_themes(reflection, args["themes"], args["suggested"])
    flag_safety(reflection)
    _insert(reflection, row)
    return reflection, True


# On the tables, not the classes: a plain Core INSERT, outside the ORM (see _insert).
_INSERT_REFLECTION = insert(cast(Table, Reflection.__table__))
_INSERT_THEME = insert(cast(Table, ReflectionTheme.__table__))


def _insert(reflection: Reflection, row: dict) -> None:
    """The new reflection, its themes and its outbox event as Core INSERTs in the caller's transaction.

    The write every medewerker makes after a visit: the ORM unit of work (flush bookkeeping, primary
    key fetch, identity map) cost more CPU than the statements themselves (docs/performance.md,
    item 15). A replayed client_id fails here, at the INSERT, which commit_once handles as before.
    """
    # A visit made with it is already in: visits.create_or_replay flushes it (the row refers to it).
    take_write_turn(db.session)  # SQLite: from here to the COMMIT, this process's only writer
    db.session.execute(_INSERT_REFLECTION, {**row, "safety_signal": reflection.safety_signal})
    if reflection.themes:
        themes = [
            {"reflection_id": row["id"], "theme_id": t.theme_id, "source": t.source, "matched": t.matched}
            for t in reflection.themes
        ]
        db.session.execute(_INSERT_THEME, themes)
    emit_now(Event.REFLECTION_SUBMITTED, reflection_id=row["id"])


def own_reflection_or_404(reflection_id) -> Reflection:
    return own_or_404(Reflection, reflection_id, "Deze reflectie bestaat niet, of is niet van jou.")


def update(reflection: Reflection, changes: dict) -> None:
    """The author edits within the edit window, until the raw text is purged."""
    if utcnow() > editable_until(reflection):
        raise Problem(403, "Een reflectie kun je tot 24 uur na het opslaan aanpassen.")
    if reflection.raw_purged_at is not None:
        raise Problem(403, "Deze reflectie is al geanonimiseerd en kan niet meer worden aangepast.")
    changes = dict(changes)
    if "themes" in changes:
        validate_themes(reflection.team_id, changes["themes"], [])
        set_author_themes(reflection, changes.pop("themes"), [])
    for field, value in changes.items():
        setattr(reflection, field, value)
    reflection.updated_at = utcnow()
    # Until the worker has de-identified the new text, the team sees nothing of it.
    reflection.processed_at = None
    reflection.deidentified = None
    flag_safety(reflection)
    emit(Event.REFLECTION_UPDATED, reflection_id=reflection.id)


def delete(reflection: Reflection) -> None:
    # The row is gone when the worker runs, so the event names the team-week to recompute.
    emit(Event.REFLECTION_DELETED, team_id=reflection.team_id, occurred_at=reflection.occurred_at.isoformat())
    db.session.delete(reflection)


# --- the worker's part -------------------------------------------------------------------------


def _classify(reflection: Reflection, semantic: bool, lang: str | None = None) -> Classification:
    # Themes and their matched words come from the de-identified text, the text colleagues may
    # read: a raw name, street or age can then never surface as a "matched" word, and a team theme
    # with a person's name as keyword cannot count private reflections that mention that person.
    shared = reflection.deidentified or {}
    return get_classifier().classify(
        "\n".join(filter(None, (shared.get(field) for field in REFLECTION_TEXT_FIELDS))),
        kind="reflection",
        team_themes=team_themes_for_classifier(reflection.team_id),
        lang=lang,
        semantic=semantic,
    )


def process(reflection_id: uuid.UUID, commit: bool = True) -> Reflection | None:
    """De-identify, flag and classify a submitted or edited reflection with the fast path, and commit.

    `commit=False` leaves the commit to the caller: the worker recounts the team-week in the same
    transaction (one commit per job instead of two, and no reload of the expired row in between).

    The author sees themes at once; when the fast path was unsure, `Event.REFLECTION_REFINE` has
    `refine` classify it again with e5 in a low-priority job (e5 costs 90-200 ms of CPU a text,
    docs/performance.md item 18). None if the reflection is gone (deleted before the worker ran).
    """
    reflection = db.session.get(Reflection, reflection_id)
    if reflection is None:
        return None
    lang = None
    if reflection.raw_purged_at is None:
        # One language detection for the whole reflection, not one per field in the de-identifier and
        # another in the classifier (~30 % of the classifier's CPU, docs/performance.md item 21).
        raw = (getattr(reflection, field) for field in REFLECTION_TEXT_FIELDS)
        lang = detect_language(normalise_text("\n".join(value for value in raw if value))).lang
        reflection.deidentified = {
            field: deidentify(getattr(reflection, field) or "", lang) for field in REFLECTION_TEXT_FIELDS
        }
    flag_safety(reflection)
    result = _classify(reflection, semantic=False, lang=lang)
    set_classifier_themes(reflection, result)
    reflection.processed_at = utcnow()
    if result.refinable:
        emit(Event.REFLECTION_REFINE, reflection_id=reflection.id)
    if commit:
        db.session.commit()
    else:
        # Written now: the caller's next lock (the team row) comes after this row's, as after a commit.
        db.session.flush()
    return reflection


def refine(reflection_id: uuid.UUID, commit: bool = True) -> Reflection | None:
    """Classify a processed reflection again with e5 and commit; None when there is nothing to do.
    `commit=False`: the caller commits the new themes (with its team-week recount, as in `process`).

    Idempotent. A reflection deleted, or edited and not yet processed again, is left alone; if it
    changes while e5 runs, the result is dropped (its own processing emits a refine of its own).
    """
    reflection = db.session.get(Reflection, reflection_id)
    if reflection is None or reflection.processed_at is None:
        return None
    seen = (reflection.processed_at, reflection.deidentified)
    result = _classify(reflection, semantic=True)
    db.session.commit()  # ends the read: the re-read below sees what was committed while e5 ran
    # Re-read under a row lock (PostgreSQL): is the text e5 read still the reflection's?
    reflection = db.session.scalar(
        select(Reflection)
        .where(Reflection.id == reflection_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if reflection is None or (reflection.processed_at, reflection.deidentified) != seen:
        db.session.rollback()
        return None
    set_classifier_themes(reflection, result)
    if commit:
        db.session.commit()
    else:
        db.session.flush()  # as in process: this row's writes before the caller's team lock
    return reflection


def recent_ids(team_id: uuid.UUID, weeks: int = 8) -> list[uuid.UUID]:
    """The team's reflections of the last `weeks` weeks (to classify again after a theme change)."""
    since = utcnow() - timedelta(weeks=weeks)
    return list(
        db.session.scalars(
            select(Reflection.id).where(Reflection.team_id == team_id, Reflection.occurred_at >= since)
        )
    )


# --- reads -------------------------------------------------------------------------------------


def visible_matches(words: list[str], shown_text: str) -> list[str]:
    """Only matched words that occur in the text the reader sees.

    The worker classifies the de-identified text, so this drops nothing for rows it wrote; it is the
    last line of defence for rows matched on raw text before that (and for any future slip).
    """
    # Inside a placeholder a word is not the author's: "[school]" or "[naam 1]" explains nothing.
    haystack = " ".join(without_placeholders(shown_text, " | ").split()).lower()
    return [word for word in words or [] if " ".join(str(word).split()).lower() in haystack]


def ordered_themes(reflection: Reflection) -> list[ReflectionTheme]:
    return sorted(reflection.themes, key=lambda t: (_SOURCE_ORDER.get(t.source, 3), -(t.score or 0)))


def shown_text(reflection: Reflection) -> str:
    """The de-identified text colleagues see (empty until processed)."""
    text = reflection.deidentified or {}
    return "\n".join(text.get(field) or "" for field in REFLECTION_TEXT_FIELDS)


def _local_day_start(day, zone) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def own_reflections(user, args: dict):
    """The author's reflections, filtered by theme and local dates, newest first (a select)."""
    stmt = select(Reflection).where(Reflection.author_id == user.id)
    zone = zoneinfo.ZoneInfo(user.memberships[0].team.timezone if user.memberships else "Europe/Amsterdam")
    if "theme" in args:
        stmt = stmt.where(Reflection.themes.any(ReflectionTheme.theme_id == args["theme"]))
    if "since" in args:
        stmt = stmt.where(Reflection.occurred_at >= _local_day_start(args["since"], zone))
    if "until" in args:
        stmt = stmt.where(Reflection.occurred_at < _local_day_start(args["until"] + timedelta(days=1), zone))
    return stmt.order_by(Reflection.occurred_at.desc(), Reflection.received_at.desc())


def team_reflections(team: Team, theme: str | None):
    """Shared and processed reflections of the team (a select). Newest weeks first; within a week
    the random UUID order hides who wrote when."""
    stmt = select(Reflection).where(
        Reflection.team_id == team.id, Reflection.visibility == "team", Reflection.processed_at.is_not(None)
    )
    if theme is not None:
        stmt = stmt.where(Reflection.themes.any(ReflectionTheme.theme_id == theme))
    return stmt.order_by(Reflection.occurred_at.desc(), Reflection.id)


def note_team_read(team: Team) -> None:
    audit("team.reflections.read", "team", team.id, team_id=team.id)
