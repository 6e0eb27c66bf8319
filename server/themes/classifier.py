"""Theme classifier: lexicon evidence + a small linear model, inference without scikit-learn."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .features import Evidence, lexicon_evidence, lexicon_probability, model_features, theme_matcher
from .matching import Matcher, parse_entries
from .taxonomy import THEME_IDS, allowed_ids

MODEL_PATH = Path(__file__).parent / "model" / "themes.npz"
THRESHOLD = 0.5          # scores are calibrated so that every theme's decision threshold is 0.5
SUGGEST_FLOOR = 0.3      # suggestions may go a bit below the threshold
MIN_SCORE = 0.05         # scores below this are left out of `scores`


class TeamTheme(NamedTuple):
    id: str
    label: str
    keywords: list[str]


class Suggestion(NamedTuple):
    id: str
    score: float
    matches: list[str]


@dataclass
class Classification:
    themes: list[str]
    scores: dict[str, float]
    matches: dict[str, list[str]] = field(default_factory=dict)


class LinearModel:
    """One-vs-rest logistic regression weights exported by `train_model`."""

    def __init__(self, path: Path):
        data = np.load(path, allow_pickle=False)
        self.themes = [str(t) for t in data["themes"]]
        self.pos = {t: i for i, t in enumerate(self.themes)}
        self.index = {f: i for i, f in enumerate(str(data["vocab"]).split("\n"))}
        self.weights = data["weights"].astype(np.float64)
        self.intercept = data["intercept"].astype(np.float64)
        self.thresholds = data["thresholds"].astype(np.float64)
        self.blend = float(data["blend"])  # weight of the model probability against the lexicon

    def probabilities(self, feats: dict[str, float]) -> np.ndarray:
        idx, vals = [], []
        for name, value in feats.items():
            i = self.index.get(name)
            if i is not None:
                idx.append(i)
                vals.append(value)
        z = self.intercept + (np.asarray(vals) @ self.weights[idx] if idx else 0.0)
        return 1.0 / (1.0 + np.exp(-z))

    def explain(self, feats: dict[str, float], theme_pos: int, limit: int = 3) -> list[str]:
        """Stems of the words that pushed a theme up the most."""
        scored = []
        for name in feats:
            i = self.index.get(name)
            if i is not None and name.startswith("w:"):
                w = self.weights[i, theme_pos]
                if w > 0.3:
                    scored.append((w, name[2:]))
        return [s for _, s in sorted(scored, reverse=True)[:limit]]


def _calibrate(p: float, threshold: float) -> float:
    """Monotone map of a score in [0, 1] so that `threshold` lands on 0.5."""
    if p < threshold:
        return 0.5 * p / threshold
    return 0.5 + 0.5 * (p - threshold) / (1.0 - threshold)


class Classifier:
    def __init__(self, model_path: Path | None = MODEL_PATH):
        self.model = LinearModel(model_path) if model_path and Path(model_path).exists() else None

    def _theme_scores(self, ev: Evidence, kind: str) -> dict[str, float]:
        allowed = allowed_ids(kind)
        if self.model is None:
            return {t: lexicon_probability(ev.scores.get(t, 0.0)) for t in allowed}
        model = self.model
        probs = model.probabilities(model_features(ev, kind))
        # Blend weight and thresholds were chosen by cross-validation on the corpus (train.py).
        scores = {}
        for t in allowed:
            j = model.pos.get(t)
            if j is not None:
                blended = model.blend * probs[j] + (1.0 - model.blend) * lexicon_probability(ev.scores.get(t, 0.0))
                scores[t] = _calibrate(float(blended), float(model.thresholds[j]))
        return scores

    def _explain(self, ev: Evidence, kind: str, theme: str) -> list[str]:
        if ev.matches.get(theme):
            return ev.matches[theme][:5]
        if self.model is None:
            return []
        pos = self.model.themes.index(theme)
        stems = set(self.model.explain(model_features(ev, kind), pos))
        words = []
        for tok in ev.tokens:
            if tok.stem in stems and tok.text.lower() not in words:
                words.append(tok.text.lower())
        return words

    def _score_all(self, text: str, kind: str, team_themes: Iterable[TeamTheme]):
        kind = "feedback" if kind == "feedback" else "reflection"
        ev = lexicon_evidence(text or "")
        scores = self._theme_scores(ev, kind)
        team_matches: dict[str, list[str]] = {}
        for tt in team_themes:
            found = _team_matcher(tt.id, tt.label, tuple(tt.keywords)).find(ev.tokens)
            surfaces = list(dict.fromkeys(h.surface.lower() for h in found if not h.negated))
            if surfaces:
                team_matches[tt.id] = surfaces
                scores[tt.id] = min(1.0, 0.75 + 0.1 * len(surfaces))
        return ev, kind, scores, team_matches

    def classify(self, text: str, kind: str = "reflection",
                 team_themes: Iterable[TeamTheme] = ()) -> Classification:
        ev, kind, scores, team_matches = self._score_all(text, kind, team_themes)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        themes = [t for t, s in ranked if s >= THRESHOLD]
        matches = {t: team_matches.get(t) or self._explain(ev, kind, t) for t in themes}
        return Classification(
            themes=themes,
            scores={t: round(s, 3) for t, s in ranked if s >= MIN_SCORE},
            matches=matches,
        )

    def suggest(self, text: str, kind: str = "reflection", team_themes: Iterable[TeamTheme] = (),
                limit: int = 5) -> list[Suggestion]:
        ev, kind, scores, team_matches = self._score_all(text, kind, team_themes)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [Suggestion(t, round(s, 3), team_matches.get(t) or self._explain(ev, kind, t))
                for t, s in ranked[:limit] if s >= SUGGEST_FLOOR]


@lru_cache(maxsize=512)
def _team_matcher(theme_id: str, label: str, keywords: tuple[str, ...]) -> Matcher:
    # Single keywords of 5+ letters also match inside compounds, on either side.
    words = [" ".join(k.replace("|", " ").strip("~!^=* ").split()) for k in (*keywords, label)]
    specs = [f"*{k}*" if len(k) >= 5 and " " not in k else k for k in words if k]
    return Matcher(parse_entries(theme_id, "|".join(specs)))


@lru_cache(maxsize=1)
def get_classifier() -> Classifier:
    theme_matcher()  # build the lexicon index now, not on the first request
    return Classifier()


__all__ = ["Classification", "Classifier", "Suggestion", "TeamTheme", "THEME_IDS", "get_classifier"]
