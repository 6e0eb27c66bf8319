"""De-identification of free text: normalise, deduce + own detectors, tag.

Loading deduce takes ~9 s with a warm lookup cache (minutes without one), so a
worker calls get_deidentifier() once before forking and the children share it.
"""

import gzip
import importlib.util
import json
import logging
import os
import re
import threading
from importlib import resources
from pathlib import Path

from rapidfuzz.distance import DamerauLevenshtein

from .institutions import find_institutions
from .names import (
    DOMAIN_TERMS,
    FIELD_WORDS,
    GEOGRAPHY,
    INTERFIXES,
    PROTECTED_RE,
    TOKEN_RE,
    ForeignNameFinder,
    NameFinder,
    NameLexicon,
)
from .normalise import normalise_text
from .patterns import BIRTH_MARKER_RE, find_patterns
from .placeholders import PLACEHOLDER_RE, placeholder
from .spans import Span, resolve_overlaps

log = logging.getLogger(__name__)

# deduce annotators we replace with stricter or broader detectors of our own,
# or whose output we keep on purpose (place names, care institutions: "Veilig
# Thuis", "uit Eritrea" are not personal data and the theme classifier needs them).
_DEDUCE_DISABLED = frozenset(
    {"placename", "hospital", "institution", "postal_code", "email", "url", "phone", "bsn"}
    | {"redactor"}  # we render our own tags
)
# deduce tag -> our category. With the disabled set above, "locatie" can only be
# street + house number or a PO box.
_DEDUCE_TAGS = {
    "locatie": "ADRES",
    "datum": "DATUM",
    "leeftijd": "LEEFTIJD",
    "id": "NUMMER",
}


# Ages from here on are redacted: few people are that old, so with a neighbourhood they point at
# someone. Younger ages stay ("zoon (15)", "mw (84)"): alone they identify nobody and the team needs them.
AGE_LIMIT = 90
_DIGITS = re.compile(r"\d+")


def _identifying_age(span: Span) -> bool:
    numbers = [int(n) for n in _DIGITS.findall(span.text)]
    return not numbers or max(numbers) >= AGE_LIMIT


