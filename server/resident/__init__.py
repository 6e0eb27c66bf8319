"""The resident's feedback page /f/<token>: server-rendered, no JavaScript, no cookies.

- Only POST consumes a link (link previews and scanners GET it); a conditional UPDATE makes
  exactly one of any number of concurrent POSTs win.
- CSRF without cookies: the form carries a signed, time-limited nonce bound to the token's hash.
- Correction without cookies: the thank-you page carries a signed correction nonce (10 minutes,
  one use) whose random part is stored hashed on the answer.
- The stylesheet is inline and allowed by its CSP hash: one request on 3G, nothing from elsewhere.
- The token is never logged: error handlers here log without the path.
- A printed card carries a short code as well; /f/code takes it (rate limited harder) and then
  serves the same form, carrying the code in a hidden field instead of the token in the path.
- The only script is /f/read-aloud.js, an optional read-aloud button (allowed by `script-src 'self'`):
  everything works without it.
"""

import base64
import hashlib
import logging
import secrets
import uuid
from pathlib import Path

from flask import Blueprint, current_app, g, render_template, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from server.auth.tokens import token_hash
from server.compression import compress_response
from server.events import Event, emit
from server.extensions import db, limiter
from server.models import FeedbackLink, InwonerFeedback, Organisation, Team, TeamNote, Visit, utcnow
from server.ratelimits import CODE_LIMIT, FEEDBACK_LIMIT
from server.resident import codes
from server.resident.messages import DEFAULT_LANGUAGE, DEFAULT_YOUTH_ITEMS, LANGUAGES, MESSAGES, texts

log = logging.getLogger(__name__)

bp = Blueprint("resident", __name__, url_prefix="/f")

MAX_COMMENT = 1000
FORM_MAX_AGE = 2 * 3600  # a tab left open on a phone for a while still submits
CORRECTION_MAX_AGE = 10 * 60
SCORES = range(1, 6)
# Five faces from 1 (helemaal mee oneens) to 5 (helemaal mee eens), told apart three ways: colour
# (resident.css, --f1 … --f5), shape and the label under them. Shapes: 1 frowns deeply under sad
# eyebrows, 2 frowns a little, 3 has a straight mouth, 4 smiles, 5 laughs with an open mouth and
# closed eyes. Drawn in currentColor inside a 40×40 viewBox; trusted constants, not user text.
_EYES = '<circle cx="14" cy="16" r="2.4" fill="currentColor"/><circle cx="26" cy="16" r="2.4" fill="currentColor"/>'
_LINE = 'fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"'
FACES = tuple(
    Markup(shape)
    for shape in (
        f'<path d="M10 13l7-3M30 13l-7-3" {_LINE}/>{_EYES}<path d="M11.5 31q8.5-10 17 0" {_LINE}/>',
        f'{_EYES}<path d="M14 28q6-3.5 12 0" {_LINE}/>',
        f'{_EYES}<path d="M13.5 27h13" {_LINE}/>',
        f'{_EYES}<path d="M14 25q6 4.5 12 0" {_LINE}/>',
        f'<path d="M10.5 17q3.5-5 7 0M22.5 17q3.5-5 7 0" {_LINE}/>'
        '<path d="M11 23h18q-1.5 9.5-9 9.5t-9-9.5z" fill="currentColor"/>',
    )
)


CSS = (Path(__file__).parent / "resident.css").read_text(encoding="utf-8")
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
SCRIPT = (Path(__file__).parent / "read-aloud.js").read_bytes()
CSP = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; script-src 'self'; img-src data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
)


def _token_key() -> str:
    # Keyed on the hash so the token never becomes a Redis key.
    return "f-token:" + token_hash((request.view_args or {}).get("token", ""))


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"resident-{purpose}")


def _language(link: FeedbackLink | None = None) -> str:
    # Only the query string: the form action carries ?lang=, and reading the body here could
    # re-raise 413 inside the error handler.
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return link.language if link is not None and link.language in LANGUAGES else DEFAULT_LANGUAGE


