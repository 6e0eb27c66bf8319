"""The translation workflow's one tool: `make i18n` runs `extract` then `compile`.

    python scripts/i18n.py extract        # code -> messages.pot -> en/messages.po (pybabel update)
    python scripts/i18n.py compile        # .po -> .mo (messages, resident) and pwa/locale/<lang>.json
    python scripts/i18n.py check          # every string present in nl and en (resident: six languages)

Catalogues: server/translations/<lang>/LC_MESSAGES/<domain>.po (server/i18n.py explains the domains).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "server" / "translations"
PWA_LOCALE = ROOT / "pwa" / "locale"
STAFF = ("nl", "en")
RESIDENT = ("nl", "en", "tr", "ar", "pl", "uk")
DOMAINS = {"messages": STAFF, "resident": RESIDENT, "pwa": STAFF}
# The commit whose tables became the first catalogues.
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
KEYWORDS = [
    "N_",
    "gettext",
    "ngettext:1,2",
    "lazy_gettext",
    "Problem:2",
    "problem_response:2",
    "ValidationError",
    "subject:2",
]
HEADER = (
    "Leerlus — {domain}. Edit msgstr only; `make i18n` compiles. Dutch B1: 'je' for staff, 'u' for residents."
)


def po_path(domain: str, lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po"


def load(domain: str, lang: str) -> Catalog:
    path = po_path(domain, lang)
    if not path.exists():
        return Catalog(
            locale=lang, domain=domain, project="Leerlus", header_comment=f"# {HEADER.format(domain=domain)}"
        )
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=domain)


def save(catalog: Catalog, domain: str, lang: str) -> None:
    path = po_path(domain, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.project = "Leerlus"
    catalog.version = ""
    catalog.fuzzy = False
    # Fixed dates: `make i18n` run twice changes nothing (git has the history; merges stay clean).
    catalog.creation_date = catalog.revision_date = STAMP
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=False, include_previous=True)


# Screens with many texts keep them under their own prefix; their tt("key") is t("<prefix>.key").
# Prefix -> pwa/screens/<file>.js (the learning screens kept the catalogue's "development." keys).
SCREEN_TABLES = {"board": "board", "development": "learning", "intervisie": "intervisie"}


# ----- extract / compile / check -------------------------------------------------------------------


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT, check=True)


def extract() -> int:
    pot = TRANSLATIONS / "messages.pot"
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "--no-default-keywords",
        *keywords,
        "--sort-by-file",
        "--no-wrap",
        "--add-location=file",  # no line numbers: moving code does not touch the catalogues
        "--project",
        "Leerlus",
        "--omit-header",
        "-o",
        str(pot),
        "server",
        "workers",
    )
    for lang in STAFF:
        if lang == "nl":
            continue  # the msgids are Dutch
        if not po_path("messages", lang).exists():
            pybabel(
                "init", "-i", str(pot), "-d", str(TRANSLATIONS), "-D", "messages", "-l", lang, "--no-wrap"
            )
        pybabel("update", "-i", str(pot), "-d", str(TRANSLATIONS), "-D", "messages", "-l", lang, "--no-wrap")
        save(load("messages", lang), "messages", lang)
    # The keyed domains: every language gets every key nl has (an empty msgstr is a missing string).
    for domain, langs in (("pwa", STAFF), ("resident", RESIDENT)):
        source = load(domain, "nl")
        for lang in langs:
            if lang == "nl":
                continue
            catalog = load(domain, lang)
            for message in source:
                if not message.id:
                    continue
                if domain == "resident" and message.id.startswith("jeugd.") and "items." not in message.id:
                    continue  # optional: the youth version falls back to the adult text
                current = catalog.get(message.id)
                dutch = message.string
                comment = "nl: " + (" / ".join(dutch) if isinstance(dutch, tuple | list) else dutch)
                if current is None:
                    catalog.add(message.id, "", auto_comments=[comment])
                else:
                    current.auto_comments = [comment]
            save(catalog, domain, lang)
    return 0


def pwa_json(lang: str) -> dict:
    catalog = load("pwa", lang)
    out: dict = {}
    for message in catalog:
        if not message.id or "fuzzy" in message.flags:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if isinstance(message.string, tuple | list):
            if all(message.string):
                out[key] = list(message.string)
        elif message.string:
            out[key] = message.string
    return out


def compiled() -> dict[Path, bytes]:
    """Every compiled file and its bytes (compile writes them; tests compare them to the repo's)."""
    import io

    files: dict[Path, bytes] = {}
    for domain in ("messages", "resident"):
        for lang in DOMAINS[domain]:
            path = po_path(domain, lang)
            if not path.exists():
                continue
            buffer = io.BytesIO()
            write_mo(buffer, load(domain, lang), use_fuzzy=False)
            files[path.with_suffix(".mo")] = buffer.getvalue()
    for lang in STAFF:
        text = json.dumps(pwa_json(lang), ensure_ascii=False, sort_keys=True, indent=0)
        files[PWA_LOCALE / f"{lang}.json"] = (text + "\n").encode()
    return files


def compile_all() -> int:
    for path, data in compiled().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"compiled {path.relative_to(ROOT)}")
    return 0


def missing() -> list[str]:
    """Strings a language lacks: en for everything, all six for the resident page."""
    problems: list[str] = []
    pot_path = TRANSLATIONS / "messages.pot"
    if pot_path.exists():
        with pot_path.open("rb") as handle:
            pot = read_po(handle)
        en = load("messages", "en")
        for message in pot:
            if not message.id:
                continue
            found = en.get(message.id)
            strings = found.string if found is not None else ""
            if not strings or (isinstance(strings, tuple) and not all(strings)) or "fuzzy" in found.flags:
                problems.append(f"messages/en: {message.id!r}")
    for domain, langs in (("pwa", STAFF), ("resident", RESIDENT)):
        source = load(domain, "nl")
        for message in source:
            if not message.id:
                continue
            if not message.string:
                problems.append(f"{domain}/nl: {message.id!r}")
            for lang in langs[1:]:
                if domain == "resident" and message.id.startswith("jeugd.") and "items." not in message.id:
                    continue  # the youth version's own wording; without it the adult text is used
                found = load_cached(domain, lang).get(message.id)
                if found is None or not found.string or "fuzzy" in found.flags:
                    problems.append(f"{domain}/{lang}: {message.id!r}")
    return problems


_cache: dict[tuple[str, str], Catalog] = {}


def load_cached(domain: str, lang: str) -> Catalog:
    if (domain, lang) not in _cache:
        _cache[(domain, lang)] = load(domain, lang)
    return _cache[(domain, lang)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract")
    sub.add_parser("compile")
    sub.add_parser("check")
    args = parser.parse_args(argv)
    if args.command == "extract":
        return extract()
    if args.command == "compile":
        return compile_all()
    problems = missing()
    for problem in problems:
        print("missing", problem)
    print(f"{len(problems)} missing")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
