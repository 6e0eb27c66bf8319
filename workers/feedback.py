"""Turn a resident's answer into a de-identified comment and experience themes."""

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.events import Event
from server.extensions import db
from server.models import FeedbackTheme, InwonerFeedback, Notification, utcnow
from workers.aggregates import recompute_team_week
from workers.registry import handles


@handles(Event.FEEDBACK_SUBMITTED)
def process_feedback(feedback_id: str, **_) -> None:
    from server.privacy import deidentify
    from server.themes import get_classifier

    feedback = db.session.get(InwonerFeedback, uuid.UUID(feedback_id))
    if feedback is None:
        return
    comment = deidentify(feedback.comment) if feedback.comment else ""
    feedback.comment_language = comment_language(feedback.comment, feedback.language)
    # Themes come from the de-identified text: the same text anyone else may ever see.
    result = (
        get_classifier().classify(comment, kind="feedback", lang=feedback.comment_language, semantic=True)
        if comment
        else None
    )
    feedback.themes.clear()
    db.session.flush()
    for theme_id in result.themes if result else []:
        feedback.themes.append(
            FeedbackTheme(
                theme_id=theme_id, score=result.scores.get(theme_id), matched=result.matches.get(theme_id, [])
            )
        )
    feedback.comment_deidentified = comment
    feedback.processed_at = utcnow()
    if feedback.contact_requested and feedback.medewerker_id is not None:
        _ask_for_contact(feedback)
    db.session.commit()
    recompute_team_week(feedback.team_id, feedback.submitted_at)


def comment_language(comment: str | None, page_language: str) -> str | None:
    """The language the resident wrote in (one of six); the page's language is only a hint.

    Detected on the raw comment: placeholders in the de-identified text carry no language.
    """
    from server.themes import detect_language

    return detect_language(comment, page_language).lang if comment and comment.strip() else None


def _ask_for_contact(feedback: InwonerFeedback) -> None:
    # The dedupe key makes redelivery (and a correction) leave one notification, not two.
    key = f"feedback-contact:{feedback.id}"
    if db.session.scalar(select(Notification.id).where(Notification.dedupe_key == key)) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                Notification(
                    user_id=feedback.medewerker_id,
                    kind="feedback-contact",
                    dedupe_key=key,
                    scheduled_for=utcnow(),
                    ref={"feedback_id": str(feedback.id)},
                )
            )
    except IntegrityError:
        pass  # a concurrent run of this job inserted it first