def _page(
    template: str, status: int, lang: str, *, show_languages: bool = True, variant: str = "wmo", **context
):
    name, direction = LANGUAGES[lang]
    # A form reached by a typed code has no URL of its own to switch language on.
    code = g.get("resident_code")
    languages = [(c, own) for c, (own, _) in LANGUAGES.items()] if show_languages and not code else None
    html = render_template(
        f"resident/{template}",
        lang=lang,
        dir=direction,
        t=texts(lang, variant),
        css=Markup(CSS),
        languages=languages,
        faces=FACES,
        max_comment=MAX_COMMENT,
        code=code,
        **context,
    )
    response = current_app.make_response((html, status))
    response.headers["Content-Language"] = lang
    return response


def _message(
    status: int,
    key: str,
    lang: str | None = None,
    *,
    team: Team | None = None,
    back=False,
    variant: str = "wmo",
):
    lang = lang or _language()
    return _page(
        "message.html",
        status,
        lang,
        variant=variant,
        message=texts(lang, variant)[key],
        back=back,
        contact_route=team.contact_route if team else None,
    )


@bp.after_request
def _headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    # Defence in depth: nothing on these pages may ever set a cookie.
    response.headers.remove("Set-Cookie")
    # gzip (~8 KB → ~2.5 KB). Input echoed next to the nonces (a comment on a form shown again) can
    # only come from someone who holds the link's token already: nothing to learn by size (BREACH).
    return compress_response(response, request)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    key = {404: "unknown", 413: "too_large", 429: "too_many"}.get(error.code or 500, "error")
    response = _message(error.code or 500, key, back=error.code == 413)
    if error.code == 429:
        response.headers["Retry-After"] = str(getattr(error, "retry_after", None) or 60)
    return response


@bp.errorhandler(OperationalError)
def _db_down(error):
    log.warning("resident page: database unavailable (%s)", error.__class__.__name__)
    db.session.rollback()
    response = _message(503, "error")
    response.headers["Retry-After"] = "5"
    return response


@bp.errorhandler(Exception)
def _unexpected(error):
    # Logged without the request path: the path carries the resident's token.
    log.error("resident page: unhandled %s", error.__class__.__name__, exc_info=error)
    db.session.rollback()
    if current_app.testing and current_app.config.get("PROPAGATE_UNHANDLED"):
        raise error
    return _message(500, "error")


def _find(token: str) -> FeedbackLink | None:
    return db.session.scalar(select(FeedbackLink).where(FeedbackLink.token_hash == token_hash(token)))


def _unavailable(link: FeedbackLink, lang: str):
    """The kind page for a used, revoked or expired link (410), or None when it is open."""
    if link.used_at is None and link.revoked_at is None and link.expires_at > utcnow():
        return None
    return _used(link, lang, "used" if link.used_at else "gone")


def _used(link: FeedbackLink, lang: str, key: str = "used"):
    return _message(410, key, lang, team=db.session.get(Team, link.team_id), variant=link.variant)


def form_items(link: FeedbackLink) -> list[str]:
    if link.variant == "jeugd":
        return list(DEFAULT_YOUTH_ITEMS)
    team = db.session.get(Team, link.team_id)
    return [item for item in team.wmo_items if item in MESSAGES[DEFAULT_LANGUAGE]["items"]]


def _read_answers(items: list[str]) -> dict:
    scores = {}
    for item in items:
        value = request.form.get(item, "")
        if value.isdigit() and int(value) in SCORES:
            scores[item] = int(value)
    # PostgreSQL text cannot hold NUL; nothing a person types contains one.
    comment = request.form.get("comment", "").replace("\x00", "").strip()
    return {"scores": scores, "comment": comment, "contact": request.form.get("contact") == "ja"}


