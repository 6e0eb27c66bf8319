"""One translation workflow: gettext catalogues (Babel) for everything people read.

The catalogues live in server/translations/<lang>/LC_MESSAGES/ in three domains, each a .po file a
translator edits (docs/architecture.md, "Translating"):

- ``messages`` (nl, en): problem documents, validation messages, e-mails. The msgid is the Dutch
  source text, extracted from the code by ``make i18n`` (pybabel extract; ``Problem(status,
  "...")`` is a keyword, so a view's refusal needs no wrapper).
- ``resident`` (nl en tr ar pl uk): the resident page; msgid is a key (``title``, ``scale.0``,
  ``jeugd.title``), nl.po holds the Dutch.
- ``pwa`` (nl, en): the app's screens; msgid is the key screens pass to ``t(key, vars)``; compiled to
  pwa/locale/<lang>.json (the Dutch one inlined into the app shell).

The locale of a request: the signed-in person's language, else the best of Accept-Language (the PWA
sends its own choice), else Dutch.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from flask import g, has_request_context, request
from flask_babel import Babel, get_locale
from flask_babel import gettext as _gettext
from flask_babel import ngettext as _ngettext

from server.config import pwa_dir
from server.marker import (
    N_,  # noqa: F401 (re-exported: views and schemas mark texts with it)
    Texts,
)

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
STAFF_LANGUAGES = ("nl", "en")
RESIDENT_LANGUAGES = ("nl", "en", "tr", "ar", "pl", "uk")
DEFAULT = "nl"

babel = Babel()


def select_locale() -> str:
    user = getattr(g, "user", None)
    if user is not None and getattr(user, "language", None) in STAFF_LANGUAGES:
        return user.language
    return request.accept_languages.best_match(STAFF_LANGUAGES) or DEFAULT


def init_app(app) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_locale=DEFAULT,
        default_translation_directories=str(TRANSLATIONS),
    )


def language() -> str:
    """The current request's language ("nl" outside a request)."""
    if not has_request_context():
        return DEFAULT
    return str(get_locale() or DEFAULT)


def gettext(message: str, **variables) -> str:
    """The Dutch source text in the request's language (Dutch outside a request)."""
    if not has_request_context():
        return message % variables if variables else message
    return _gettext(message, **variables)


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    if not has_request_context():
        return (singular if num == 1 else plural) % {"num": num, **variables}
    return _ngettext(singular, plural, num, **variables)


@lru_cache(maxsize=32)
def translations(domain: str, lang: str) -> NullTranslations:
    """One domain's compiled catalogue for one language (outside Flask too: workers, the card PDF)."""
    return Translations.load(str(TRANSLATIONS), [lang], domain=domain)


def for_language(lang: str, domain: str = "messages") -> NullTranslations:
    """gettext/ngettext for a language chosen by the caller (an e-mail in its addressee's language)."""
    return translations(domain, lang if lang in RESIDENT_LANGUAGES else DEFAULT)


@lru_cache(maxsize=4)
def app_texts(lang: str) -> dict:
    """The app's compiled catalogue (pwa/locale/<lang>.json), for the few texts server and app share."""
    return json.loads((pwa_dir() / "locale" / f"{lang}.json").read_text(encoding="utf-8"))


def theme_name(theme_id: str, label: str) -> str:
    """A standard theme's name in the request's language: the app's catalogue has them as
    ``theme.<id>`` (the screens translate stored digests with the same keys); any other theme, one a
    team made, stays as typed."""
    lang = language()
    if lang == DEFAULT:
        return label
    return app_texts(lang).get(f"theme.{theme_id}", label)


def decimal(value: float) -> str:
    """A number as the reader writes it: 2,25 in Dutch, 2.25 in English (at most two decimals)."""
    return format_decimal(value, format="#,##0.##", locale=language())


class _RequestTexts:
    """The `Texts` (server.marker) that pure code is given by views and jobs: the request's language."""

    gettext = staticmethod(gettext)
    ngettext = staticmethod(ngettext)
    decimal = staticmethod(decimal)


REQUEST_TEXTS: Texts = _RequestTexts()
