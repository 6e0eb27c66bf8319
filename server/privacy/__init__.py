"""De-identification of free text (reflections, resident comments).

Pure Python: no Flask, Redis or database. See docs/deidentification.md.
"""

from .deidentify import (
    Deidentifier,
    cache_dir,
    deidentify,
    get_deidentifier,
    warm_cache,
)
from .normalise import normalise_text
from .spans import Span

__all__ = [
    "Deidentifier",
    "Span",
    "cache_dir",
    "deidentify",
    "get_deidentifier",
    "normalise_text",
    "warm_cache",
]