def _asked_by(link: FeedbackLink, lang: str) -> Markup:
    """ "Wijkteam Noord van Gemeente Rivierstad stelt u deze vragen.": who is asking, by name. The names
    are isolated (<bdi>) so a Dutch name keeps its order inside an Arabic sentence."""
    team = db.session.get(Team, link.team_id)
    assert team is not None  # feedback_links.team_id is a foreign key
    organisation = db.session.get(Organisation, team.organisation_id) if team.organisation_id else None
    t = texts(lang, link.variant)
    name = Markup("<bdi>{}</bdi>")
    if organisation is None:
        return Markup(t["asked_by_team"]).format(team=name.format(team.name))
    return Markup(t["asked_by"]).format(
        team=name.format(team.name), organisation=name.format(organisation.name)
    )


def _form(link, lang, status=200, *, answers=None, error=None):
    nonce = _serializer("form").dumps(link.token_hash)
    answers = answers or {"scores": {}, "comment": "", "contact": False}
    return _page(
        "form.html",
        status,
        lang,
        variant=link.variant,
        items=form_items(link),
        nonce=nonce,
        answers=answers,
        error=texts(lang, link.variant)[error] if error else None,
        correction=None,
        asked_by=_asked_by(link, lang),
    )


@bp.get("/read-aloud.js")
def script():
    return current_app.response_class(SCRIPT, mimetype="text/javascript")


@bp.get("/")
@bp.get("/code")
@limiter.limit(FEEDBACK_LIMIT)
def code_form():
    return _page("code.html", 200, _language(), typed="", error=None)


@bp.post("/")
@bp.post("/code")
@limiter.limit(FEEDBACK_LIMIT)
@limiter.limit(CODE_LIMIT)
def code_submit():
    """A code from a card or read aloud by the medewerker (/f/ and /f/code alike): the first POST
    finds the link and shows its form; the form's own POST (and a correction) come back here with
    the code in a hidden field. A wrong code shows the form again with what was typed."""
    typed = request.form.get("code", "")
    code = codes.normalise(typed)
    if code is None and codes.typed_length(typed) != codes.LENGTH:
        lang = _language()
        message = texts(lang)["code_malformed"].format(count=codes.typed_length(typed))
        return _page("code.html", 422, lang, typed=typed[:20], error=message)
    link = (
        db.session.scalar(
            select(FeedbackLink).where(
                FeedbackLink.code_hash == codes.code_hash(code, current_app.config["SECRET_KEY"])
            )
        )
        if code
        else None
    )
    if link is None:
        lang = _language()
        return _page("code.html", 404, lang, typed=typed[:20], error=MESSAGES[lang]["code_wrong"])
    g.resident_code = codes.display(code)
    lang = _language(link)
    if request.form.get("nonce") is None and not request.form.get("correction"):
        if link.used_at is None and (link.revoked_at is not None or link.expires_at <= utcnow()):
            return _message(
                410, "code_gone", lang, team=db.session.get(Team, link.team_id), variant=link.variant
            )
        return _unavailable(link, lang) or _form(link, lang)
    return _submit(link, lang)


@bp.get("/<token>")
@limiter.limit(FEEDBACK_LIMIT)
@limiter.limit(FEEDBACK_LIMIT, key_func=_token_key)
def show(token: str):
    link = _find(token)
    if link is None:
        return _message(404, "unknown")
    lang = _language(link)
    return _unavailable(link, lang) or _form(link, lang)


@bp.post("/<token>")
@limiter.limit(FEEDBACK_LIMIT)
@limiter.limit(FEEDBACK_LIMIT, key_func=_token_key)
def submit(token: str):
    link = _find(token)
    if link is None:
        return _message(404, "unknown")
    return _submit(link, _language(link))


