"""Name heuristics on top of deduce.

deduce finds capitalised Dutch names from its lists. It misses non-Dutch names
that are not in its lists ("Bouzid", "Abebe"), lower-case names ("ayse yilmaz")
and it glues sentence-initial words and titles onto names ("Huisbezoek Irene
Smit", "mw Els Jansen"). The rules here use one idea: a token that is not a
known Dutch word, standing where a name stands, is a name.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from .spans import Span


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")

# Titles stay in the text ("mw [PERSOON-1]"): they carry no identity and the
# reader needs them. Lower-case forms; a trailing dot is skipped by the tokenizer.
TITLES = _words(
    "dhr mw mevr mevrouw meneer mijnheer heer mej juf juffrouw dr drs ir ing mr prof ds "
    "zus zuster broer oom tante opa oma"
)
# Single-token name particles, including Arabic and Berber ones.
INTERFIXES = _words(
    "van de der den het 't te ten ter la le da di do dos du del von zur el al ben bin "
    "bint abu ibn ait oulad"
)
# Capitalised words in Dutch social-work text that are neither dictionary words
# nor names: organisations, laws, regulations, apps.
DOMAIN_TERMS = _words(
    """wmo jeugdwet participatiewet wsnp wlz zvw aow anw wia wajong ww bbz tozo iou
    ggz ggd cjg vt shv uwv svb cak duo ind coa mee zvh ozj sociaal wijkteam buurtteam
    humanitas vluchtelingenwerk voedselbank kredietbank schuldhulpverlening
    schuldhulpmaatje geldfit nibud juridisch loket raadslid thuiszorg jeugdzorg
    veilig thuis leger heils salvation zorgverzekeraar menzis zilveren kruis vgz cz
    woningcorporatie ymere eigen haard rochdale vestia portaal woonstad de key
    whatsapp facebook instagram tiktok snapchat google teams zoom signal telegram
    youtube marktplaats bol albert heijn lidl aldi jumbo action digid mijnoverheid
    toeslagen belastingdienst gemeente rijksoverheid centrum jeugd gezin energietoeslag
    huurtoeslag zorgtoeslag kinderopvangtoeslag kindgebonden budget
    ramadan kerst pasen suikerfeest offerfeest pinksteren sinterklaas
    nederlands nederlandse engels engelse arabisch turks berbers tigrinya pools
    marokkaans marokkaanse turkse surinaams surinaamse syrisch syrische eritrees
    eritrese somalisch oekraïens oekraïense"""
)
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n(\"“]|\s-)\s*$")


@dataclass(frozen=True)
class NameLexicon:
    """Word lists the heuristics need, all lower-case."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    stop_words: frozenset[str]
    whitelist: frozenset[str]
    places: frozenset[str]


