"""Pattern detectors for the PII classes deduce misses or only half covers.

Measured gaps in deduce 3.0.6: dotted/spaced/8-digit BSNs, e-mail addresses with
newer TLDs (.amsterdam, .info, .eu), foreign phone numbers (+32, +90, +212),
IBANs (deduce tags only the digits as an id), lower-case street names.
"""

import re
from collections.abc import Iterator

import simplemma
from stdnum import iban
from stdnum.nl import bsn

from .spans import Span

_SEP = r"[ \t]?[-./]?[ \t]?"

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# Spelled out or spaced to slip past filters: "jan.smit at gmail dot com", "s.bakker77 at hotmail punt
# com", "info @ buurtteam . nl". Only before a top-level domain, so "at home" never matches.
_AT = r"(?:\(at\)|\[at\]|\bat\b|\bapenstaartje\b|@)"
_DOT = r"(?:\(dot\)|\[dot\]|\bdot\b|\bpunt\b|\.)"
SPELLED_EMAIL_RE = re.compile(
    rf"(?i)(?<![\w.+-])[\w.+-]+[ \t]*{_AT}[ \t]*[\w-]+(?:[ \t]*{_DOT}[ \t]*[\w-]+)*?[ \t]*{_DOT}[ \t]*"
    r"(?:com|nl|net|org|info|eu|be|de|uk|fr|tr|pl|ua|io|amsterdam)\b"
)
URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)]")

# Runs of 8-9 digits with optional single separators: 123456782, 1234.56.782,
# 123 456 782, 12345674 (8-digit BSNs are valid with a leading zero).
BSN_CANDIDATE_RE = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){7,8}(?!\d)")
DATE_SHAPE_RE = re.compile(r"\d{1,2}([-.])\d{1,2}\1(?:19|20)\d{2}|(?:19|20)\d{2}([-.])\d{1,2}\2\d{1,2}")

# Dutch numbers: 0 + 9 digits with any grouping, area code optionally in
# brackets: 06-12345678, 06 1234 5678, 020-1234567, (020) 123 45 67.
NL_PHONE_RE = re.compile(r"(?<![\d+])\(?0(?:[ \t]?[-./)]?[ \t]?\d){9}(?!\d)")
# International: +31 6 12345678, 0031 6..., +32 470 12 34 56, +212 6 12 34 56 78.
# "(0)" after the country code is common in Dutch notation (+31 (0)20 ...).
INTL_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+|00)[ \t]?\d{1,3}(?:[ \t]?\(0\))?(?:" + _SEP + r"\(?\d\)?){6,12}(?!\d)"
)
# Service numbers are not personal but 0800/0900 + 4 digits would otherwise
# slip through as a 7-digit "id"; tagging them costs nothing.
SERVICE_PHONE_RE = re.compile(r"(?<!\d)0[89]0[069][ \t-]?\d{4}(?:\d{3})?(?!\d)")

IBAN_CANDIDATE_RE = re.compile(r"(?i)(?<![a-z0-9])[a-z]{2}\d{2}(?:[ \t]?[a-z0-9]){10,30}")
# A Dutch-shaped IBAN with a typo in the check digits still identifies a person.
NL_IBAN_SHAPE_RE = re.compile(r"(?i)^NL\d{2}[A-Z]{4}\d{10}$")

# 1234 AB / 1234AB / 1234ab. With a space only upper case counts: "2024 en" is
# not a postcode. SA, SD and SS are never issued.
POSTCODE_RE = re.compile(r"(?<![\w.,])[1-9]\d{3}(?:[ \t]?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})(?![\w])")
# Units and words that follow numbers without a space ("1500mg", "2023ff").
_NOT_POSTCODE_SUFFIX = {"mg", "ml", "gr", "kg", "km", "cm", "mm", "jr", "ie", "st", "uu", "ff", "eu"}

