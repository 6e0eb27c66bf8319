"""Theme classifier throughput on one core, relative to plain tokenisation in the same run.

    .venv/bin/python bench/classifier_speed.py [--n 3000] [--chars 300]

Texts are corpus items joined to about --chars characters (a typical reflection), each made
unique so the per-word caches do not hide the cost of unseen text entirely. Times are CPU time of
this process (one core), which stays meaningful when other jobs share the machine.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CORPUS = Path(__file__).resolve().parents[1] / "server" / "themes" / "corpus"


def rate(fn, texts) -> float:
    start = time.process_time()
    for kind, text in texts:
        fn(text, kind)
    return len(texts) / (time.process_time() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--chars", type=int, default=300)
    args = ap.parse_args()
    t0 = time.process_time()
    from server.themes import get_classifier
    from server.themes.text import plain_tokens

    imported = time.process_time()
    clf = get_classifier()
    loaded = time.process_time()
    base = [json.loads(x) for p in sorted(CORPUS.glob("*.jsonl")) for x in p.read_text().splitlines() if x]
    texts = []
    for i in range(args.n):
        parts, j = [base[i % len(base)]["text"]], i
        while sum(len(p) for p in parts) < args.chars:
            j += 1
            parts.append(base[j % len(base)]["text"])
        texts.append((base[i % len(base)]["kind"], " ".join(parts) + f" (notitie {i})"))
    mean_chars = sum(len(t) for _, t in texts) / len(texts)
    tok = rate(lambda text, kind: plain_tokens(text), texts)
    cold = rate(lambda text, kind: clf.classify(text, kind=kind), texts)
    warm = rate(lambda text, kind: clf.classify(text, kind=kind), texts)
    print(
        f"import server.themes: {(imported - t0) * 1000:.0f} ms CPU; "
        f"get_classifier (lexicon index + model): {(loaded - imported) * 1000:.0f} ms CPU"
    )
    print(f"{len(texts)} texts, {mean_chars:.0f} characters on average")
    print(f"plain tokenisation:   {tok:10.0f} texts/s")
    print(f"classify, first pass: {cold:10.0f} texts/s  ({tok / cold:.0f}x slower than tokenising)")
    print(f"classify, warm cache: {warm:10.0f} texts/s  ({tok / warm:.0f}x slower than tokenising)")


if __name__ == "__main__":
    main()
