"""Lexicon matching: inflection-, compound-, typo- and negation-aware."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .text import BREAKS, Token, analyse, fold, surface, word_keys

STRONG, WEAK = 1.0, 0.35
NEGATORS = frozenset({"geen", "niet", "nooit", "geeneen"})
# "niet alleen ... maar ook" and "niet meer" do not deny the topic.
_NOT_NEGATING_NEXT = frozenset({"alleen", "enkel", "meer", "eens", "altijd", "te", "zo", "echt", "goed"})
NEG_WINDOW = 5
_SCOPE_ENDERS = frozenset(
    {
        "maar",
        "wel",
        "want",
        "omdat",
        "doordat",
        "terwijl",
        "dus",
        "toch",
        "echter",
        "behalve",
        "alleen",
        "daarentegen",
    }
)
_BACKWARD_NEGATORS = frozenset({"niet", "nooit"})
_CLAUSE_JOINERS = frozenset({"en", "of", "noch", "maar", "want", "dus", "wel", "ook"})
# Words that may stand between a topic and a clause-final 'niet' without being negated themselves.
_LIGHT_WORDS = frozenset(
    {
        "hij",
        "zij",
        "ze",
        "het",
        "er",
        "die",
        "dat",
        "dit",
        "ik",
        "we",
        "wij",
        "u",
        "men",
        "zich",
        "hem",
        "haar",
        "dhr",
        "mw",
        "meneer",
        "mevrouw",
        "heeft",
        "hebben",
        "had",
        "hadden",
        "is",
        "was",
        "zijn",
        "waren",
        "wordt",
        "werd",
        "lijkt",
        "leek",
        "doet",
        "deed",
        "echt",
        "nu",
        "dan",
        "toch",
        "verder",
        "eigenlijk",
        "gelukkig",
        "zelf",
    }
)
MIN_COMPOUND_PART = 3
MIN_MODIFIER_STEM = 6
MIN_TYPO_LEN = 8


@dataclass(frozen=True, eq=False)  # identity hashing: terms are dict keys in the hot loop
class Term:
    key: str  # owner (theme id)
    words: tuple[str, ...]
    weight: float
    negatable: bool
    caps: bool  # abbreviation that must be written in capitals
    exact: bool  # exact word form only
    modifier: bool  # may start a compound
    head: bool  # may end a compound


class Hit(NamedTuple):
    term: Term
    start: int
    end: int
    surface: str
    negated: bool


def parse_entries(key: str, spec: str, negatable: bool = True) -> list[Term]:
    terms, seen = [], set()
    for raw in spec.split("|"):
        entry = " ".join(raw.split())
        if not entry:
            continue
        weight, neg, caps, exact = STRONG, negatable, False, False
        while entry[0] in "~!^=":
            flag, entry = entry[0], entry[1:]
            weight = WEAK if flag == "~" else weight
            neg = False if flag == "!" else neg
            caps = caps or flag == "^"
            exact = exact or flag == "="
        modifier, head = entry.endswith("*"), entry.startswith("*")
        entry = entry.strip("*")
        words = tuple(w for w in fold(entry).replace("-", " ").split() if w)
        if not words or (words, key) in seen:
            continue
        seen.add((words, key))
        terms.append(
            Term(key, words, weight, neg, caps, exact, modifier and len(words) == 1, head and len(words) == 1)
        )
    return terms


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Matcher:
    """Finds lexicon terms in token lists. Build once, match many times."""

    def __init__(self, terms: list[Term]):
        self.single: dict[str, list[Term]] = defaultdict(list)
        self.exact: dict[str, list[Term]] = defaultdict(list)
        self.modifiers: dict[str, list[Term]] = defaultdict(list)
        self.heads: dict[str, list[Term]] = defaultdict(list)
        self.phrases: dict[str, list[Term]] = defaultdict(list)
        self.typos: dict[str, list[Term]] = defaultdict(list)
        for term in terms:
            first = term.words[0]
            if len(term.words) > 1:
                for k in word_keys(first):
                    self.phrases[k].append(term)
                continue
            if term.exact:
                self.exact[first].append(term)
                continue
            for k in word_keys(first):
                self.single[k].append(term)
            # A short Porter stem is no safe compound part: "rekening" stems to "reken", which ends
            # bespreken and afspreken; "taal" stems to "tal", which starts talent and talrijk. Heads
            # are keyed by the word and its inflection-stripped form (what `_word_terms` cuts off),
            # modifiers by the word and only a long stem (onveilig -> onveil, for onveiliger).
            _, stem, light = analyse(first)
            if term.modifier:
                for k in {first, stem} if len(stem) >= MIN_MODIFIER_STEM else {first}:
                    self.modifiers[k].append(term)
            if term.head:
                for k in {first, light}:
                    self.heads[k].append(term)
            if len(first) >= MIN_TYPO_LEN - 1 and not term.caps:
                for d in _deletes(first) | {first}:
                    self.typos[d].append(term)

    def _word_terms(self, low: str) -> tuple[Term, ...]:
        """Single-word terms matching one folded word: inflected, inside a compound, or with a typo."""
        found: dict[Term, None] = dict.fromkeys(self.exact.get(low, ()))
        for k in word_keys(low):
            found.update(dict.fromkeys(self.single.get(k, ())))
        if len(low) >= 2 * MIN_COMPOUND_PART + 1 and low.isalpha():
            light = analyse(low)[2]
            for i in range(MIN_COMPOUND_PART, len(low) - MIN_COMPOUND_PART + 1):
                if len(low) - i >= 4:
                    found.update(dict.fromkeys(self.modifiers.get(low[:i], ())))
                for form in (low, light):
                    if i < len(form) - 2:
                        found.update(dict.fromkeys(self.heads.get(form[i:], ())))
        if not found and len(low) >= MIN_TYPO_LEN and low.isalpha():
            for d in _deletes(low) | {low}:
                for term in self.typos.get(d, ()):
                    # Typos rarely hit the first letters; requiring them keeps real words apart.
                    if abs(len(term.words[0]) - len(low)) <= 1 and term.words[0][:3] == low[:3]:
                        found[term] = None
        return tuple(found)

    @lru_cache(maxsize=100_000)  # noqa: B019 - matchers are long-lived singletons
    def _candidates(
        self, low: str
    ) -> tuple[dict[str, list[tuple[Term, tuple[frozenset[str], ...]]]], tuple[Term, ...]]:
        """Per folded word form, cached: the phrases starting here keyed by the accepted forms of
        their second word (each with the accepted forms of the words after that), and the
        single-word terms."""
        phrases: dict[Term, tuple[frozenset[str], ...]] = {}
        for k in word_keys(low):
            for term in self.phrases.get(k, ()):
                phrases[term] = tuple(word_keys(w) for w in term.words[1:])
        by_second: dict[str, list[tuple[Term, tuple[frozenset[str], ...]]]] = defaultdict(list)
        for term, rest in phrases.items():
            for k in rest[0]:
                by_second[k].append((term, rest[1:]))
        return dict(by_second), self._word_terms(low)

    def find(self, tokens: list[Token], scopes: list[bool] | None = None) -> list[Hit]:
        if scopes is None:
            scopes = negation_scopes(tokens)
        hits = []
        n = len(tokens)
        for i, tok in enumerate(tokens):
            if tok.low in BREAKS:
                continue
            phrases, singles = self._candidates(tok.low)
            if not phrases and not singles:
                continue
            negated_here = scopes[i] and tok.low not in NEGATORS
            for term in singles:
                if term.caps and not tok.text.isupper():
                    continue
                hits.append(Hit(term, i, i + 1, tok.text, term.negatable and negated_here))
            if not phrases or i + 1 >= n:
                continue
            seen = set()
            for k in word_keys(tokens[i + 1].low):
                for term, rest in phrases.get(k, ()):
                    end = i + 2 + len(rest)
                    if term in seen or end > n:
                        continue
                    if rest and not all(
                        t.low in keys or keys & word_keys(t.low)
                        for keys, t in zip(rest, tokens[i + 2 : end], strict=True)
                    ):
                        continue
                    seen.add(term)
                    hits.append(Hit(term, i, end, surface(tokens[i:end]), term.negatable and negated_here))
        return hits


def negation_scopes(tokens: list[Token]) -> list[bool]:
    """Marks tokens negated by 'geen'/'niet'/'nooit' in the same clause: up to a few words after
    the negator, and backwards for a clause-final 'niet'/'nooit' ("hij drinkt niet", "schulden
    heeft ze niet")."""
    scoped = [False] * len(tokens)
    for i, tok in enumerate(tokens):
        if tok.low not in NEGATORS:
            continue
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else "."
        if nxt in _NOT_NEGATING_NEXT:
            continue
        if tok.low in _BACKWARD_NEGATORS and (nxt in BREAKS or nxt in _CLAUSE_JOINERS):
            _mark_backward(tokens, i, scoped)
            continue  # clause-final: what follows is a new clause
        for j in range(i + 1, min(len(tokens), i + 1 + NEG_WINDOW)):
            if tokens[j].low in BREAKS or tokens[j].low in _SCOPE_ENDERS:
                break
            scoped[j] = True
    return scoped


def _mark_backward(tokens: list[Token], neg: int, scoped: list[bool]) -> None:
    """A clause-final 'niet' negates a short clause before it made of topic words plus pronouns and
    auxiliaries: "hij drinkt niet", "schulden heeft ze niet", "drugs gebruikt hij nooit". With the
    subject first only the verb is negated: in "hij betaalt zijn huur niet" the rent stays a topic."""
    start = neg
    while (
        start > 0
        and tokens[start - 1].low not in BREAKS
        and tokens[start - 1].low not in _CLAUSE_JOINERS
        and tokens[start - 1].low not in _SCOPE_ENDERS
    ):
        start -= 1
        if neg - start > NEG_WINDOW:
            return  # a long clause: unclear what is negated
    content = [j for j in range(start, neg) if tokens[j].low not in _LIGHT_WORDS]
    subject_first = content and content[0] > start
    if content and len(content) <= (1 if subject_first else 2):
        for j in content:
            scoped[j] = True
