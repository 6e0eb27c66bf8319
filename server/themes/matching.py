"""Lexicon matching: inflection-, compound-, typo- and negation-aware."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .text import BREAKS, Token, analyse, fold, word_keys

STRONG, WEAK = 1.0, 0.35
NEGATORS = frozenset({"geen", "niet", "nooit", "geeneen"})
# "niet alleen ... maar ook" and "niet meer" do not deny the topic.
_NOT_NEGATING_NEXT = frozenset({"alleen", "enkel", "meer", "eens", "altijd", "te", "zo", "echt", "goed"})
NEG_WINDOW = 5
_SCOPE_ENDERS = frozenset({"maar", "wel", "want", "omdat", "doordat", "terwijl", "dus", "toch", "echter",
                           "behalve", "alleen", "daarentegen"})
_BACKWARD_NEGATORS = frozenset({"niet", "nooit"})
_CLAUSE_JOINERS = frozenset({"en", "of", "noch", "maar", "want", "dus", "wel", "ook"})
# Words that may stand between a topic and a clause-final 'niet' without being negated themselves.
_LIGHT_WORDS = frozenset({
    "hij", "zij", "ze", "het", "er", "die", "dat", "dit", "ik", "we", "wij", "u", "men", "zich", "hem",
    "haar", "dhr", "mw", "meneer", "mevrouw", "heeft", "hebben", "had", "hadden", "is", "was", "zijn",
    "waren", "wordt", "werd", "lijkt", "leek", "doet", "deed", "echt", "nu", "dan", "toch", "verder",
    "eigenlijk", "gelukkig", "zelf",
})
MIN_COMPOUND_PART = 3
MIN_TYPO_LEN = 8


@dataclass(frozen=True)
class Term:
    key: str             # owner (theme id)
    words: tuple[str, ...]
    weight: float
    negatable: bool
    caps: bool           # abbreviation that must be written in capitals
    exact: bool          # exact word form only
    modifier: bool       # may start a compound
    head: bool           # may end a compound


@dataclass(frozen=True)
class Hit:
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
        terms.append(Term(key, words, weight, neg, caps, exact, modifier and len(words) == 1,
                          head and len(words) == 1))
    return terms


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Matcher:
    """Finds lexicon terms in token lists. Build once, match many times."""

    def __init__(self, terms: list[Term]):
        self.single: dict[str, list[Term]] = defaultdict(list)
        self.exact: dict[str, list[Term]] = defaultdict(list)
        self.modifiers: dict[str, list[Term]] = defaultdict(list)
        self.heads: dict[str, list[Term]] = defaultdict(list)
        self.phrases: dict[str, list[Term]] = defaultdict(list)
        self.typos: dict[str, list[Term]] = defaultdict(list)
        self._word_keys: dict[str, frozenset[str]] = {}
        for term in terms:
            first = term.words[0]
            if len(term.words) > 1:
                for k in word_keys(first):
                    self.phrases[k].append(term)
                for w in term.words:
                    self._word_keys[w] = word_keys(w)
                continue
            if term.exact:
                self.exact[first].append(term)
                continue
            for k in word_keys(first):
                self.single[k].append(term)
            lemma, stem, _ = analyse(first)
            if term.modifier:
                for k in {first, stem}:
                    self.modifiers[k].append(term)
            if term.head:
                for k in {first, lemma}:
                    self.heads[k].append(term)
            if len(first) >= MIN_TYPO_LEN - 1 and not term.caps:
                for d in _deletes(first) | {first}:
                    self.typos[d].append(term)

    @lru_cache(maxsize=100_000)  # noqa: B019 - matchers are long-lived singletons
    def _word_terms(self, low: str) -> tuple[tuple[Term, str], ...]:
        """Single-word terms matching one folded word: (term, how) with how in exact|compound|typo."""
        found: dict[Term, str] = {}
        for term in self.exact.get(low, ()):
            found[term] = "exact"
        for k in word_keys(low):
            for term in self.single.get(k, ()):
                found.setdefault(term, "exact")
        if len(low) >= 2 * MIN_COMPOUND_PART + 1 and low.isalpha():
            light = analyse(low)[2]
            for i in range(MIN_COMPOUND_PART, len(low) - MIN_COMPOUND_PART + 1):
                rest = low[i:]
                if len(rest) >= 4:
                    for term in self.modifiers.get(low[:i], ()):
                        found.setdefault(term, "compound")
                for form in (low, light):
                    if i < len(form) - 2:
                        for term in self.heads.get(form[i:], ()):
                            found.setdefault(term, "compound")
        if not found and len(low) >= MIN_TYPO_LEN and low.isalpha():
            for d in _deletes(low) | {low}:
                for term in self.typos.get(d, ()):
                    # Typos rarely hit the first letters; requiring them keeps real words apart.
                    if abs(len(term.words[0]) - len(low)) <= 1 and term.words[0][:3] == low[:3]:
                        found.setdefault(term, "typo")
        return tuple(found.items())

    def _phrase_at(self, tokens: list[Token], i: int, term: Term) -> int:
        """End index if `term` (a phrase) matches at position i, else -1."""
        end = i + len(term.words)
        if end > len(tokens):
            return -1
        for word, tok in zip(term.words[1:], tokens[i + 1:end], strict=True):
            keys = self._word_keys[word]
            if tok.low not in keys and not (keys & word_keys(tok.low)):
                return -1
        return end

    def find(self, tokens: list[Token]) -> list[Hit]:
        scopes = negation_scopes(tokens)
        hits = []
        for i, tok in enumerate(tokens):
            if tok.low in BREAKS:
                continue
            candidates: list[tuple[Term, int]] = []
            for term, _how in self._word_terms(tok.low):
                if term.caps and not tok.text.isupper():
                    continue
                candidates.append((term, i + 1))
            seen_phrases = set()
            for k in word_keys(tok.low):
                for term in self.phrases.get(k, ()):
                    if term in seen_phrases:
                        continue
                    seen_phrases.add(term)
                    end = self._phrase_at(tokens, i, term)
                    if end > 0:
                        candidates.append((term, end))
            for term, end in candidates:
                surface = " ".join(t.text for t in tokens[i:end])
                negated = term.negatable and scopes[i] and tokens[i].low not in NEGATORS
                hits.append(Hit(term, i, end, surface, negated))
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
    while start > 0 and tokens[start - 1].low not in BREAKS and tokens[start - 1].low not in _CLAUSE_JOINERS \
            and tokens[start - 1].low not in _SCOPE_ENDERS:
        start -= 1
        if neg - start > NEG_WINDOW:
            return  # a long clause: unclear what is negated
    content = [j for j in range(start, neg) if tokens[j].low not in _LIGHT_WORDS]
    subject_first = content and content[0] > start
    if content and len(content) <= (1 if subject_first else 2):
        for j in content:
            scoped[j] = True
