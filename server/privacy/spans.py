"""The Span type shared by all detectors, and overlap resolution."""

from typing import NamedTuple

# Which category wins when two equally long spans overlap.
PRIORITY = {
    "EMAIL": 100,
    "URL": 95,
    "IBAN": 90,
    "BSN": 85,
    "TELEFOON": 80,
    "POSTCODE": 70,
    "ADRES": 60,
    "DATUM": 50,
    "PERSOON": 40,
    "SCHOOL": 35,
    "PRAKTIJK": 35,
    "INSTELLING": 34,
    "LEEFTIJD": 30,
    "NUMMER": 20,
}


class Span(NamedTuple):
    """A detected piece of PII: character offsets into the normalised text."""

    start: int
    end: int
    category: str
    text: str


def resolve_overlaps(spans: list[Span], text: str) -> list[Span]:
    """Keep the longest span where spans overlap (ties: higher priority), sorted.

    A span that only partially overlaps a kept span widens it instead of being
    dropped, so the uncovered part of, say, a name cannot leak.
    """
    ranked = sorted(spans, key=lambda s: (-(s.end - s.start), -PRIORITY[s.category], s.start))
    kept: list[Span] = []
    for span in ranked:
        for i, k in enumerate(kept):
            if span.start < k.end and k.start < span.end:
                kept[i] = k._replace(start=min(k.start, span.start), end=max(k.end, span.end))
                break
        else:
            kept.append(span)
    merged: list[Span] = []
    for span in sorted(kept):
        if merged and span.start < merged[-1].end:
            merged[-1] = merged[-1]._replace(end=max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return [s._replace(text=text[s.start : s.end]) for s in merged]
