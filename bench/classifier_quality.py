"""Theme classifier quality: dev set next to an honest cross-validation on the corpus.

    .venv/bin/python bench/classifier_quality.py [--dev PATH]

Prints per-theme P/R/F1 on the dev set for the classifier retrained here on the repo corpus only
(the dev set is never seen), dev F1 of the shipped model file and of the lexicon alone, and the
nested 5-fold CV of the WHOLE pipeline on the corpus: per fold, lexicon features, model, blend
weight and thresholds are all refit/rechosen on the training part only.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.themes.classifier import MODEL_PATH, Classifier  # noqa: E402
from server.themes.taxonomy import THEME_IDS  # noqa: E402
from server.themes.train import f1_scores, train_model  # noqa: E402

DEV = Path("/work/shared/data/themes-dev.jsonl")


def evaluate(clf: Classifier, items: list[dict]) -> dict:
    gold = [set(it["themes"]) for it in items]
    pred = [set(clf.classify(it["text"], it.get("kind", "reflection")).themes) for it in items]
    return f1_scores(gold, pred)


def line(name: str, macro: float, micro: float) -> str:
    return f"{name:64s} macro-F1 {macro:.3f}  micro-F1 {micro:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=Path, default=DEV)
    args = ap.parse_args()
    dev = [json.loads(x) for x in args.dev.read_text(encoding="utf-8").splitlines() if x.strip()]

    with tempfile.TemporaryDirectory() as tmp:
        report = train_model(out_path=Path(tmp) / "fresh.npz", evaluate=True)
        fresh = evaluate(Classifier(Path(tmp) / "fresh.npz"), dev)
    shipped = evaluate(Classifier(MODEL_PATH), dev)
    lexicon = evaluate(Classifier(None), dev)

    print(f"dev set: {args.dev} ({len(dev)} items); corpus: {report['items']} items\n")
    print(f"{'theme':26s} {'P':>5s} {'R':>5s} {'F1':>5s} {'n':>3s}   corpus CV F1")
    for t in THEME_IDS:
        v = fresh["per_theme"][t]
        print(f"{t:26s} {v['p']:5.2f} {v['r']:5.2f} {v['f1']:5.2f} {v['support']:3d}   "
              f"{report['cv_per_theme'][t]:.2f}")
    print(f"\nblend weight of the model: {report['blend']} (nested CV folds chose {report['cv_fold_blends']})\n")
    print(line("dev, classifier trained on the corpus only (this run)", fresh["macro_f1"], fresh["micro_f1"]))
    print(line("dev, shipped model file", shipped["macro_f1"], shipped["micro_f1"]))
    print(line("dev, lexicon only (no model)", lexicon["macro_f1"], lexicon["micro_f1"]))
    print(line("corpus, nested 5-fold CV of the whole pipeline (honest)", report["cv_macro_f1"],
               report["cv_micro_f1"]))
    print(line("corpus, out-of-fold, blend/thresholds chosen on it (optimistic)",
               report["oof_tuned_macro_f1"], report["oof_tuned_micro_f1"]))
    print(line("corpus, out-of-fold, model alone at threshold 0.5", report["oof_model_only_macro_f1"],
               report["oof_model_only_micro_f1"]))


if __name__ == "__main__":
    main()
