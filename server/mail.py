"""Sending e-mail over SMTP_URL (smtp://user:pass@host:port, smtps:// for implicit TLS)."""

import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app
from jinja2 import Environment, PackageLoader, select_autoescape

# Workers render outside Flask's request machinery: a standalone Jinja environment does not
# autoescape unless told to. HTML templates (and strings) are escaped; the plain-text parts are not,
# because "&lt;" in a text mail is a bug, not a defence.
templates = Environment(loader=PackageLoader("server", "templates/email"),
                        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True,
                                                     default=False))


def send_mail(to: str, subject: str, text_body: str, html_body: str | None = None) -> None:
    url = current_app.config.get("SMTP_URL")
    if not url:
        raise RuntimeError("SMTP_URL is not configured")
    parts = urlsplit(url)
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text_body)
    if html_body:
        message.add_alternative(html_body, subtype="html")
    smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with smtp_class(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25), timeout=10) as smtp:
        if parts.scheme == "smtp+starttls":
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)


def render(name: str, **context) -> tuple[str, str]:
    """(plain text, HTML) from templates/email/<name>.txt and .html."""
    return (templates.get_template(f"{name}.txt").render(**context),
            templates.get_template(f"{name}.html").render(**context))
