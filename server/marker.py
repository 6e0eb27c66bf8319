"""gettext's no-op marker, importable by pure modules (no Flask): pybabel extracts every N_("...") into
the messages catalogue, and the text is translated where it is shown (server.i18n re-exports it)."""


def N_(message: str) -> str:
    """Marks a Dutch source text for extraction where it is translated later."""
    return message