_STREET_SUFFIX = (
    "straat|str|laan|ln|weg|wg|plein|pln|gracht|kade|dijk|dyk|dreef|singel|steeg|hof|"
    "park|pad|markt|plantsoen|baan|dam|wal|erf|veld|allee|boulevard|haven|"
    "poort|zoom|burgwal|kwartier|promenade|passage|rade|akker|horst|donk|weide|"
    "dries|vliet|ring"
)
# "Kerkstraat 12", "Dorpsweg 3a", "2e Helmersstraat 7-II", "van Goghstraat 12 hs",
# "kerkstraat 12" (lower case: deduce only knows capitalised streets).
ADDRESS_RE = re.compile(
    r"(?<![\w-])(?:\d{1,2}e[ \t]+)?(?:[A-Z][\w'’.-]*[ \t]+(?:(?:van|de|der|den|het|ter|te|'t)[ \t]+)*)?"
    r"[^\W\d_][\w'’-]*?(?:" + _STREET_SUFFIX + r")\.?[ \t]+\d{1,4}"
    r"(?:[ \t]?-?[ \t]?(?:[a-zA-Z]{1,2}|I{1,3}|hs|bis|\d{1,3})(?![\w]))?(?![\w])",
    re.IGNORECASE,
)
# Words that may start a sentence before a street name but are not part of it.
_NOT_STREET_START = {
    "bij",
    "naar",
    "op",
    "in",
    "aan",
    "van",
    "de",
    "het",
    "een",
    "via",
    "langs",
    "woont",
    "woning",
    "huis",
    "adres",
    "huisbezoek",
    "bezoek",
    "ook",
    "en",
    "of",
    "nu",
    "sinds",
}

# Ages: "87-jarige", "87 jarig", "87 jaar oud". A bare "20 jaar" is usually a
# duration ("al 20 jaar getrouwd") and is left to deduce's age rules.
AGE_RE = re.compile(r"(?i)(?<![\d,.])(\d{1,3})(?=[ \t]?-?[ \t]?(?:jarige?n?\b|jaar[ \t]+(?:oud|geworden)\b))")

# Birth years and dates written next to a birth marker ("geboren 1951", "geb. 3-4-51").
_BIRTH_MARKER = r"\b(?:geboren|geb\.?|geboortedatum|geboortejaar|geb\.?datum|dob)[:\s]+(?:op[ \t]+|in[ \t]+)?"
# The marker right before a date (the placeholder then says "[geboortedatum]").
BIRTH_MARKER_RE = re.compile(rf"(?i){_BIRTH_MARKER}$")
DOB_RE = re.compile(
    rf"(?i){_BIRTH_MARKER}"
    r"((?:\d{1,2}[-/. ]\d{1,2}[-/. ])?(?:19|20)?\d{2}\b)"
)


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def is_bsn_digits(digits: str) -> bool:
    """True for 9 digits (or 8, zero-padded) that pass the 11-proof."""
    if len(digits) == 8:
        digits = "0" + digits
    return len(digits) == 9 and bsn.is_valid(digits)


def find_emails(text: str) -> Iterator[Span]:
    for regex in (EMAIL_RE, SPELLED_EMAIL_RE):
        for m in regex.finditer(text):
            yield Span(m.start(), m.end(), "EMAIL", m.group())


def find_urls(text: str) -> Iterator[Span]:
    for m in URL_RE.finditer(text):
        yield Span(m.start(), m.end(), "URL", m.group())


def find_bsns(text: str) -> Iterator[Span]:
    for m in BSN_CANDIDATE_RE.finditer(text):
        # "12-03-1951" and "1951-03-12" are dates even when their digits pass the 11-proof.
        if DATE_SHAPE_RE.fullmatch(m.group()):
            continue
        if is_bsn_digits(_digits(m.group())):
            yield Span(m.start(), m.end(), "BSN", m.group())


def find_phones(text: str) -> Iterator[Span]:
    for regex in (NL_PHONE_RE, INTL_PHONE_RE, SERVICE_PHONE_RE):
        for m in regex.finditer(text):
            start = m.start()
            # "(020) ..." starts at the bracket; the regex lookbehind cannot see it
            # when the match itself starts with "0". A bracket around the whole number
            # ("(06-12345678)") is punctuation and stays, with its closing partner.
            if start and text[start - 1] == "(" and text[start] != "(" and ")" in m.group():
                start -= 1
            elif text[start] == "(" and ")" not in m.group():
                start += 1
            yield Span(start, m.end(), "TELEFOON", text[start : m.end()])


