"""Theme classifier: lexicon evidence + a small linear model, inference without scikit-learn."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from server.privacy.placeholders import without_placeholders

from . import multilingual
from .features import Evidence, lexicon_evidence, lexicon_probability, model_features, theme_matcher
from .language import LANGUAGES, detect_language
from .matching import Matcher, parse_entries
from .semantic import load_semantic_model, needs_e5
from .taxonomy import THEME_IDS, allowed_ids

MODEL_PATH = Path(__file__).parent / "model" / "themes.npz"
SEMANTIC_PATH = Path(__file__).parent / "model" / "semantic.npz"
THRESHOLD = 0.5  # scores are calibrated so that every theme's decision threshold is 0.5
SUGGEST_FLOOR = 0.3  # suggestions may go a bit below the threshold
MIN_SCORE = 0.05  # scores below this are left out of `scores`


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
    lang: str = "nl"  # the language the text was classified in (detected unless given)
    # The fast path was unsure (semantic.needs_e5) and e5 did not score the text: classifying it
    # again with semantic=True may change its themes (the worker's refine job).
    refinable: bool = False


class LinearModel:
    """One-vs-rest logistic regression weights exported by `train_model`."""

    def __init__(self, path: Path):
        data = np.load(path, allow_pickle=False)
        self.themes = [str(t) for t in data["themes"]]
        self.pos = {t: i for i, t in enumerate(self.themes)}
        self.index = {f: i for i, f in enumerate(str(data["vocab"]).split("\n"))}
        self.weights = data["weights"].astype(np.float64)
        # One extra zero row: unknown features look up index -1 and add nothing, no masking needed.
        self._padded = np.vstack([self.weights, np.zeros((1, self.weights.shape[1]))])
        self.intercept = data["intercept"].astype(np.float64)
        self.thresholds = data["thresholds"].astype(np.float64)
        self.blend = float(data["blend"])  # weight of the model probability against the lexicon
        # Per kind: positions and ids of the themes that may be returned.
        self.allowed = {
            kind: (
                np.array([self.pos[t] for t in allowed_ids(kind) if t in self.pos], dtype=np.intp),
                [t for t in allowed_ids(kind) if t in self.pos],
            )
            for kind in ("reflection", "feedback")
        }

    def probabilities(self, feats: dict[str, float]) -> np.ndarray:
        get, n = self.index.get, len(feats)
        idx = np.fromiter([get(name, -1) for name in feats], np.intp, n)
        vals = np.fromiter(feats.values(), np.float64, n)
        z = self.intercept + vals @ self._padded[idx]
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


def _calibrate(scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Monotone map of scores in [0, 1] so that each theme's threshold lands on 0.5."""
    return np.where(
        scores < thresholds, 0.5 * scores / thresholds, 0.5 + 0.5 * (scores - thresholds) / (1.0 - thresholds)
    )


