"""The themes of learning questions: used by the learning area and by the board alike.

A module of its own so that server/services/learning.py (which shows the board's proposal and gaps)
and server/services/board.py (which counts who offered help per theme) need not import each other.
"""

from collections import defaultdict

from sqlalchemy import or_, select

from server.extensions import db
from server.models import LearningQuestion, Reflection, ReflectionTheme


def question_themes(question_ids: list) -> dict:
    """Themes of each question: those of the reflection it came from and of reflections linked to it."""
    if not question_ids:
        return {}
    themes: dict = defaultdict(set)
    sources = dict(
        db.session.execute(
            select(LearningQuestion.id, LearningQuestion.reflection_id).where(
                LearningQuestion.id.in_(question_ids)
            )
        ).all()
    )
    by_reflection = defaultdict(list)
    for question_id, reflection_id in sources.items():
        if reflection_id is not None:
            by_reflection[reflection_id].append(question_id)
    rows = db.session.execute(
        select(Reflection.id, Reflection.learning_question_id, ReflectionTheme.theme_id)
        .join(ReflectionTheme, ReflectionTheme.reflection_id == Reflection.id)
        .where(or_(Reflection.id.in_(list(by_reflection)), Reflection.learning_question_id.in_(question_ids)))
    )
    for reflection_id, linked_question, theme_id in rows:
        for question_id in by_reflection.get(reflection_id, []):
            themes[question_id].add(theme_id)
        if linked_question in sources:
            themes[linked_question].add(theme_id)
    return themes
