"""gettext's no-op marker, importable by pure modules (no Flask): pybabel extracts every N_("...") into
the messages catalogue, and the text is translated where it is shown (server.i18n re-exports it)."""

from typing import Any, Protocol


def N_(message: str) -> str:
    """Marks a Dutch source text for extraction where it is translated later."""
    return message


class Texts(Protocol):
    """What pure code needs to say something in the reader's language: views and jobs pass the
    request's (server.i18n.REQUEST_TEXTS); SOURCE gives the Dutch source texts themselves."""

    def gettext(self, message: str, **variables: Any) -> str: ...

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str: ...

    def decimal(self, value: float) -> str: ...


class _SourceTexts:
    def gettext(self, message: str, **variables: Any) -> str:
        return message % variables if variables else message

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        return (singular if num == 1 else plural) % {"num": num, **variables}

    def decimal(self, value: float) -> str:
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


SOURCE: Texts = _SourceTexts()
