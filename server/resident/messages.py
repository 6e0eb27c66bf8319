"""Every text on the resident pages, per language (plain B1 wording; "u" in Dutch, "je" for youth).

The texts live in the gettext catalogues, domain ``resident``:
server/translations/<lang>/LC_MESSAGES/resident.po, one file per language, keyed (``title``,
``items.serieus``, ``scale.0``, ``jeugd.title``, ``jeugd.items.jeugd_serieus``); nl.po holds the
Dutch. ``make i18n`` compiles them; tests/platform/test_i18n.py fails while a key lacks a language.
Statement texts follow the national Wmo client-experience items.
"""

from babel.messages.pofile import read_po

from server.i18n import TRANSLATIONS, translations

# code -> (own name, text direction)
LANGUAGES = {
    "nl": ("Nederlands", "ltr"),
    "en": ("English", "ltr"),
    "tr": ("Türkçe", "ltr"),
    "ar": ("العربية", "rtl"),
    "pl": ("Polski", "ltr"),
    "uk": ("Українська", "ltr"),
}
DEFAULT_LANGUAGE = "nl"


def _unflatten(flat: dict[str, str]) -> dict:
    """{"scale.0": "..", "items.serieus": ".."} -> {"scale": [..], "items": {"serieus": ..}}."""
    tree: dict = {}
    for key, value in flat.items():
        node = tree
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value

    def lists(node):
        if not isinstance(node, dict):
            return node
        if node and all(key.isdigit() for key in node):
            return [lists(node[key]) for key in sorted(node, key=int)]
        return {key: lists(value) for key, value in node.items()}

    return lists(tree)


def _order() -> list[str]:
    """The keys in nl.po's order (the compiled .mo sorts them; the page lists items as written)."""
    with (TRANSLATIONS / DEFAULT_LANGUAGE / "LC_MESSAGES" / "resident.po").open("rb") as handle:
        return [str(message.id) for message in read_po(handle) if message.id]


def _catalogue(lang: str, order: list[str]) -> dict[str, str]:
    catalog = getattr(translations("resident", lang), "_catalog", {})
    ordered = {key: catalog[key] for key in order if catalog.get(key)}
    # Then the language's own keys Dutch lacks (plural categories such as "parts.few").
    return ordered | {key: text for key, text in catalog.items() if isinstance(key, str) and key and text}


def _load() -> tuple[dict, dict, dict]:
    messages, youth, youth_items = {}, {}, {}
    order = _order()
    dutch = _catalogue(DEFAULT_LANGUAGE, order)
    for lang in LANGUAGES:
        own = _catalogue(lang, order)
        adult = {key: own.get(key, text) for key, text in dutch.items() if not key.startswith("jeugd.")}
        # Plural categories Dutch does not have (Polish "parts.few", "parts.many") are the language's own.
        adult |= {key: text for key, text in own.items() if key not in dutch and not key.startswith("jeugd.")}
        messages[lang] = _unflatten(adult)
        youth[lang] = _unflatten(
            {k[6:]: v for k, v in own.items() if k.startswith("jeugd.") and not k.startswith("jeugd.items.")}
        )
        youth_items[lang] = _unflatten(
            {k[12:]: own.get(k, v) for k, v in dutch.items() if k.startswith("jeugd.items.")}
        )
    return messages, youth, youth_items


MESSAGES, YOUTH, YOUTH_ITEMS = _load()
DEFAULT_YOUTH_ITEMS = ["jeugd_serieus", "jeugd_meebeslissen"]

VARIANTS = ("wmo", "jeugd")


def texts(lang: str, variant: str = "wmo") -> dict:
    """The catalogue for one language and page version ("wmo" for adults, "jeugd" for 12-17)."""
    if variant != "jeugd":
        return MESSAGES[lang]
    return {**MESSAGES[lang], **YOUTH[lang], "items": YOUTH_ITEMS[lang]}
