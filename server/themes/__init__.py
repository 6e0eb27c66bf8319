"""Theme classification for Leerlus: pure Python, offline, explainable (no Flask/Redis/DB)."""

from __future__ import annotations

import json
from typing import IO

from .classifier import Classification, Classifier, Suggestion, TeamTheme, get_classifier
from .language import LANGUAGES, detect_language
from .safety import SafetySignal, detect_safety_signal
from .taxonomy import THEMES, Theme, theme_by_id


def classify_jsonl(in_stream: IO[str], out_stream: IO[str]) -> int:
    """One output line per input line, in order; bad lines get {"error": ...}. Returns the count."""
    clf = get_classifier()
    count = 0
    for line in in_stream:
        if not line.strip():
            continue
        count += 1
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError('expected an object with a "text" string')
            kind = item.get("kind") or "reflection"
            if kind not in ("reflection", "feedback"):
                raise ValueError(f"unknown kind {kind!r}")
            # Any of the six languages; an optional "lang" (the page's language) is only a hint.
            lang = detect_language(item["text"], item.get("lang")).lang
            res = clf.classify(item["text"], kind=kind, lang=lang, semantic=True)
            out = {"themes": res.themes, "scores": res.scores}
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            out = {"error": str(exc)}
        out_stream.write(json.dumps(out, ensure_ascii=False) + "\n")
    out_stream.flush()
    return count


def train_model(corpus_dir=None, out_path=None) -> dict:
    """Retrain from the repo's corpus (imports scikit-learn, so only on demand)."""
    from .train import train_model as _train

    return _train(corpus_dir=corpus_dir, out_path=out_path)


__all__ = [
    "THEMES",
    "Theme",
    "theme_by_id",
    "TeamTheme",
    "Classification",
    "Classifier",
    "Suggestion",
    "get_classifier",
    "detect_safety_signal",
    "detect_language",
    "LANGUAGES",
    "SafetySignal",
    "classify_jsonl",
    "train_model",
]
