"""Turn a submitted or edited reflection into de-identified team text and themes."""

import uuid

from server.events import Event
from server.extensions import db
from server.models import REFLECTION_TEXT_FIELDS, Reflection, ReflectionTheme, utcnow
from server.team_themes import team_themes_for_classifier
from workers.aggregates import recompute_team_week
from workers.registry import handles


@handles(Event.REFLECTION_SUBMITTED, Event.REFLECTION_UPDATED)
def process_reflection(reflection_id: str, **_) -> None:
    from server.privacy import deidentify
    from server.themes import detect_safety_signal, get_classifier

    reflection = db.session.get(Reflection, uuid.UUID(reflection_id))
    if reflection is None:
        return
    raw = {field: getattr(reflection, field) or "" for field in REFLECTION_TEXT_FIELDS}
    if reflection.raw_purged_at is None:
        reflection.deidentified = {field: deidentify(value) for field, value in raw.items()}
    signal = detect_safety_signal("\n".join(value for value in raw.values() if value))
    reflection.safety_signal = signal.kind if signal else None

    # Themes and their matched words come from the de-identified text, the text colleagues may
    # read: a raw name, street or age can then never surface as a "matched" word, and a team theme
    # with a person's name as keyword cannot count private reflections that mention that person.
    # The author's chips always win; the classifier only adds what the author did not choose.
    shared = reflection.deidentified or {}
    text = "\n".join(filter(None, (shared.get(field) for field in REFLECTION_TEXT_FIELDS)))
    result = get_classifier().classify(
        text, kind="reflection", team_themes=team_themes_for_classifier(reflection.team_id), semantic=True
    )
    chosen = {t.theme_id for t in reflection.themes if t.source in ("author", "suggested")}
    for theme in list(reflection.themes):
        if theme.source == "classifier":
            reflection.themes.remove(theme)
    db.session.flush()
    for theme_id in result.themes:
        if theme_id not in chosen:
            reflection.themes.append(
                ReflectionTheme(
                    theme_id=theme_id,
                    source="classifier",
                    score=result.scores.get(theme_id),
                    matched=result.matches.get(theme_id, []),
                )
            )
    reflection.processed_at = utcnow()
    db.session.commit()
    recompute_team_week(reflection.team_id, reflection.occurred_at)


@handles(Event.TEAM_THEMES_CHANGED)
def reclassify_recent(team_id: str, **_) -> None:
    """A team theme was added or changed: classify the last 8 weeks again and recount them."""
    from datetime import timedelta

    from workers.aggregates import recompute_recent

    since = utcnow() - timedelta(weeks=8)
    ids = db.session.scalars(
        db.select(Reflection.id).where(
            Reflection.team_id == uuid.UUID(team_id), Reflection.occurred_at >= since
        )
    ).all()
    for reflection_id in ids:
        process_reflection(str(reflection_id))
    recompute_recent(uuid.UUID(team_id))
