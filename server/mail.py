"""Sending e-mail over SMTP_URL (smtp://user:pass@host:port, smtps:// for implicit TLS)."""

import smtplib
import unicodedata
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app
from jinja2 import Environment, PackageLoader, select_autoescape

from server.i18n import DEFAULT, STAFF_LANGUAGES, for_language

# Workers render outside Flask's request machinery: a standalone Jinja environment does not
# autoescape unless told to. HTML templates (and strings) are escaped; the plain-text parts are not,
# because "&lt;" in a text mail is a bug, not a defence.
templates = Environment(
    loader=PackageLoader("server", "templates/email"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=False),
    extensions=["jinja2.ext.i18n"],  # {% trans %}: the texts are in the messages catalogue (server/i18n.py)
)


def header_value(value: str) -> str:
    """One line for a mail header: a CR/LF (or any other line break or control character) in a team
    or person's name must neither break the message nor inject a header of its own."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in value).split())


def send_mail(to: str, subject: str, text_body: str, html_body: str | None = None) -> None:
    url = current_app.config.get("SMTP_URL")
    if not url:
        raise RuntimeError("SMTP_URL is not configured")
    parts = urlsplit(url)
    message = EmailMessage()
    message["From"] = header_value(current_app.config["MAIL_FROM"])
    message["To"] = header_value(to)
    message["Subject"] = header_value(subject)
    message.set_content(text_body)
    if html_body:
        message.add_alternative(html_body, subtype="html")
    smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with smtp_class(
        parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25), timeout=10
    ) as smtp:
        if parts.scheme == "smtp+starttls":
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)


def render(template: str, /, lang: str = DEFAULT, **context) -> tuple[str, str]:
    """(plain text, HTML) from templates/email/<template>.txt and .html, in the addressee's language.

    Positional-only, so a template variable may be called anything (the reset mail's `name`). A worker
    renders one mail at a time, so installing the language's gettext on the shared environment is safe.
    """
    lang = lang if lang in STAFF_LANGUAGES else DEFAULT
    templates.install_gettext_translations(for_language(lang), newstyle=True)  # type: ignore[attr-defined]
    return (
        templates.get_template(f"{template}.txt").render(lang=lang, **context),
        templates.get_template(f"{template}.html").render(lang=lang, **context),
    )


def subject(lang: str, message: str, **variables) -> str:
    """A mail's subject line: a Dutch source text (extracted by its keyword) in the addressee's language."""
    return for_language(lang if lang in STAFF_LANGUAGES else DEFAULT).gettext(message) % variables
