"""The reflection service's rules, once for the view and the worker (no database, no app)."""

import ast
from pathlib import Path

from server.models import Reflection, ReflectionTheme
from server.services import reflections

ROOT = Path(__file__).resolve().parents[2]


def _themes(reflection: Reflection) -> list[tuple[str, str]]:
    return sorted((theme.theme_id, theme.source) for theme in reflection.themes)


def _guess(theme_id: str) -> ReflectionTheme:
    return ReflectionTheme(theme_id=theme_id, source="classifier", score=0.5, matched=[])


def test_the_authors_chips_replace_earlier_chips_and_the_classifiers_guess_for_them():
    reflection = Reflection(themes=[_guess("regie"), _guess("netwerk")])
    reflections.set_author_themes(reflection, ["netwerk", "taal", "taal"], suggested=["taal"])
    assert _themes(reflection) == [("netwerk", "author"), ("regie", "classifier"), ("taal", "suggested")]

    reflections.set_author_themes(reflection, ["regie"], suggested=[])
    assert _themes(reflection) == [("regie", "author")]


def test_the_classifier_only_adds_what_the_author_did_not_choose():
    chips = [ReflectionTheme(theme_id="netwerk", source="author", matched=[])]
    kept = reflections._chips_win(chips, [_guess("netwerk"), _guess("regie")])
    assert [(t.theme_id, t.source) for t in kept] == [("netwerk", "author"), ("regie", "classifier")]


def test_the_safety_flag_follows_the_raw_text_on_every_write():
    reflection = Reflection(
        what_happened="Haar vriend sloeg haar gisteravond, ze had een dikke lip.", noticed=None, why=""
    )
    reflections.flag_safety(reflection)
    assert reflection.safety_signal == "huiselijk-geweld"

    reflection.what_happened = "Een goed gesprek over de buurt."
    reflections.flag_safety(reflection)
    assert reflection.safety_signal is None


def _calls(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text())
    return {
        node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }


def test_the_view_and_the_job_leave_the_rules_to_the_service():
    """The chips rule and the safety flag are written once: neither edge writes themes or flags itself."""
    for edge in ("server/api/reflections.py", "workers/reflections.py"):
        calls = _calls(edge)
        assert not calls & {"detect_safety_signal", "ReflectionTheme", "deidentify", "classify"}, edge