class Classifier:
    def __init__(self, model_path: Path | None = MODEL_PATH, semantic_path: Path | None = SEMANTIC_PATH):
        self.model = LinearModel(model_path) if model_path and Path(model_path).exists() else None
        self.semantic_path = semantic_path  # the worker's e5 path (semantic.py), loaded on first use

    def semantic_model(self):
        return load_semantic_model(self.semantic_path) if self.semantic_path else None

    def _theme_scores(
        self, ev: Evidence, kind: str, text: str | None = None
    ) -> tuple[dict[str, float], dict[str, float], np.ndarray | None, bool]:
        """Scores per allowed theme, the model features (reused to explain), on the semantic path
        (`text` given, worker only) the text's e5 vector, and whether e5 would have scored a text
        that it did not (`Classification.refinable`)."""
        if self.model is None:
            return {t: lexicon_probability(ev.scores.get(t, 0.0)) for t in allowed_ids(kind)}, {}, None, False
        model = self.model
        feats = model_features(ev, kind)
        lex = np.zeros(len(model.themes))
        for theme, score in ev.scores.items():
            lex[model.pos[theme]] = lexicon_probability(score)
        probs = model.probabilities(feats)
        positions, ids = model.allowed[kind]
        # Blend weight and thresholds were chosen by cross-validation on the corpus (train.py).
        fast = _calibrate(model.blend * probs + (1.0 - model.blend) * lex, model.thresholds)[positions]
        unsure = bool(needs_e5(fast))
        semantic = (
            _semantic_scores(self.semantic_model(), text, probs, lex, model.themes)
            if text and text.strip() and unsure
            else None
        )
        if semantic is not None:
            calibrated, vector = semantic
            return dict(zip(ids, calibrated[positions].tolist(), strict=True)), feats, vector, False
        return dict(zip(ids, fast.tolist(), strict=True)), feats, None, unsure and text is None

    def _explain(
        self, ev: Evidence, feats: dict[str, float], theme: str, vector: np.ndarray | None = None
    ) -> list[str]:
        """The matched words; else the words the model weighs for this theme; else (semantic
        path) the nearest corpus phrase with this theme."""
        if ev.matches.get(theme):
            return ev.matches[theme][:5]
        if self.model is None:
            return []
        stems = set(self.model.explain(feats, self.model.pos[theme]))
        words = []
        for tok in ev.tokens:
            if tok.stem in stems and tok.text.lower() not in words:
                words.append(tok.text.lower())
        if not words and vector is not None:
            sem = self.semantic_model()
            phrase = sem.nearest_phrase(vector, theme) if sem is not None else None
            return [phrase] if phrase else []
        return words

    def _score_all(self, text: str, kind: str, team_themes: Iterable[TeamTheme], semantic: bool = False):
        kind = "feedback" if kind == "feedback" else "reflection"
        ev = lexicon_evidence(text or "")
        scores, feats, vector, refinable = self._theme_scores(ev, kind, text if semantic else None)
        team_matches: dict[str, list[str]] = {}
        for tt in team_themes:
            found = _team_matcher(tt.id, tt.label, tuple(tt.keywords)).find(ev.tokens, ev.scopes)
            surfaces = list(dict.fromkeys(h.surface.lower() for h in found if not h.negated))
            if surfaces:
                team_matches[tt.id] = surfaces
                scores[tt.id] = min(1.0, 0.75 + 0.1 * len(surfaces))
        return ev, feats, scores, team_matches, vector, refinable

    def classify(
        self,
        text: str,
        kind: str = "reflection",
        team_themes: Iterable[TeamTheme] = (),
        lang: str | None = None,
        semantic: bool = False,
    ) -> Classification:
        """Themes of a text. `lang` None: detect it (resident comments come in six languages);
        non-Dutch text goes to the multilingual path (per-language lexicons + e5 embeddings).
        `semantic` (worker, CLI): Dutch text the fast path is unsure about (semantic.needs_e5) also
        gets e5 embeddings as a third source, with its own weights and thresholds (semantic.py);
        without the embedding model, the fast path."""
        # Placeholders ("[naam 1]", "[school]") are no words of the author: not for the language,
        # the embedding or the lexicons (tokenize drops them too, for suggest and training).
        text = without_placeholders(text or "")
        if lang is None:
            lang = detect_language(text).lang
        if lang != "nl" and lang in LANGUAGES:
            return self._classify_intl(text, kind, lang)
        ev, feats, scores, team_matches, vector, refinable = self._score_all(
            text, kind, team_themes, semantic
        )
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        themes = [t for t, s in ranked if s >= THRESHOLD]
        matches = {t: team_matches.get(t) or self._explain(ev, feats, t, vector) for t in themes}
        return Classification(
            themes=themes,
            scores={t: round(s, 3) for t, s in ranked if s >= MIN_SCORE},
            matches=matches,
            refinable=refinable and bool(text.strip()) and self.semantic_model() is not None,
        )

    @staticmethod
    def _classify_intl(text: str, kind: str, lang: str) -> Classification:
        kind = "feedback" if kind == "feedback" else "reflection"
        scores, explained = multilingual.classify_intl(text or "", lang, kind)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        themes = [t for t, s in ranked if s >= THRESHOLD]
        return Classification(
            themes=themes,
            scores={t: s for t, s in ranked if s >= MIN_SCORE},
            matches={t: explained.get(t, []) for t in themes},
            lang=lang,
        )

    def suggest(
        self, text: str, kind: str = "reflection", team_themes: Iterable[TeamTheme] = (), limit: int = 5
    ) -> list[Suggestion]:
        ev, feats, scores, team_matches, *_ = self._score_all(text, kind, team_themes)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [
            Suggestion(t, round(s, 3), team_matches.get(t) or self._explain(ev, feats, t))
            for t, s in ranked[:limit]
            if s >= SUGGEST_FLOOR
        ]


def _semantic_scores(
    sem, text: str, model_p: np.ndarray, lexicon_p: np.ndarray, themes: list[str]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Calibrated three-source scores and the e5 vector, or None (fast path) when the semantic
    model or the embedder is not available."""
    if sem is None or sem.themes != themes:
        return None
    vectors = multilingual.embed([text])  # by module: tests count the calls
    if vectors is None:
        return None
    return sem.blend(model_p, lexicon_p, sem.e5_probabilities(vectors[0])), vectors[0]


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
