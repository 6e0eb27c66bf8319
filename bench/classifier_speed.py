"""Theme classifier throughput on one core, relative to plain tokenisation in the same run.

    .venv/bin/python bench/classifier_speed.py [--n 3000]
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.themes import get_classifier  # noqa: E402
from server.themes.text import plain_tokens  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "server" / "themes" / "corpus"


def rate(fn, texts) -> float:
    start = time.perf_counter()
    for kind, text in texts:
        fn(text, kind)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    args = ap.parse_args()
    base = [json.loads(x) for p in sorted(CORPUS.glob("*.jsonl")) for x in p.read_text().splitlines() if x]
    # Unique texts so the per-word caches do not hide the cost of unseen text entirely.
    texts = [(it["kind"], f"{it['text']} (notitie {i})") for i, it in
             zip(range(args.n), (base[i % len(base)] for i in range(args.n)), strict=True)]
    t0 = time.perf_counter()
    clf = get_classifier()
    load_ms = (time.perf_counter() - t0) * 1000
    tok = rate(lambda text, kind: plain_tokens(text), texts)
    cold = rate(lambda text, kind: clf.classify(text, kind=kind), texts)
    warm = rate(lambda text, kind: clf.classify(text, kind=kind), texts)
    print(f"model load (get_classifier): {load_ms:.0f} ms")
    print(f"plain tokenisation:   {tok:10.0f} texts/s")
    print(f"classify, first pass: {cold:10.0f} texts/s  ({tok / cold:.0f}x slower than tokenising)")
    print(f"classify, warm cache: {warm:10.0f} texts/s  ({tok / warm:.0f}x slower than tokenising)")


if __name__ == "__main__":
    main()
