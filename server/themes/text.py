"""Normalising, tokenising and stemming Dutch text (offline, cached per word form)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

# Abbreviations of fast-typed field notes (a reviewed list, shared with the de-identifier), read as
# the words they stand for, in training and prediction alike (tokenize). The e5 embedding reads the
# text as written: writing them out for it too was measured and not kept (docs/classifier.md).
from server.field_words import ABBREVIATIONS
from server.privacy.placeholders import without_placeholders  # "[naam 1]", "[school]", ...

_TOKEN_RE = re.compile(r"€|[^\W_]+(?:['’][^\W_]+)*|[.!?;:()]|,", re.UNICODE)
BREAKS = frozenset(".!?;:(),")
_STEMMER = snowballstemmer.stemmer("dutch_porter")
# Words whose stem would collide with a theme word ("geweldig" is not "geweld"). The Porter stem
# merges everyday words with lexicon terms: met/meteen, niet/niets, alle/alles/alleen, weet/wet,
# laten/laat ("te laten" is not "te laat"), ouderen/ouders, regelen/regels (arranging, not rules),
# rekenen/rekening ("ik reken op je" is no bill), zelfs/zelf, middelbare/middelen, pols/Pools.
_STEM_EXCEPTIONS = frozenset(
    {
        "geweldig",
        "geweldige",
        "schuldig",
        "schuldige",
        "onschuldig",
        "onschuldige",
        "armen",
        "bewust",
        "bewuster",
        "huisje",
        "gezien",
        "meteen",
        "niets",
        "alle",
        "alles",
        "alleen",
        "weet",
        "weten",
        "laten",
        "oudere",
        "ouderen",
        "regelen",
        "regelt",
        "rekenen",
        "rekent",
        "zelfs",
        "middelbaar",
        "middelbare",
        "gebruikelijk",
        "gebruikelijke",
        "pols",
    }
)


class Token(NamedTuple):
    text: str  # as written (abbreviations are recognised by their capitals)
    low: str  # lower case, accents folded
    lemma: str
    stem: str
    light: str  # inflection stripped, used for compound heads (woningen -> woning)


def fold(text: str) -> str:
    if text.isascii():  # most notes: nothing to decompose; the loop below was 6 % of a profiled write
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def light_stem(low: str) -> str:
    word = low[:-2] if low.endswith("'s") else low
    if len(word) >= 6 and word.endswith("en"):
        word = word[:-2]
    elif (
        len(word) >= 5
        and word.endswith("s")
        and not word.endswith("ss")
        or len(word) >= 5
        and word.endswith("e")
    ):
        word = word[:-1]
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


@lru_cache(maxsize=200_000)
def analyse(low: str) -> tuple[str, str, str]:
    """(lemma, stem, light) for a folded word form."""
    if low in _STEM_EXCEPTIONS or not low.isalpha():
        return low, low, low
    # The lemma slot is the stem of the light form: simplemma's dictionary takes ~1 s to load,
    # too slow for web processes, and inflection is mostly covered by the Porter stem.
    light = light_stem(low)
    stem = _STEMMER.stemWord(low)
    return (stem if light == low else _STEMMER.stemWord(light)), stem, light


@lru_cache(maxsize=200_000)
def word_keys(low: str) -> frozenset[str]:
    lemma, stem, light = analyse(low)
    keys = {low, lemma, stem, light}
    # Present tense "gokt", "blowt": the Porter stemmer keeps the -t, the lexicon has "gok*", "blow*".
    if len(low) >= 4 and low[-1] == "t" and low[-2] not in "aeiout" and low.isalpha():
        keys.add(low[:-1])
    return frozenset(keys)


@lru_cache(maxsize=200_000)
def _token(raw: str) -> Token:
    low = fold(raw)
    return Token(raw, low, *analyse(low))


@lru_cache(maxsize=200_000)
def _tokens(raw: str) -> tuple[Token, ...]:
    """One written form as tokens: an abbreviation becomes the words it stands for, each keeping
    the form as written in `text` (explanations quote the text, abbreviations stay recognisable)."""
    expansion = ABBREVIATIONS.get(fold(raw))
    if expansion is None:
        return (_token(raw),)
    return tuple(Token(raw, *_token(word)[1:]) for word in expansion.split())


def tokenize(text: str) -> list[Token]:
    """Words and clause punctuation; hyphenated words are split (Wmo-aanvraag -> Wmo, aanvraag).
    De-identification placeholders ("[naam 1]", "[school]") are no words of the author."""
    return [
        t for raw in _TOKEN_RE.findall(without_placeholders(text).replace("-", " ")) for t in _tokens(raw)
    ]


def surface(tokens: list[Token]) -> str:
    """The written form of a run of tokens (an abbreviation's words share one written form)."""
    words = [t.text for t in tokens]
    return " ".join(w for i, w in enumerate(words) if i == 0 or w != words[i - 1])


def plain_tokens(text: str) -> list[str]:
    """The cheapest useful tokenisation (baseline for the speed benchmark)."""
    return [fold(t) for t in _TOKEN_RE.findall(text)]