def _submit(link: FeedbackLink, lang: str):
    if request.form.get("correction"):
        return _correct(link, lang)
    gone = _unavailable(link, lang)
    if gone is not None:
        return gone
    answers = _read_answers(form_items(link))
    try:
        if _serializer("form").loads(request.form.get("nonce", ""), max_age=FORM_MAX_AGE) != link.token_hash:
            raise BadSignature("nonce for another link")
    except BadSignature:
        return _form(link, lang, 400, answers=answers, error="stale")
    problem = _invalid(answers)
    if problem:
        return _form(link, lang, 422, answers=answers, error=problem)

    now = utcnow()
    # The single-use guarantee: only the request whose UPDATE changes the row goes on.
    claimed = db.session.execute(
        update(FeedbackLink)
        .where(
            FeedbackLink.id == link.id,
            FeedbackLink.used_at.is_(None),
            FeedbackLink.revoked_at.is_(None),
            FeedbackLink.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return _used(link, lang)
    # A batch card not yet tied to a visit still belongs to the medewerker who printed it.
    visit = db.session.get(Visit, link.visit_id) if link.visit_id else None
    secret = secrets.token_urlsafe(16)
    feedback = InwonerFeedback(
        id=uuid.uuid4(),
        link_id=link.id,
        team_id=link.team_id,
        visit_id=link.visit_id,
        medewerker_id=visit.author_id if visit else link.created_by_id,
        submitted_at=now,
        scores=answers["scores"],
        comment=answers["comment"],
        contact_requested=answers["contact"],
        language=lang,
        correction_hash=token_hash(secret),
    )
    db.session.add(feedback)
    emit(Event.FEEDBACK_SUBMITTED, feedback_id=feedback.id)
    db.session.commit()
    correction = _serializer("correction").dumps([link.token_hash, str(feedback.id), secret])
    return _thanks(link, lang, answers, correction=correction)


def _invalid(answers: dict) -> str | None:
    if len(answers["comment"]) > MAX_COMMENT:
        return "too_long"
    if not answers["scores"] and not answers["comment"]:
        return "empty"
    return None


def _team_line(team_id) -> TeamNote | None:
    """The team's published, de-identified "U zei … Wij doen …" line (written in Dutch)."""
    return db.session.scalar(
        select(TeamNote)
        .where(
            TeamNote.team_id == team_id,
            TeamNote.audience == "inwoners",
            TeamNote.published_at.is_not(None),
            TeamNote.text_deidentified.is_not(None),
        )
        .order_by(TeamNote.iso_week.desc())
        .limit(1)
    )


def _thanks(link, lang, answers, *, correction=None, corrected=False):
    return _page(
        "thanks.html",
        200,
        lang,
        show_languages=False,
        variant=link.variant,
        items=form_items(link),
        answers=answers,
        nonce="",
        correction=correction,
        corrected=corrected,
        error=None,
        team_line=_team_line(link.team_id),
    )


def _correct(link: FeedbackLink, lang: str):
    """Replace the answer once, within 10 minutes, for whoever holds the thank-you page."""
    try:
        bound, feedback_id, secret = _serializer("correction").loads(
            request.form["correction"], max_age=CORRECTION_MAX_AGE
        )
        if bound != link.token_hash:
            raise BadSignature("correction for another link")
    except (BadSignature, ValueError):
        return _used(link, lang)
    answers = _read_answers(form_items(link))
    problem = _invalid(answers)
    if problem:
        return _page(
            "form.html",
            422,
            lang,
            show_languages=False,
            variant=link.variant,
            items=form_items(link),
            nonce="",
            answers=answers,
            error=texts(lang, link.variant)[problem],
            correction=request.form["correction"],
        )
    changed = db.session.execute(
        update(InwonerFeedback)
        .where(
            InwonerFeedback.id == uuid.UUID(feedback_id),
            InwonerFeedback.link_id == link.id,
            InwonerFeedback.correction_hash == token_hash(secret),
            InwonerFeedback.corrected_at.is_(None),
        )
        .values(
            scores=answers["scores"],
            comment=answers["comment"],
            contact_requested=answers["contact"],
            language=lang,
            corrected_at=utcnow(),
            comment_deidentified=None,
            processed_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        return _used(link, lang)
    emit(Event.FEEDBACK_SUBMITTED, feedback_id=feedback_id)
    db.session.commit()
    return _thanks(link, lang, answers, corrected=True)