def find_ibans(text: str) -> Iterator[Span]:
    pos = 0
    while m := IBAN_CANDIDATE_RE.search(text, pos):
        pos, raw = m.start() + 1, m.group()
        # The candidate may run on into the next word ("NL91ABNA0417164300 AB"):
        # take the longest prefix that validates.
        for end in range(len(raw), 13, -1):
            chunk = raw[:end].rstrip()
            compact = chunk.replace(" ", "").replace("\t", "").upper()
            if iban.is_valid(compact) or NL_IBAN_SHAPE_RE.match(compact):
                yield Span(m.start(), m.start() + len(chunk), "IBAN", chunk)
                pos = m.start() + len(chunk)
                break


def find_postcodes(text: str) -> Iterator[Span]:
    for m in POSTCODE_RE.finditer(text):
        if m.group()[-2:].lower() in _NOT_POSTCODE_SUFFIX and " " not in m.group():
            continue
        yield Span(m.start(), m.end(), "POSTCODE", m.group())


# Suffixes that also end ordinary words: "uitkering 2 weken" is no address.
_AMBIGUOUS_SUFFIX_RE = re.compile(r"(?i)(?:ring)\.?$")
_STREET_WORD_RE = re.compile(r"([^\W\d_][\w'’-]*)\.?[ \t]+\d")


def find_addresses(text: str) -> Iterator[Span]:
    for m in ADDRESS_RE.finditer(text):
        start, matched = m.start(), m.group()
        street = _STREET_WORD_RE.search(matched).group(1)
        if _AMBIGUOUS_SUFFIX_RE.search(street) and simplemma.is_known(street.lower(), lang="nl"):
            continue
        first, _, rest = matched.partition(" ")
        while first.lower() in _NOT_STREET_START and rest[:1].isalpha():
            start += len(first) + 1
            matched = rest
            first, _, rest = matched.partition(" ")
        yield Span(start, m.end(), "ADRES", matched)


def find_birth_dates(text: str) -> Iterator[Span]:
    for m in DOB_RE.finditer(text):
        yield Span(m.start(1), m.end(1), "DATUM", m.group(1))


# "meneer (92)", "oudste (14)": an age in brackets after a word for a person.
BRACKET_AGE_RE = re.compile(
    r"(?i)\b(?:meneer|mevrouw|mevr|mw|dhr|heer|vader|moeder|zoon|dochter|oudste|jongste|"
    r"middelste|broer|zus|kind|opa|oma|man|vrouw|buurman|buurvrouw|jongen|meisje|partner|"
    r"vriend|vriendin|neef|nicht|baby)\.?[ \t]*\((\d{1,3})\)"
)


# Ages of 90 and over written out ("mevrouw van negenennegentig", "een eenennegentigjarige"): the
# numeral next to an age word, or after someone "van"/"is"/"wordt". Younger ones are no personal
# data and stay words; deduce's age rules only read digits.
_OLD_NUMERAL = (
    r"(?:(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen)[eë]n)?negentig"
    r"|honderd(?:[ -]?(?:en)?(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien))?"
)
WORD_AGE_RE = re.compile(
    rf"(?i)\b(?:(?<=\bvan )|(?<=\bis )|(?<=\bwordt )|(?<=\bwerd ))({_OLD_NUMERAL})\b(?![ \t]*(?:euro|keer|procent|%))"
    rf"|\b({_OLD_NUMERAL})(?=[ \t]?-?[ \t]?(?:jarige?n?\b|jaar\b))"
)


def find_ages(text: str) -> Iterator[Span]:
    for m in WORD_AGE_RE.finditer(text):
        group = 1 if m.group(1) else 2
        yield Span(m.start(group), m.end(group), "LEEFTIJD", m.group(group))
    for regex in (AGE_RE, BRACKET_AGE_RE):
        for m in regex.finditer(text):
            yield Span(m.start(1), m.end(1), "LEEFTIJD", m.group(1))


PATTERN_FINDERS = (
    find_emails,
    find_urls,
    find_bsns,
    find_phones,
    find_ibans,
    find_postcodes,
    find_addresses,
    find_birth_dates,
    find_ages,
)


def find_patterns(text: str) -> list[Span]:
    return [span for finder in PATTERN_FINDERS for span in finder(text)]
