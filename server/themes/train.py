"""Reproducible training of the theme model (needs scikit-learn; inference does not).

    python -m server.themes.train            # writes server/themes/model/themes.npz
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from .classifier import MODEL_PATH
from .features import lexicon_evidence, model_features
from .taxonomy import THEME_IDS, THEMES

CORPUS_DIR = Path(__file__).parent / "corpus"
SEED = 13
FOLDS = 5
C = 0.5
MIN_DF = 2
_ALWAYS_KEEP = ("L:", "S:", "FL:", "N:", "K:")
_ERVARING = {t.id for t in THEMES if t.group == "ervaring"}


def load_items(corpus_dir: Path | str | None = None) -> list[dict]:
    items = []
    for path in sorted(Path(corpus_dir or CORPUS_DIR).glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            items += [json.loads(line) for line in fh if line.strip()]
    return items


def featurize(items: list[dict]) -> list[dict[str, float]]:
    return [model_features(lexicon_evidence(it["text"]), it.get("kind", "reflection")) for it in items]


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
        lr = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=SEED)
        lr.fit(X[rows], y)
        weights[:, j] = lr.coef_[0]
        intercept[j] = lr.intercept_[0]
    return vec.get_feature_names_out().tolist(), weights, intercept


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


def f1_scores(gold: list[set[str]], pred: list[set[str]], themes=THEME_IDS) -> dict:
    per = {}
    tp_all = fp_all = fn_all = 0
    for t in themes:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if t not in g and t in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t not in p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[t] = {"p": prec, "r": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
                  "support": tp + fn}
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    scored = [v["f1"] for v in per.values() if v["support"]]
    return {"micro_f1": 2 * tp_all / (2 * tp_all + fp_all + fn_all) if tp_all else 0.0,
            "macro_f1": sum(scored) / len(scored) if scored else 0.0, "per_theme": per}


def _allowed(kind: str) -> list[int]:
    return [j for j, t in enumerate(THEME_IDS) if kind == "feedback" or t not in _ERVARING]


def _decide(probs, kinds, thresholds) -> list[set[str]]:
    return [{THEME_IDS[j] for j in _allowed(k) if p[j] >= thresholds[j]} for p, k in zip(probs, kinds, strict=True)]


def train_model(corpus_dir=None, out_path=None, extra_items=None) -> dict:
    """Cross-validate on the corpus, calibrate per-theme thresholds on the out-of-fold
    predictions, fit on everything and export a compact .npz. Fixed seeds: reproducible."""
    from sklearn.model_selection import KFold

    items = load_items(corpus_dir) + list(extra_items or [])
    feats = featurize(items)
    labels = [set(it["themes"]) for it in items]
    kinds = [it.get("kind", "reflection") for it in items]
    oof = np.zeros((len(items), len(THEME_IDS)))
    for train_idx, test_idx in KFold(FOLDS, shuffle=True, random_state=SEED).split(items):
        vocab, w, b = _fit(feats, labels, kinds, list(train_idx))
        oof[test_idx] = _predict(vocab, w, b, [feats[i] for i in test_idx])
    thresholds = np.full(len(THEME_IDS), 0.5)
    grid = np.arange(0.2, 0.81, 0.05)
    for j, theme in enumerate(THEME_IDS):
        rows = [i for i, k in enumerate(kinds) if theme not in _ERVARING or k == "feedback"]
        gold = np.array([theme in labels[i] for i in rows])
        best = max(grid, key=lambda th, j=j, rows=rows, gold=gold: (
            _f1(gold, oof[rows, j] >= th), -abs(th - 0.5)))
        thresholds[j] = round(float(best), 2)
    cv_fixed = f1_scores(labels, _decide(oof, kinds, np.full(len(THEME_IDS), 0.5)))
    cv_tuned = f1_scores(labels, _decide(oof, kinds, thresholds))

    vocab, w, b = _fit(feats, labels, kinds, list(range(len(items))))
    used = np.abs(w).max(axis=1) > 1e-3
    vocab = [f for f, u in zip(vocab, used, strict=True) if u]
    out = Path(out_path or MODEL_PATH)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, themes=np.array(THEME_IDS), vocab=np.array("\n".join(vocab)),
                        weights=w[used].astype(np.float32), intercept=b.astype(np.float32),
                        thresholds=thresholds.astype(np.float32))
    return {
        "items": len(items), "features": len(vocab), "model_path": str(out),
        "cv_micro_f1": round(cv_tuned["micro_f1"], 3), "cv_macro_f1": round(cv_tuned["macro_f1"], 3),
        "cv_micro_f1_threshold_0_5": round(cv_fixed["micro_f1"], 3),
        "cv_macro_f1_threshold_0_5": round(cv_fixed["macro_f1"], 3),
        "thresholds": dict(zip(THEME_IDS, thresholds.round(2).tolist(), strict=True)),
        "cv_per_theme": {t: round(v["f1"], 3) for t, v in cv_tuned["per_theme"].items()},
    }


def _f1(gold: np.ndarray, pred: np.ndarray) -> float:
    tp = float((gold & pred).sum())
    denom = float(gold.sum() + pred.sum())
    return 2 * tp / denom if denom else 0.0


if __name__ == "__main__":
    json.dump(train_model(), sys.stdout, indent=2)
    print()
