"""One translation workflow: every user-facing string is in the gettext catalogues, in nl and en (and for
the resident page in all six languages), compiled, and served in the reader's language.

See server/i18n.py for the domains and scripts/i18n.py for `make i18n`.
"""

import ast
import importlib.util
import inspect
import re
import subprocess
import sys
from pathlib import Path

import marshmallow.fields
import marshmallow.schema
import marshmallow.validate
import pytest
from babel.messages.pofile import read_po

from server.resident.messages import LANGUAGES, texts
from server.validation_messages import MARSHMALLOW
from tests.conftest import TEST_PASSWORD
from tests.support.dutch import DUTCH_WORDS

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _tool()


def test_no_user_facing_string_is_missing_in_any_language():
    """en for everything (staff), nl for every key, all six languages for the resident page."""
    assert tool.missing() == []


def test_every_text_in_the_code_is_in_the_catalogue(tmp_path):
    """A new Problem(status, "...") or {% trans %} fails here until `make i18n` extracted it (and it
    was translated: the test above)."""
    pot = tmp_path / "messages.pot"
    keywords = [arg for keyword in tool.KEYWORDS for arg in ("-k", keyword)]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "--no-default-keywords",
            *keywords,
            "--omit-header",
            "-o",
            str(pot),
            "server",
            "workers",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        in_code = {message.id for message in read_po(handle) if message.id}
    with (tool.TRANSLATIONS / "messages.pot").open("rb") as handle:
        extracted = {message.id for message in read_po(handle) if message.id}
    assert in_code - extracted == set(), "run `make i18n` and translate the new strings"


