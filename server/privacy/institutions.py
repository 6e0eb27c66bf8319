"""Names of schools, GP practices and other small institutions near a person (DESIGN §6).

"zoon zit op obs De Piramide", "huisartsenpraktijk De Linde", "praktijk Oosterpoort", "het Da Vinci
College", "mentor van Het Baken": with the neighbourhood these point at one family. The type of
organisation stays readable in the tag ([SCHOOL], [PRAKTIJK], [INSTELLING]); large public bodies
("Veilig Thuis", "de GGD", "het Werkplein", "de Voedselbank") are no personal data and stay.

Three shapes, all needing a capital where Dutch writes none for an ordinary noun:
1. a type word, then a name: "obs De Piramide", "praktijk Oosterpoort", "basisschool de Regenboog";
2. a name, then a capitalised type word: "Da Vinci College", "Montessori Lyceum";
3. an article inside a sentence, then a capitalised word: "van Het Baken", "op de Springplank".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .spans import Span

_SCHOOL = (
    r"\w*school|obs|cbs|pcbs|rkbs|ikc|kindcentrum|\w*college|lyceum|gymnasium|mavo|havo|vwo|vmbo"
    r"|kinderdagverblijf|kdv|bso|peuterspeelzaal|\w*opvang|cr[eè]che"
)
_PRAKTIJK = r"\w*praktijk|huisarts|tandarts|fysio(?:therapeut)?|apotheek|gezondheidscentrum"
_OTHER = r"buurthuis|wijkcentrum|kerk|moskee|\w*vereniging|\w*club|zorgboerderij|dagbesteding|inloophuis"
_NAME_WORD = r"[A-ZÀ-Ý][\w'’-]+"
_ARTICLE = r"(?:[Dd]e|[Hh]et|'t)"
_TYPE_THEN_NAME = re.compile(
    rf"\b(?i:(?P<type>{_SCHOOL}|{_PRAKTIJK}|{_OTHER}))[ \t]+(?P<name>(?:{_ARTICLE}[ \t]+)?{_NAME_WORD}"
    rf"(?:[ \t]+{_NAME_WORD}){{0,2}})"
)
_HEADS = {
    "College": "SCHOOL",
    "Lyceum": "SCHOOL",
    "Gymnasium": "SCHOOL",
    "School": "SCHOOL",
    "Basisschool": "SCHOOL",
    "Academie": "SCHOOL",
    "Kindcentrum": "SCHOOL",
    "Praktijk": "PRAKTIJK",
    "Huisartsenpraktijk": "PRAKTIJK",
    "Gezondheidscentrum": "PRAKTIJK",
}
_NAME_THEN_TYPE = re.compile(rf"(?P<name>(?:{_NAME_WORD}[ \t]+){{1,3}})(?P<head>{'|'.join(_HEADS)})\b")
_ARTICLE_THEN_NAME = re.compile(
    rf"(?<![\w'’])(?P<article>{_ARTICLE})[ \t]+(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})"
)
# Municipal and national services written as one compound: organisation types, not named places.
_SERVICE_TAIL = re.compile(
    r"(?i)(?:plein|loket|punt|team|bank|dienst|wet|fonds|centrum|kantoor|bureau|huis"
    r"|buurt|wijk|dorp|stad|park|polder|groep|lijn|register)$"
)
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n(\"“]|\s-)\s*$")
_TITLES = frozenset(["dhr", "mw", "mevr", "mevrouw", "meneer", "mijnheer", "heer", "fam", "familie"])


def _kind(type_word: str) -> str:
    low = type_word.lower()
    if re.fullmatch(_PRAKTIJK, low):
        return "PRAKTIJK"
    if re.fullmatch(_SCHOOL, low):
        return "SCHOOL"
    return "INSTELLING"


def find_institutions(
    text: str, skip: Callable[[str], bool], is_term: Callable[[str], bool]
) -> Iterator[Span]:
    """Spans of named small institutions. `skip(word)`: a word that is never such a name (domain
    terms such as Wmo or Jumbo, places, countries); `is_term(word)`: a domain term only (after a type
    word a place-like name is still a name: "huisartsenpraktijk De Linde")."""

    def ok(name: str, never=skip, services: bool = True) -> bool:
        words = [w for w in name.split() if not re.fullmatch(_ARTICLE, w)]
        head = words[0] if words else ""
        first = re.split(r"[-'’]", head)[0]
        return (
            bool(words)
            and not head.isupper()
            and not first.isupper()
            and not never(head)
            and not never(first)
            and not (services and _SERVICE_TAIL.search(words[-1]))
            and words[-1] not in _HEADS
        )

    for m in _TYPE_THEN_NAME.finditer(text):
        if ok(m.group("name"), is_term, services=False):
            yield Span(m.start(), m.end(), _kind(m.group("type")), m.group())
    for m in _NAME_THEN_TYPE.finditer(text):
        words = m.group("name").split()
        start = m.start()
        # "Het Da Vinci College" at a sentence start: the article is no part of the name.
        while words and (re.fullmatch(_ARTICLE, words[0]) or skip(words[0])):
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
        if words:
            start = text.index(words[0], start)
            yield Span(start, m.end(), _HEADS[m.group("head")], text[start : m.end()])
    for m in _ARTICLE_THEN_NAME.finditer(text):
        before = text[: m.start()]
        if _SENTENCE_END.search(before):
            continue  # "De Regenboog ..." at a sentence start could be any noun
        previous = re.findall(r"[\w'’]+", before[-20:])
        if previous and previous[-1].lower().rstrip(".") in _TITLES:
            continue  # "dhr De Bruin" is a person: the name rules take it
        if ok(m.group("name")):
            yield Span(m.start(), m.end(), "INSTELLING", m.group())
