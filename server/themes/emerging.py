"""Emerging signals: words and two-word phrases that several colleagues start
using this week and that no theme covers yet (e.g. a new regulation).

Pure function over already de-identified texts. Counts are distinct authors,
never mentions: one person writing "energietoeslag" ten times is no signal, and
the threshold k keeps a term from pointing at a single author.

A term emerges when, this week,
  * at least k distinct authors used it, and
  * it clearly rises: authors >= RISE_FACTOR * previous_mean and
    authors - previous_mean >= MIN_RISE, where previous_mean is the mean number of
    distinct authors per previous week (0 for weeks without texts), and
  * is_known_term(stem) is False for the term (for a phrase: for the phrase and
    for each of its words, so a phrase that contains a theme word stays quiet).
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from server.privacy.placeholders import without_placeholders  # "[naam 1]", "[school]", ...

RISE_FACTOR = 2.0
MIN_RISE = 2.0

# The classic Snowball Dutch algorithm (named "dutch_porter" since snowballstemmer
# 3), as server.themes.text uses: the newer "dutch" splits plurals from their
# singular ("energietoeslagen" -> "energietoeslaag", "energietoeslag" stays).
_STEMMER = snowballstemmer.stemmer("dutch_porter")
# Words, or a break (punctuation, a de-identification tag) that ends a phrase.
_PIECE_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|[.,;:!?()\[\]\"“”/]|\n")

_STOP_TEXT = """aan al alle alles als altijd ander andere anders ben bij bijna dan dat de deze die
    dit doch doen door dus een eens eigenlijk en er erg ga gaan gaat geen geweest had
    hadden heb hebben heeft hem hen het hier hij hoe hun iemand iets ik in is ja je jij
    jou jouw kan kon konden kunnen laat maar me meer men met mij mijn moet moeten na
    naar niet niets nog nu of om omdat onder ons onze ook op over reeds te tegen toch
    toen tot u uit uw van veel voor vooral want waar waren was wat we weer wel werd
    wie wij wil worden wordt ze zal zelf zich zij zijn zo zou zouden zoals zonder
    daar daarna daarom deed dezelfde elk elke enkele enz heel hele hier hoe hoeveel
    keer komen komt kwam ligt maakt mag misschien nee nooit of ofwel ook paar per
    sinds steeds terwijl tussen veel waarom wanneer welke weet weten wordt zeer zei
    zegt zien ziet zo'n 's mw dhr mevr meneer mevrouw ivm ipv bijv evt tzt
    huisbezoek bezoek bezoeken kantoor telefonisch gesprek gesprekken vandaag gisteren morgen
    week weken dag"""
# The last lines are the words of the work itself (how, where and when a visit happened): they rise
# and fall with how busy a week is, not with what the team runs into.
STOP_WORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class EmergingSignal:
    term: str  # most common written form this week, lower case
    stem: str  # stem(s), space-separated for a phrase
    authors: int  # distinct authors this week
    previous_mean: float  # mean distinct authors per previous week
    examples: int  # texts this week that contain the term


@lru_cache(maxsize=65536)
def stem_word(word: str) -> str:
    """The stem emerging_signals uses, for callers building is_known_term."""
    return _STEMMER.stemWord(word.lower())


def _terms(text: str) -> Iterable[tuple[str, str]]:
    """(stem, surface) for each content word and each pair of adjacent ones."""
    previous: tuple[str, str] | None = None
    for piece in _PIECE_RE.findall(without_placeholders(text, " . ")):
        word = piece.lower()
        if not piece[0].isalpha() or word in STOP_WORDS or len(word) < 3:
            previous = None  # a break or a stop word ends the phrase
            continue
        stem = stem_word(word)
        yield stem, word
        if previous is not None:
            yield f"{previous[0]} {stem}", f"{previous[1]} {word}"
        previous = (stem, word)


def _count(texts: Iterable[tuple[str, str]]):
    authors: dict[str, set[str]] = defaultdict(set)
    texts_with: Counter = Counter()
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for author, text in texts:
        seen = set()
        for stem, surface in _terms(text or ""):
            authors[stem].add(author)
            surfaces[stem][surface] += 1
            seen.add(stem)
        texts_with.update(seen)
    return authors, texts_with, surfaces


def emerging_signals(
    current: list[tuple[str, str]],
    previous: list[list[tuple[str, str]]],
    k: int,
    is_known_term: Callable[[str], bool] = lambda t: False,
    limit: int = 5,
) -> list[EmergingSignal]:
    """Rising terms of this week, strongest first (see the module docstring)."""
    k = max(1, k)
    authors, texts_with, surfaces = _count(current)
    before: Counter = Counter()
    for week in previous:
        week_authors, _, _ = _count(week)
        before.update({stem: len(a) for stem, a in week_authors.items()})
    weeks = max(1, len(previous))

    def known(stem: str) -> bool:
        parts = stem.split(" ")
        return is_known_term(stem) or (len(parts) > 1 and any(is_known_term(p) for p in parts))

    candidates = []
    for stem, who in authors.items():
        n, mean = len(who), before[stem] / weeks
        if n < k or n < RISE_FACTOR * mean or n - mean < MIN_RISE or known(stem):
            continue
        # Poisson-like surprise: a rise from nothing outranks a rise from a base.
        score = (n - mean) / math.sqrt(mean + 1)
        term = min(surfaces[stem].items(), key=lambda item: (-item[1], item[0]))[0]
        candidates.append((score, EmergingSignal(term, stem, n, mean, texts_with[stem])))
    candidates.sort(key=lambda c: (-c[0], -c[1].authors, c[1].term))
    signals = [s for _, s in candidates]
    # A phrase adds nothing when one of its words already emerges on its own.
    single = {s.stem: s.authors for s in signals if " " not in s.stem}
    signals = [s for s in signals if " " not in s.stem or not any(p in single for p in s.stem.split(" "))]
    return signals[:limit]