def _literal_messages() -> set[tuple[str, str]]:
    """Every string literal the server passes as a message: Problem's/problem_response's detail and
    the first argument of gettext, ngettext, lazy_gettext and N_ (read with ast, not pybabel)."""
    positions = {"Problem": 1, "problem_response": 1, "gettext": 0, "ngettext": 0, "lazy_gettext": 0, "N_": 0}
    found = set()
    for path in [*(ROOT / "server").rglob("*.py"), *(ROOT / "workers").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in positions or len(node.args) <= positions[name]:
                continue
            argument = node.args[positions[name]]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value:
                found.add((str(path.relative_to(ROOT)), argument.value))
    return found


def test_pybabel_extracted_every_message_literal():
    """pybabel's Python extractor silently skips every message of a call such as
    Problem(422, "...", errors={"x": [gettext("...") for t in ts]}) (a list inside a keyword call);
    this walks the syntax tree instead, so such a message cannot stay untranslated unnoticed."""
    with (tool.TRANSLATIONS / "messages.pot").open("rb") as handle:
        extracted = {
            message.id if isinstance(message.id, str) else message.id[0] for message in read_po(handle)
        }
    assert {(path, text) for path, text in _literal_messages() if text not in extracted} == set()


def test_the_compiled_files_match_the_catalogues():
    """.mo and pwa/locale/*.json are what `make i18n` makes from the .po files today."""
    stale = [
        str(path.relative_to(ROOT))
        for path, data in tool.compiled().items()
        if not path.exists() or path.read_bytes() != data
    ]
    assert stale == [], "run `make i18n`"


def test_every_key_the_app_uses_has_a_text():
    """t("key") in any PWA module names a key of the Dutch and the English catalogue."""
    nl, en = tool.pwa_json("nl"), tool.pwa_json("en")
    used = set()
    for path in (ROOT / "pwa").rglob("*.js"):
        used |= set(re.findall(r"""\bt\(\s*["']([A-Za-z0-9_.-]+)["']""", path.read_text(encoding="utf-8")))
    for prefix, screen in tool.SCREEN_TABLES.items():  # their tt("key") is t("<prefix>.key")
        source = (ROOT / "pwa" / "screens" / f"{screen}.js").read_text(encoding="utf-8")
        used |= {f"{prefix}.{key}" for key in re.findall(r"""\btt\(\s*["']([A-Za-z0-9_]+)["']""", source)}
    assert used, "no t(...) calls found: the scan is broken"
    assert sorted(used - nl.keys()) == []
    assert sorted(used - en.keys()) == []


def _marshmallow_templates() -> set[str]:
    templates = set(marshmallow.schema.Schema._default_error_messages.values())
    for _, cls in inspect.getmembers(marshmallow.fields, inspect.isclass):
        templates |= set(getattr(cls, "default_error_messages", {}).values())
    validate = marshmallow.validate
    for _, cls in inspect.getmembers(validate, inspect.isclass):
        for attr in ("default_message", "message_min", "message_max", "message_all", "message_equal"):
            value = getattr(cls, attr, None)
            if isinstance(value, str) and "_op}" not in value:
                templates.add(value)
    lows, highs = (
        (validate.Range.message_gte, validate.Range.message_gt),
        (validate.Range.message_lte, validate.Range.message_lt),
    )
    for low in lows:
        templates.add(validate.Range.message_min.format(min_op=low))
        for high in highs:
            templates.add(validate.Range.message_all.format(min_op=low, max_op=high))
    for high in highs:
        templates.add(validate.Range.message_max.format(max_op=high))
    return templates


def test_every_marshmallow_message_has_a_dutch_text():
    assert sorted(_marshmallow_templates() - MARSHMALLOW.keys()) == []


def test_validation_messages_in_dutch_and_english(anonymous):
    body = {"email": "geen-adres", "password": ""}
    response = anonymous.post("/api/v1/auth/login", json=body)
    problem = response.get_json()
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert problem["title"] == "Ongeldige invoer"
    assert problem["errors"]["password"] == ["Vul dit in (hooguit 200 tekens)."]
    english = anonymous.post("/api/v1/auth/login", json=body, headers={"Accept-Language": "en-GB,en;q=0.9"})
    problem = english.get_json()
    assert english.headers["Content-Language"] == "en" and response.headers["Content-Language"] == "nl"
    assert problem["title"] == "Invalid input"
    assert problem["detail"] == "One or more fields are not right."
    assert problem["errors"]["password"] == ["Please fill this in (at most 200 characters)."]
    # Nothing of marshmallow's English is left in the Dutch answer.
    assert "Length must" not in response.get_data(as_text=True)


def test_a_problem_with_a_number_in_it_is_translated(anonymous):
    """Details that carry a number are gettext with a named placeholder, not an f-string the catalogue
    cannot match: the number is the same in both languages."""
    deep = "[" * 40 + "]" * 40
    headers = {"Content-Type": "application/json"}
    dutch = anonymous.post("/api/v1/auth/login", data=deep, headers=headers).get_json()
    english = anonymous.post(
        "/api/v1/auth/login", data=deep, headers={**headers, "Accept-Language": "en"}
    ).get_json()
    assert dutch["detail"] == "De JSON is dieper genest dan 32 niveaus."
    assert english["detail"] == "The JSON is nested deeper than 32 levels."
    long_number = '{"email": ' + "1" * 40 + "}"
    english = anonymous.post(
        "/api/v1/auth/login", data=long_number, headers={**headers, "Accept-Language": "en"}
    ).get_json()
    assert english["detail"] == "Numbers may be at most 32 characters long."


def test_a_signed_in_person_gets_their_own_language(team_setup, app):
    """The account's language wins over the browser's; the numbers of the rule are carried over."""
    lead = team_setup["client"]["lead"]
    path = f"/api/v1/teams/{team_setup['team']}"
    dutch = lead.patch(path, json={"raw_text_days": 0}, headers={"Accept-Language": "en"})
    assert dutch.status_code == 422
    assert dutch.get_json()["errors"]["raw_text_days"] == ["Kies een getal van 1 tot en met 365."]
    assert lead.patch("/api/v1/me", json={"language": "en"}).status_code == 200
    english = lead.patch(path, json={"raw_text_days": 400})
    assert english.get_json()["errors"]["raw_text_days"] == ["Choose a number from 1 to 365."]
    assert english.get_json()["title"] == "Invalid input"
    # A message with a number filled in by the code (not marshmallow's) keeps its number.
    short = lead.post("/api/v1/me/password", json={"current_password": TEST_PASSWORD, "new_password": "kort"})
    assert short.status_code == 422
    assert short.get_json()["errors"]["new_password"] == ["Choose a password of at least 10 characters."]
    assert short.get_json()["detail"] == "Choose a password of at least 10 characters."
    # A refusal written in a view (Problem(404, "...")) is translated too.
    missing = lead.get("/api/v1/teams/00000000-0000-0000-0000-000000000000/members")
    assert missing.status_code == 404
    assert missing.get_json()["detail"] == "This team does not exist, or you are not in it."


def test_an_e_mail_in_english_with_plural_forms():
    from server.mail import render, subject

    context = {
        "team": "Noord",
        "week": "2026-W48",
        "rows": [],
        "url": "https://x.test/",
        "themes": [("Wonen", 1, "="), ("Geld", 4, "+")],
    }
    text, html = render("digest", lang="en", **context)
    assert "1 colleague (" in html and "4 colleagues (" in html
    assert "is ready" in text and "staat klaar" not in text
    _, dutch = render("digest", lang="nl", **context)
    assert "1 collega (" in dutch and "4 collega's (" in dutch
    assert subject("en", "Nieuw wachtwoord voor Leerlus") == "New password for Leerlus"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_resident_page_is_complete_in_every_language(lang):
    dutch, own = texts("nl"), texts(lang)
    assert own.keys() == dutch.keys()
    assert len(own["scale"]) == 5 and all(own["scale"])
    assert own["items"].keys() == dutch["items"].keys()
    if lang != "nl":
        assert own["title"] != dutch["title"]  # really translated, not the Dutch fallback
    assert texts(lang, "jeugd")["items"].keys() == texts("nl", "jeugd")["items"].keys()


def test_the_app_shell_carries_the_dutch_texts(anonymous):
    import json

    page = anonymous.get("/app/").get_data(as_text=True)
    inline = re.search(r'<script type="application/json" id="i18n-nl">(.*?)</script>', page, re.S).group(1)
    texts_nl = json.loads(inline)
    assert texts_nl["login_title"] == "Inloggen"
    assert "<" not in inline  # cannot close its script element
    english = anonymous.get("/app/locale/en.json").get_json()
    assert english["login_title"] == "Log in"


def test_push_messages_in_the_addressees_language():
    import json

    from server.i18n import for_language
    from server.push.payload import KINDS, build_payload

    english = for_language("en").gettext
    for kind in KINDS:  # every kind fits the fixed payload size in English too
        build_payload(kind, "id", english)
    assert json.loads(build_payload("digest", "id", english))["title"] == "Your weekly overview is ready"
    assert json.loads(build_payload("digest", "id"))["title"] == "Je weekoverzicht staat klaar"


def test_the_standard_themes_have_their_taxonomy_name_in_dutch_and_a_name_in_english():
    """The app's catalogue names the standard themes (theme.<id>, for stored digests and the server
    alike): the Dutch must be the taxonomy's own label, so the copy cannot drift from it."""
    from server.themes import THEMES

    nl, en = tool.pwa_json("nl"), tool.pwa_json("en")
    assert {theme.id: nl.get(f"theme.{theme.id}") for theme in THEMES} == {t.id: t.label for t in THEMES}
    assert all(
        en.get(f"theme.{theme.id}") not in (None, theme.label) for theme in THEMES if theme.id != "verslaving"
    )


# Literals the static check below allows, each with its reason.
DUTCH_ON_PURPOSE = {
    ("pwa/screens/board.js", "U zei: "): "a preview of the poster for residents, which is Dutch",
    ("pwa/screens/board.js", "Wij doen: "): "a preview of the poster for residents, which is Dutch",
    (
        "pwa/sw.js",
        "Er is iets nieuws voor je in Leerlus.",
    ): "a push without text; the server always sends one",
}
_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`|\'(?:[^\'\\\n]|\\.)*\'')


def _dutch_literals(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        code = "" if line.strip().startswith(("//", "*", "/*")) else re.sub(r"\s//\s.*$", "", line)
        lines.append(code)
    found = []
    for match in _LITERAL.finditer("\n".join(lines)):
        text = match.group()[1:-1]
        if " " not in text or match.string[max(0, match.start() - 7) : match.start()].endswith("class: "):
            continue  # a key, an address, or CSS classes
        if set(re.findall(r"[a-zë']+", text.lower())) & DUTCH_WORDS:
            found.append(text)
    return found


def test_no_dutch_string_literal_in_the_app_code():
    """A Dutch sentence in a screen's code bypassed t() and stays Dutch in English (the browser tests
    check the screens as shown; this reads every file, so a text on a rarely shown path counts too)."""
    found = {
        (str(path.relative_to(ROOT)), text)
        for path in sorted((ROOT / "pwa").rglob("*.js"))
        if not {"locale", "vendor", "node_modules"} & set(path.parts)
        for text in _dutch_literals(path)
    }
    assert found - DUTCH_ON_PURPOSE.keys() == set()
