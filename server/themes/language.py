"""Which of the six resident languages a comment is written in (offline, deterministic).

The feedback page's language is only a hint: people answer in the language they write best.
Arabic and Cyrillic script decide on their own (of our six languages only Arabic and Ukrainian
use them). Latin-script text of 3+ words goes to lingua-language-detector (model inside the wheel, restricted
to our languages, low-accuracy mode: 40 MB instead of 275 MB, and no misses on the dev sets beyond
one-word comments). One- and two-word comments ("top", "dank je") are too short for any detector:
they keep the hint. If lingua fails to load, Turkish and Polish letters still decide, the rest
keeps the hint, and `status()` says so (reported in /readyz).
"""

from __future__ import annotations

import logging
import re
import threading
from typing import NamedTuple

log = logging.getLogger(__name__)

LANGUAGES = ("nl", "en", "tr", "ar", "pl", "uk")
NAMES_NL = {
    "nl": "Nederlands",
    "en": "Engels",
    "tr": "Turks",
    "ar": "Arabisch",
    "pl": "Pools",
    "uk": "Oekraïens",
}

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]{2,}")
# Letters that only one of our Latin-script languages uses.
_TURKISH = re.compile(r"[ğşıİĞŞ]")
_POLISH = re.compile(r"[ąęłńśźżĄĘŁŃŚŹŻ]")
# Arabic written in Latin letters ("arabizi": "3andi", "ma 7ada", "m3a") uses digits for the sounds
# Latin letters lack; lingua has no model for it and reads it as Turkish or English.
_ARABIZI = re.compile(
    r"(?<![^\W_])(?:[a-z]+[235679][a-z]+|[235679](?!(?:de|ste|e)\b)[a-z]{2,})(?![^\W_])"
)  # lower case only: "NL27INGB", "3de keer" and "mp3" are no arabizi
MIN_ARABIZI = 2
# Residents keep Dutch service words in their own language ("the huur problem", "uitkering hala
# gelmedi"); a few of them tip lingua to Dutch, so they are left out before it decides.
_DUTCH_SERVICE_WORDS = re.compile(
    r"(?<![^\W_])(?:wijkteam|gemeente|huur|huurtoeslag|zorgtoeslag|toeslag(?:en)?|uitkering|schuld(?:en)?|"
    r"schuldhulp|bewind|bewindvoerder|woningcorporatie|woco|woning|tolk|huisarts|jeugdzorg|thuiszorg|"
    r"mantelzorg|inburgering|deurwaarder|aanmaning|consultatiebureau|wijkteammedewerker)(?![^\W_])",
    re.IGNORECASE,
)
MIN_WORDS = 3  # shorter comments keep the hint
MIN_CONFIDENCE = 0.6  # lingua's relative confidence below this keeps the hint


class Detection(NamedTuple):
    lang: str
    confidence: float
    method: str  # "script", "arabizi", "letters", "lingua", "hint"


_detector = None
_detector_error: str | None = None
_lock = threading.Lock()


def _lingua():
    """The lingua detector, built once; None (logged) when the package fails to load."""
    global _detector, _detector_error
    with _lock:
        if _detector is None and _detector_error is None:
            try:
                from lingua import Language, LanguageDetectorBuilder

                langs = {
                    Language.DUTCH: "nl",
                    Language.ENGLISH: "en",
                    Language.TURKISH: "tr",
                    Language.ARABIC: "ar",
                    Language.POLISH: "pl",
                    Language.UKRAINIAN: "uk",
                }
                built = (
                    LanguageDetectorBuilder.from_languages(*langs)
                    .with_low_accuracy_mode()
                    .with_preloaded_language_models()
                    .build()
                )
                _detector = (built, langs)
            except Exception as error:  # noqa: BLE001 - any failure: degrade, never break the worker
                _detector_error = f"{error.__class__.__name__}: {error}"
                log.warning("language detection without lingua (hint and script only): %s", _detector_error)
        return _detector


def status() -> str:
    """ "ok", "not loaded" or the load error: for /readyz and the logs."""
    if _detector is not None:
        return "ok"
    return f"degraded ({_detector_error})" if _detector_error else "not loaded"


def readiness() -> str:
    """For /readyz without building the detector in the web process."""
    if _detector is not None or _detector_error is not None:
        return status()
    import importlib.util

    return (
        "available"
        if importlib.util.find_spec("lingua")
        else "degraded (lingua not installed: script and hint only)"
    )


def warm() -> str:
    _lingua()
    return status()


def detect_language(text: str, hint: str | None = None) -> Detection:
    """The comment's language among LANGUAGES; `hint` (the page language) decides when the text cannot."""
    fallback = hint if hint in LANGUAGES else "nl"
    text = text or ""
    letters = _LETTER.findall(text)
    if not letters:
        return Detection(fallback, 0.0, "hint")
    arabic = sum(1 for c in letters if _ARABIC.match(c))
    cyrillic = sum(1 for c in letters if _CYRILLIC.match(c))
    if arabic > len(letters) / 2:
        return Detection("ar", 1.0, "script")
    if cyrillic > len(letters) / 2:
        return Detection("uk", 1.0, "script")
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return Detection(fallback, 0.0, "hint")
    if len(_ARABIZI.findall(text)) >= MIN_ARABIZI:
        return Detection("ar", 0.7, "arabizi")
    own_words = _DUTCH_SERVICE_WORDS.sub(" ", text)
    if len(_WORD.findall(own_words)) >= MIN_WORDS:
        text = own_words
    detector = _lingua()
    if detector is None:
        # A Turkish or Polish name in a Dutch note has these letters too: only most words count.
        for lang, letters in (("tr", _TURKISH), ("pl", _POLISH)):
            if sum(1 for w in words if letters.search(w)) >= max(2, len(words) // 4):
                return Detection(lang, 0.5, "letters")
        return Detection(fallback, 0.0, "hint")
    built, langs = detector
    values = built.compute_language_confidence_values(text)
    if not values:
        return Detection(fallback, 0.0, "hint")
    best = values[0]
    if best.value < MIN_CONFIDENCE:
        return Detection(fallback, round(best.value, 3), "hint")
    return Detection(langs[best.language], round(best.value, 3), "lingua")