class NameFinder:
    def __init__(self, lexicon: NameLexicon):
        self.lex = lexicon
        self.listed = lexicon.first_names | lexicon.surnames

    @lru_cache(maxsize=65536)  # noqa: B019 - one long-lived instance per process
    def is_word(self, token: str) -> bool:
        """A Dutch dictionary word (or compound of two), or a domain term."""
        low = token.lower()
        if low in DOMAIN_TERMS or low in self.lex.whitelist or low in self.lex.stop_words:
            return True
        if "-" in low:
            return any(self.is_word(part) for part in low.split("-") if part)
        if simplemma.is_known(low, lang="nl"):
            return True
        # Compounds: "participatiewet", "Wmo-loket" (hyphen handled above).
        for i in range(3, len(low) - 2):
            head, tail = low[:i], low[i:]
            if simplemma.is_known(tail, lang="nl") and len(tail) >= 3 and (
                simplemma.is_known(head, lang="nl")
                or (head[-1] in "se" and simplemma.is_known(head[:-1], lang="nl"))
            ):
                return True
        return False

    def is_listed(self, token: str) -> bool:
        return token.lower() in self.listed

    def name_like(self, token: str) -> bool:
        """Could be (part of) a name wherever it stands."""
        low = token.lower()
        if len(low) < 2 or low in self.lex.stop_words or low in TITLES or low in INTERFIXES:
            return False
        if low in self.lex.places:
            return False
        return not self.is_word(token) or (token[0].isupper() and self.is_listed(token))

    def find(self, text: str, known: Iterable[Span]) -> list[Span]:
        """Person spans: the trimmed deduce spans in `known` plus new ones."""
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]
        hits: list[tuple[int, int]] = []  # token index ranges, inclusive
        for span in known:
            rng = self._token_range(tokens, span)
            if rng is not None:
                hits.append(self._trim(tokens, *rng, text))
        hits.extend(self._title_rule(tokens, text))
        hits.extend(self._unknown_word_rule(tokens, text))
        spans = []
        for first, last in hits:
            if first > last:
                continue
            first, last = self._extend(tokens, first, last, text)
            spans.append(Span(tokens[first][0], tokens[last][1], "PERSOON", ""))
        return [s._replace(text=text[s.start : s.end]) for s in spans]

    @staticmethod
    def _token_range(tokens, span: Span) -> tuple[int, int] | None:
        inside = [i for i, (s, e, _) in enumerate(tokens) if s < span.end and e > span.start]
        return (inside[0], inside[-1]) if inside else None

    def _at_sentence_start(self, tokens, i: int, text: str) -> bool:
        before = text[tokens[i - 1][1] : tokens[i][0]] if i else text[: tokens[i][0]]
        return i == 0 or bool(_SENTENCE_END.search(before))

    def _trim(self, tokens, first: int, last: int, text: str) -> tuple[int, int]:
        """Drop titles and ordinary words that deduce glued onto the front."""
        while first <= last:
            tok = tokens[first][2]
            low = tok.lower()
            if low == "de" and first < last and tokens[first + 1][2].lower() == "heer":
                first += 2
            elif low in TITLES:
                first += 1
            elif low in INTERFIXES and first < last:
                break  # "de Vries": the particle belongs to the surname
            elif low in self.lex.stop_words or (
                first < last and self.is_word(tok) and not self.is_listed(tok)
            ):
                first += 1
            else:
                break
        while last >= first and tokens[last][2].lower() in self.lex.stop_words:
            last -= 1
        return first, last

    def _adjacent(self, tokens, i: int, j: int, text: str) -> bool:
        """Tokens i and j (i < j, consecutive) are separated by spaces only."""
        gap = text[tokens[i][1] : tokens[j][0]]
        return gap.strip(" \t.") == "" and "\n" not in gap and len(gap) <= 3

    def _title_rule(self, tokens, text: str) -> Iterator[tuple[int, int]]:
        """After a title any non-word is a name: "mw el amrani", "dhr Bouzid"."""
        for i, (_, _, tok) in enumerate(tokens):
            if tok.lower() not in TITLES:
                continue
            last = None
            j = i + 1
            while j < len(tokens) and j - i <= 4 and self._adjacent(tokens, j - 1, j, text):
                low = tokens[j][2].lower()
                if self.name_like(tokens[j][2]):
                    last = j
                elif low not in INTERFIXES:
                    break
                j += 1
            if last is not None:
                yield i + 1, last

    def _unknown_word_rule(self, tokens, text: str) -> Iterator[tuple[int, int]]:
        for i, (_, _, tok) in enumerate(tokens):
            if not self.name_like(tok):
                continue
            low = tok.lower()
            if tok[0].isupper():
                if len(tok) > 1 and tok.isupper():
                    continue  # acronym
                if not self._at_sentence_start(tokens, i, text) or self.is_listed(tok):
                    yield i, i
                elif (
                    i + 1 < len(tokens)
                    and self._adjacent(tokens, i, i + 1, text)
                    and tokens[i + 1][2][0].isupper()
                    and self.name_like(tokens[i + 1][2])
                ):
                    yield i, i + 1
            elif low in self.listed and len(low) >= 3:
                yield i, i

    def _extend(self, tokens, first: int, last: int, text: str) -> tuple[int, int]:
        """Grow over neighbouring name parts: "mohamed bouzid", "Fatima El Amrani"."""
        while last + 1 < len(tokens) and self._adjacent(tokens, last, last + 1, text):
            nxt = tokens[last + 1][2]
            if self.name_like(nxt):
                last += 1
            elif (
                nxt.lower() in INTERFIXES
                and last + 2 < len(tokens)
                and self._adjacent(tokens, last + 1, last + 2, text)
                and self.name_like(tokens[last + 2][2])
            ):
                last += 2
            else:
                break
        while first > 0 and self._adjacent(tokens, first - 1, first, text):
            prev = tokens[first - 1][2]
            capitalised_name = prev[0].isupper() and self.name_like(prev) and not self.is_word(prev)
            if capitalised_name or prev.lower() in INTERFIXES - {"de", "het", "te"}:
                first -= 1
            else:
                break
        return first, last
