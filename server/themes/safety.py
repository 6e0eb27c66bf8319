"""Safety signals: high-precision rules for texts that clearly describe acute unsafety.

A signal makes the app show the meldcode steps, so precision matters more than recall: the
rules need an act of violence (or explicit abuse) plus a victim context, and are dropped when
negated ("geen signalen van huiselijk geweld") or hypothetical ("als er ooit geweld is").
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .text import fold


class SafetySignal(NamedTuple):
    kind: str  # 'huiselijk-geweld' | 'kindermishandeling' | 'seksueel-geweld' | 'ouderenmishandeling'
    matches: list[str]


_CHILD = (
    r"(?:kind|kinderen|kids|zoon|zoontje|dochter|dochtertje|baby|peuter|jongen|meisje|zusje|broertje|"
    r"\w*kind\w*|oudste|jongste|leerling)"
)
_PARTNER = (
    r"(?:man|vrouw|partner|vriend|vriendin|ex|echtgenoot|echtgenote|vader|moeder|stiefvader|"
    r"zoon|broer|schoonzoon|hij|zij)"
)
_HIT = (
    r"(?:sla(?:at|an)|sloeg|sloegen|geslagen|schopt|schopte|geschopt|wurgt|wurgde|gewurgd|duwt|duwde|"
    r"geduwd|een duw|knijpt|kneep|mishandelt|mishandelde|mishandeld|bedreigt|bedreigde|bedreigd|"
    r"gooit\s+\w*\s*met|sloot\s+\w+\s+op|opgesloten|klappen|een klap|tikken|trapt|trapte|"
    r"verbrand\w*|brandwond\w*|bijt|beet)"
)

# (kind, pattern) -- patterns run on folded text; each needs an act and a victim/relationship.
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("kindermishandeling", re.compile(r"\b(?:kindermishandeling|kindverwaarlozing)\b")),
    ("kindermishandeling", re.compile(rf"\b{_HIT}\b[^.!?]{{0,40}}\b{_CHILD}\b")),
    (
        "kindermishandeling",
        re.compile(
            rf"\b{_CHILD}\b[^.!?]{{0,60}}\b(?:{_HIT}|blauwe plek\w*|striemen|"
            rf"brandplek\w*)\b"
        ),
    ),
    (
        "kindermishandeling",
        re.compile(
            r"\bblauwe plek\w*\b[^.!?]{0,60}\b(?:arm|armen|bovenarm|rug|gezicht|nek|"
            r"billen|benen)\b"
        ),
    ),
    (
        "seksueel-geweld",
        re.compile(
            r"\b(?:verkracht\w*|aangerand|aanranding|seksueel misbruik\w*|"
            r"misbruikt|incest|loverboy\w*|seksueel geweld|sexueel geweld)\b"
        ),
    ),
    (
        "ouderenmishandeling",
        re.compile(
            r"\b(?:ouderenmishandeling|financiele uitbuiting|"
            r"financieel uitgebuit)\b"
        ),
    ),
    (
        "huiselijk-geweld",
        re.compile(
            r"\b(?:huiselijk geweld|partnergeweld|eergerelateerd\w*|huisverbod|"
            r"vrouwenopvang|blijf van mijn lijf)\b"
        ),
    ),
    (
        "huiselijk-geweld",
        re.compile(
            rf"\b{_PARTNER}\b[^.!?]{{0,40}}\b{_HIT}\b[^.!?]{{0,25}}"
            r"\b(?:haar|hem|mij|me|zijn vrouw|zijn moeder|haar man|elkaar)\b"
        ),
    ),
    (
        "huiselijk-geweld",
        re.compile(
            rf"\b{_PARTNER}\b[^.!?]{{0,20}}\b(?:haar|hem|mij|me)\b[^.!?]{{0,25}}"
            rf"\b{_HIT}\b"
        ),
    ),
    (
        "huiselijk-geweld",
        re.compile(
            rf"\b{_HIT}\b[^.!?]{{0,30}}\b(?:haar|zijn|mijn) (?:vrouw|man|partner|"
            r"vriendin|vriend|moeder|vader)\b"
        ),
    ),
    (
        "huiselijk-geweld",
        re.compile(
            r"\b(?:dreigt|dreigde|gedreigd)\b[^.!?]{0,30}\b(?:vermoorden|dood te maken|"
            r"doodmaken|iets aan te doen)\b"
        ),
    ),
]

# Negations and hypotheticals in the same sentence, before the match.
_CANCEL = re.compile(
    r"\b(?:geen|niet|nooit|zonder)\b[^.!?]{0,40}$"
    r"|\b(?:geen (?:signalen|aanwijzingen|sprake)|uitgesloten|als er ooit|mocht er|stel dat|"
    r"voor het geval|zou kunnen|training|scholing|cursus|voorlichting|folder|thema-avond|"
    r"in het algemeen|vroeger)\b[^.!?]*$"
)
_CANCEL_AFTER = re.compile(r"^[^.!?]{0,30}\b(?:uitgesloten|niet aan de orde|was niet|is niet|geen sprake)\b")


def detect_safety_signal(text: str) -> SafetySignal | None:
    folded = fold(text or "")
    found: dict[str, list[str]] = {}
    for kind, pattern in _RULES:
        for m in pattern.finditer(folded):
            before = folded[max(0, m.start() - 80) : m.start()]
            sentence_before = re.split(r"[.!?]", before)[-1]
            if _CANCEL.search(sentence_before) or _CANCEL_AFTER.search(folded[m.end() : m.end() + 40]):
                continue
            snippet = " ".join(m.group(0).split())
            found.setdefault(kind, [])
            if snippet not in found[kind]:
                found[kind].append(snippet)
    if not found:
        return None
    order = ["kindermishandeling", "seksueel-geweld", "huiselijk-geweld", "ouderenmishandeling"]
    kind = next(k for k in order if k in found)
    return SafetySignal(kind, [s for k in order for s in found.get(k, [])])
