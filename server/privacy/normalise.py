"""Text normalisation that runs before any PII detection."""

import re
import unicodedata

# Invisible characters that split a name past every detector ("Jan\u200bsen") or
# reorder what a reader sees (bidi overrides). Soft hyphen is included: it is
# invisible in rendered text and splits words just like a zero-width space.
_INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # arabic letter mark
    "\u180e"  # mongolian vowel separator
    "\u200b-\u200f"  # zero-width space/non-joiner/joiner, LRM, RLM
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # bidi isolates
    "\ufeff"  # zero-width no-break space / BOM
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")


def normalise_text(text: str) -> str:
    """NFKC-normalise and strip zero-width and bidi-control characters."""
    if not text:
        return ""
    return _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text))