def cache_dir() -> Path:
    """Where deduce keeps its pickled lookup structures (must be writable once)."""
    env = os.environ.get("LEERLUS_DEDUCE_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "leerlus" / "deduce"


def _import_deduce():
    """Import deduce without its import-time logging.basicConfig(DEBUG, stdout).

    Left in place, that call would send every library's debug logging (including
    request bodies) to stdout in whatever process imports us.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import deduce  # noqa: PLC0415 - deliberately late, see docstring

    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    return deduce


def _load_lexicon(deduce_module, model) -> NameLexicon:
    from deduce.lookup_structs import load_raw_itemsets  # noqa: PLC0415

    lists = load_raw_itemsets(
        base_path=Path(deduce_module.__file__).parent / "data" / "lookup",
        subdirs=[
            "names/lst_first_name",
            "names/lst_surname",
            "whitelist/lst_stop_word",
            "locations/lst_placename",
        ],
    )

    def lower(name: str) -> frozenset[str]:
        return frozenset(item.lower() for item in lists[name])

    return NameLexicon(
        first_names=lower("first_name"),
        surnames=lower("surname"),
        stop_words=lower("stop_word"),
        whitelist=frozenset(item.lower() for item in model.lookup_structs["whitelist"].items()),
        places=lower("placename"),
        frequent_words=_word_counts("nl", FREQUENT),
        # English comments: any word of the list ("neighbours", "didnt"); names in it stay a limit.
        english_words=_word_counts("en", 0),
        given_names=_given_names(),
    )


# Dutch words seen this often in pyspellchecker's subtitle counts are words, not names: simplemma's
# dictionary lacks "ingeschreven", "desnoods", "vrijwilligerswerk", "fulltime", and a name that is
# no word occurs a few times at most ("tamar", "kofi": 50, the list's floor).
FREQUENT = 100


def _word_counts(lang: str, minimum: int) -> frozenset[str]:
    with (
        (resources.files("spellchecker") / "resources" / f"{lang}.json.gz").open("rb") as raw,
        gzip.open(raw) as unpacked,
    ):
        counts = json.load(unpacked)
    return frozenset(word for word, count in counts.items() if count >= minimum)


# A name counts when at least two of nomquamgender's 36 sources list it, at least 10 times together:
# the single-source and rarer entries hold most of its Dutch and English words ("hoop", "tiny"),
# measured in docs/deidentification.md (round 5).
GIVEN_NAME_SOURCES = 2
GIVEN_NAME_COUNT = 10


# One entry of its data file: "name": [sources, count, p(female), ...]. Names are ASCII lower case.
_GIVEN_NAME_ENTRY = re.compile(r'"([a-z]+)": \[(\d+), (\d+),')


def _given_names() -> frozenset[str]:
    """nomquamgender's given names (folded to ASCII by its makers), read from its data file.

    Importing the package would import pandas and load the file a second time, and json.loads of
    its 720,000 entries peaks at +270 MB in a worker (a scan of the text: +45 MB, 0.3 s), so only
    its location is looked up and the file is scanned (the version is pinned in pyproject.toml)."""
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("nomquamgender is not installed (pyproject.toml)")
    text = (Path(next(iter(spec.submodule_search_locations))) / "name_data.json").read_text(encoding="utf-8")
    names = frozenset(
        m[1]
        for m in _GIVEN_NAME_ENTRY.finditer(text)
        if int(m[2]) >= GIVEN_NAME_SOURCES and int(m[3]) >= GIVEN_NAME_COUNT
    )
    if len(names) < 50_000:
        raise RuntimeError(f"nomquamgender's name_data.json changed format ({len(names)} names read)")
    return names


class Deidentifier:
    """Finds and tags PII in Dutch free text. Thread-safe after construction."""

    def __init__(self, cache_path: Path | None = None):
        deduce = _import_deduce()
        path = Path(cache_path) if cache_path else cache_dir()
        path.mkdir(parents=True, exist_ok=True)
        self.cache_path = path
        self._deduce = deduce.Deduce(cache_path=path)
        lexicon = _load_lexicon(deduce, self._deduce)
        self._names = NameFinder(lexicon)
        # Resident comments in the other five languages of the feedback page.
        self._foreign = {lang: ForeignNameFinder(lexicon, lang) for lang in ("en", "tr", "pl", "uk", "ar")}

    def find(self, text: str, lang: str | None = None) -> list[Span]:
        """PII spans in normalise_text(text), sorted and non-overlapping.

        `lang`: the language the caller detected for the whole document this text is part of (a
        reflection's fields share one detection, issue #24 item 21); None detects it from `text`."""
        text = normalise_text(text or "")
        if not text.strip():
            return []
        doc = self._deduce.deidentify(text, disabled=set(_DEDUCE_DISABLED))
        persons, others = [], []
        for ann in doc.annotations:
            span = Span(ann.start_char, ann.end_char, "", ann.text)
            if ann.tag == "persoon" or ann.tag.startswith("patient"):
                persons.append(span)
            else:
                # Unknown future tags are redacted too, as a number.
                others.append(span._replace(category=_DEDUCE_TAGS.get(ann.tag, "NUMMER")))
        # The text's own language (never a hint from outside such as the page's language: the output
        # is a function of the text, or of the document it belongs to when `lang` is given).
        if lang is None:
            from server.themes.language import detect_language

            lang = detect_language(text).lang
        names = self._foreign.get(lang, self._names)
        spans = find_patterns(text) + others
        # A street name is no person or institution: "aan de Burgemeester de Withstraat 4" keeps its
        # article outside the address tag.
        protected = [(m.start(), m.end()) for m in PROTECTED_RE.finditer(text)]
        protected += [(s.start, s.end) for s in spans if s.category == "ADRES"]
        named = names.find(text, persons) + list(
            find_institutions(text, self._not_an_institution, lambda w: w.lower() in DOMAIN_TERMS)
        )
        addresses = [(s.start, s.end) for s in spans if s.category == "ADRES"]
        for span in named:
            if span.category != "PERSOON":
                if not any(span.start < end and start < span.end for start, end in protected):
                    spans.append(span)
                continue
            cut = min(
                (start for start, end in addresses if span.start < end and start < span.end), default=None
            )
            if cut is None:
                spans.append(span)
            elif span.start < cut:
                # The part before the address, up to its last name-like word: "Els Jansen" in
                # "bij Els Jansen Kerkstraat 12" stays a name, "de" before "Burgemeester ...straat" not.
                words = [m for m in TOKEN_RE.finditer(text, span.start, cut) if names.name_like(m.group())]
                if words:
                    spans.append(
                        Span(span.start, words[-1].end(), "PERSOON", text[span.start : words[-1].end()])
                    )
        spans = [s for s in spans if s.category != "LEEFTIJD" or _identifying_age(s)]
        # A placeholder already in the text ("[naam 1]", "[school]") is no personal data: running the
        # de-identifier on its own output changes nothing.
        kept = [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]
        spans = [s for s in spans if not any(start <= s.start and s.end <= end for start, end in kept)]
        return resolve_overlaps(spans, text)

    def _not_an_institution(self, word: str) -> bool:
        low = word.lower().strip("'’")
        return (
            low in DOMAIN_TERMS
            or low in FIELD_WORDS  # "de Pw", "de Woco"
            or low in GEOGRAPHY
            or low in self._names.lex.places
            or low in self._names.lex.stop_words
        )

    def deidentify(self, text: str, lang: str | None = None) -> str:
        """The normalised text with every PII span replaced by a Dutch placeholder ("[naam 1]")."""
        text = normalise_text(text or "")
        spans = self.find(text, lang)
        numbers = _person_numbers([s for s in spans if s.category == "PERSOON"])
        out, pos = [], 0
        for span in spans:
            out.append(text[pos : span.start])
            out.append(placeholder(_shown_category(span, text), numbers.get(span)))
            pos = span.end
        out.append(text[pos:])
        return "".join(out)


def _shown_category(span: Span, text: str) -> str:
    """The placeholder's category: a date after "geboren" is a birth date, a GP practice a "huisarts"."""
    if span.category == "DATUM" and BIRTH_MARKER_RE.search(text, 0, span.start):
        return "GEBOORTEDATUM"
    if span.category == "PRAKTIJK" and "huisarts" in span.text.lower():
        return "HUISARTS"
    return span.category


def _name_parts(name: str) -> frozenset[str]:
    return frozenset(t.lower() for t in TOKEN_RE.findall(name) if t.lower() not in INTERFIXES)


def _person_numbers(persons: list[Span]) -> dict[Span, int]:
    """Same person, same number: "Els Jansen" ... "mw Jansen" ... "Els" -> 1.

    A mention joins an earlier person when its name parts are a subset of that
    person's parts (or the other way round) or it differs by one typo.
    """
    people: list[set[str]] = []
    numbers: dict[Span, int] = {}
    for span in persons:
        parts = set(_name_parts(span.text))
        for n, known in enumerate(people, start=1):
            if (parts and (parts <= known or known <= parts)) or (
                DamerauLevenshtein.distance(" ".join(sorted(parts)), " ".join(sorted(known))) <= 1
            ):
                known |= parts
                numbers[span] = n
                break
        else:
            people.append(parts)
            numbers[span] = len(people)
    return numbers


_instance: Deidentifier | None = None
_lock = threading.Lock()


def get_deidentifier() -> Deidentifier:
    """The process-wide Deidentifier; the first call loads deduce (slow)."""
    global _instance
    with _lock:
        if _instance is None:
            _instance = Deidentifier()
        return _instance


def deidentify(text: str, lang: str | None = None) -> str:
    return get_deidentifier().deidentify(text, lang)


def warm_cache() -> Path:
    """Build deduce's lookup cache (minutes on a cold install) and return its path."""
    return get_deidentifier().cache_path
