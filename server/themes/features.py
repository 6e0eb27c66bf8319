"""Shared by training and inference: lexicon evidence and model features for one text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import FIXED_EXPRESSIONS, LEXICON
from .matching import Hit, Matcher, negation_scopes, parse_entries
from .taxonomy import THEMES
from .text import BREAKS, Token, tokenize

MAX_EVIDENCE = 3.0
LEXICON_RATE = 0.7  # one strong term (or three weak ones) gives a lexicon probability of ~0.5
# Age written as "mw (84)", "is 79", "van in de 80": weak evidence for ouderen-mantelzorg.
_AGE_RE = re.compile(
    r"(?:\(|\bis |\bvan |\bin de |\bbijna |\bruim )(6[5-9]|[7-9]\d|10[0-5])\b"
    r"(?!\s*(?:euro|€|%|min|minuten|uur|dagen|weken|maanden|keer|kilo|km))"
)
# BW is bewindvoering next to money talk, beschermd wonen otherwise.
_BW_MONEY = frozenset({"geldzorgen-schulden"})
FIXED = "_fixed"  # owner key of the fixed expressions


@lru_cache(maxsize=1)
def theme_matcher() -> Matcher:
    terms = []
    for theme in THEMES:
        terms += parse_entries(theme.id, LEXICON[theme.id], negatable=theme.group == "leren")
    return Matcher(terms + parse_entries(FIXED, FIXED_EXPRESSIONS, negatable=False))


@dataclass
class Evidence:
    tokens: list[Token]
    scopes: list[bool]  # per token: negated?
    hits: list[Hit]
    scores: dict[str, float] = field(default_factory=dict)  # summed, capped weights
    strong: set[str] = field(default_factory=set)
    matches: dict[str, list[str]] = field(default_factory=dict)  # theme -> surfaces, strong first
    negated: dict[str, list[str]] = field(default_factory=dict)
    fixed: dict[int, str] = field(default_factory=dict)  # token index -> fixed expression covering it


def lexicon_evidence(text: str) -> Evidence:
    tokens = tokenize(text)
    scopes = negation_scopes(tokens)
    hits = theme_matcher().find(tokens, scopes)
    fixed = {}
    for hit in hits:
        if hit.term.key == FIXED:
            fixed.update(dict.fromkeys(range(hit.start, hit.end), " ".join(hit.term.words)))
    if fixed:  # words inside a fixed expression are no theme evidence
        hits = [h for h in hits if h.term.key != FIXED and not any(i in fixed for i in range(h.start, h.end))]
    ev = Evidence(tokens, scopes, hits, fixed=fixed)
    per_theme: dict[str, dict[str, float]] = {}
    for hit in hits:
        theme = hit.term.key
        surface = hit.surface.lower()
        if hit.negated:
            ev.negated.setdefault(theme, []).append(surface)
            continue
        bucket = per_theme.setdefault(theme, {})
        bucket[surface] = max(bucket.get(surface, 0.0), hit.term.weight)
    if any(t.text == "BW" for t in tokens):
        targets = (
            ["geldzorgen-schulden"] if _BW_MONEY & per_theme.keys() else ["wonen", "psychische-gezondheid"]
        )
        for theme in targets:
            per_theme.setdefault(theme, {})["bw"] = 1.0
    age = _AGE_RE.search(text)
    if age:
        per_theme.setdefault("ouderen-mantelzorg", {})[age.group(1) + " jaar"] = 0.6
    for theme, bucket in per_theme.items():
        ranked = sorted(bucket.items(), key=lambda kv: (-kv[1], kv[0]))
        # Nested matches ("schuld" inside "schuldhulpverlening") must not count twice.
        kept = [s for s, _ in ranked if not any(s != o and s in o for o, _ in ranked)]
        ev.scores[theme] = min(MAX_EVIDENCE, sum(bucket[s] for s in kept))
        ev.matches[theme] = kept
        if any(bucket[s] >= 1.0 for s in kept):
            ev.strong.add(theme)
    return ev


def lexicon_probability(score: float) -> float:
    return 1.0 - math.exp(-LEXICON_RATE * score)


@lru_cache(maxsize=100_000)
def _char_grams(light: str) -> tuple[str, ...]:
    padded = "<" + light + ">"
    return tuple("c:" + padded[i : i + 4] for i in range(len(padded) - 3))


def model_features(ev: Evidence, kind: str) -> dict[str, float]:
    """Sparse features: stemmed words (negated ones marked), bigrams, char 4-grams, lexicon evidence."""
    feats: dict[str, float] = {}
    prev = None
    for i, (tok, negated) in enumerate(zip(ev.tokens, ev.scopes, strict=True)):
        if tok.low in BREAKS:
            prev = None
            continue
        if i in ev.fixed:  # one feature for the whole expression, none for its words
            feats["i:" + ev.fixed[i]] = 1.0
            prev = None
            continue
        stem = tok.stem
        feats[("n:" if negated else "w:") + stem] = 1.0
        if prev is not None:
            feats["b:" + prev + "_" + stem] = 1.0
        prev = stem
        if len(tok.low) >= 6 and not negated:
            feats.update(dict.fromkeys(_char_grams(tok.light), 0.3))
    for theme, score in ev.scores.items():
        feats["L:" + theme] = score
        if theme in ev.strong:
            feats["S:" + theme] = 1.0
        if kind == "feedback":
            feats["FL:" + theme] = score
    for theme in ev.negated:
        if theme not in ev.scores:
            feats["N:" + theme] = 1.0
    feats["K:" + kind] = 1.0
    return feats
