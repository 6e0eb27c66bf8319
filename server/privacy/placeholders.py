"""The placeholders that stand in for personal data, and the rules for reading them.

A placeholder reads naturally when a quote is read aloud: "Bij [naam 1] thuis, zoon zit op [school]".
People are numbered per text (the same person keeps the same number); the other categories are
named. This is the one place that knows the format: the de-identifier writes it, and the code that
shortens quotes, explains themes or looks for new words recognises it here.

Texts de-identified before this format ("[PERSOON-1]", "[TELEFOON]") stay in the database until
retention removes them (frozen digests keep their quotes as built), so the recognisers accept the old
upper-case tags too.
"""

import re

# category -> placeholder text (without brackets). PERSOON is numbered: "naam 1".
LABELS = {
    "PERSOON": "naam",
    "TELEFOON": "telefoonnummer",
    "EMAIL": "e-mail",
    "URL": "website",
    "BSN": "BSN",
    "IBAN": "IBAN",
    "POSTCODE": "postcode",
    "ADRES": "adres",
    "DATUM": "datum",
    "GEBOORTEDATUM": "geboortedatum",
    "LEEFTIJD": "leeftijd",
    "NUMMER": "nummer",
    "SCHOOL": "school",
    "PRAKTIJK": "praktijk",
    "HUISARTS": "huisarts",
    "INSTELLING": "instelling",
}

_NEW = r"\[(?:naam \d+|" + "|".join(re.escape(v) for k, v in LABELS.items() if k != "PERSOON") + r")\]"
_LEGACY = r"\[[A-Z]+(?:-\d+)?\]"  # "[PERSOON-1]", "[TELEFOON]": stored before December 2026
PLACEHOLDER_RE = re.compile(f"{_NEW}|{_LEGACY}")
# A word for shortening: placeholders count as one word even though "[naam 1]" holds a space.
_WORD_RE = re.compile(rf"(?:{_NEW}|{_LEGACY}|\S)+")


def placeholder(category: str, number: int | None = None) -> str:
    """The text that replaces a span of this category: "[naam 2]", "[school]"."""
    label = LABELS.get(category, LABELS["NUMMER"])
    if category == "PERSOON":
        return f"[{label} {number or 1}]"
    return f"[{label}]"


def without_placeholders(text: str, replacement: str = " ") -> str:
    """The text with every placeholder (new or old format) replaced: the words a reader sees."""
    return PLACEHOLDER_RE.sub(replacement, text)


def shorten(text: str, limit: int) -> str:
    """Whitespace collapsed and, when longer than `limit`, cut after the last whole word with " …".

    A placeholder is never cut in half ("[naam" would read as a word and lose its meaning).
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    end = 0
    for m in _WORD_RE.finditer(text):
        if m.end() > limit:
            break
        end = m.end()
    if end == 0:  # one word longer than the limit
        inside = [m for m in PLACEHOLDER_RE.finditer(text) if m.start() < limit < m.end()]
        end = inside[0].start() if inside else limit
    return text[:end].rstrip() + " …"
