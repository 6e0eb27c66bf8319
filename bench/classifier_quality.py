"""Theme classifier quality on the shared dev set, plus the honest numbers.

    .venv/bin/python bench/classifier_quality.py [--dev PATH]

Prints: dev F1 of the shipped model (trained on the repo corpus only, dev set never seen), per-theme
P/R/F1, cross-validated F1 on the corpus, dev F1 of the lexicon alone, and dev F1 of a model
trained WITH the dev set (optimistic, for comparison only; written to a temp file, not shipped).
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


def line(name: str, m: dict) -> str:
    return f"{name:58s} macro-F1 {m['macro_f1']:.3f}  micro-F1 {m['micro_f1']:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=Path, default=DEV)
    args = ap.parse_args()
    dev = [json.loads(x) for x in args.dev.read_text(encoding="utf-8").splitlines() if x.strip()]

    shipped = evaluate(Classifier(MODEL_PATH), dev)
    print(f"dev set: {args.dev} ({len(dev)} items)\n")
    print(f"{'theme':26s} {'P':>5s} {'R':>5s} {'F1':>5s} {'n':>3s}")
    for t in THEME_IDS:
        v = shipped["per_theme"][t]
        print(f"{t:26s} {v['p']:5.2f} {v['r']:5.2f} {v['f1']:5.2f} {v['support']:3d}")
    print()
    with tempfile.TemporaryDirectory() as tmp:
        cv = train_model(out_path=Path(tmp) / "cv.npz")
        with_dev = Path(tmp) / "with_dev.npz"
        train_model(out_path=with_dev, extra_items=dev)
        with_dev_m = evaluate(Classifier(with_dev), dev)
    print(line("dev, shipped model (trained WITHOUT dev)", shipped))
    print(line("dev, lexicon only (no model)", evaluate(Classifier(None), dev)))
    print(line("dev, model trained WITH dev (optimistic)", with_dev_m))
    print(f"{'corpus 5-fold CV, CV-calibrated thresholds (' + str(cv['items']) + ' items)':58s} "
          f"macro-F1 {cv['cv_macro_f1']:.3f}  micro-F1 {cv['cv_micro_f1']:.3f}")
    print(f"{'corpus 5-fold CV, threshold 0.5':58s} "
          f"macro-F1 {cv['cv_macro_f1_threshold_0_5']:.3f}  micro-F1 {cv['cv_micro_f1_threshold_0_5']:.3f}")


if __name__ == "__main__":
    main()
