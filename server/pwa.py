"""The progressive web app: the static files in pwa/ served at /app/, and / redirecting there.

No build step: the files are served as they are on disk, except that every text file's placeholder
__VERSION__ is replaced by a hash over all served files. index.html, sw.js and every module import
(`from "./api.js?v=__VERSION__"`) carry it (and index.html gets the Dutch texts its first screen
uses, from pwa/locale/nl.json, inlined at __CATALOGUE_NL__), so any change to the app installs a new service worker
(new precache) and yields new URLs, and a URL carrying the current version is cached for a year
(immutable): a repeat load revalidates only /app/ itself.

The first screen travels inside the document (issue #24; docs/performance.md): on a slow phone
network every request after the document costs another round trip (562 ms on Fast 3G), so index.html
gets the modules of the start and reflection screens (BUNDLE_ENTRIES and what they import) as one
inline module script, each module wrapped in a function that runs once, when it is first imported,
and store.js (a classic script), styles.css and the Dutch texts those modules name (first_screen_texts;
i18n.js fetches the whole catalogue once the first screen is up) inline. Later screens still import `../lib/api.js?v=…` by URL: the
document's import map sends each import of a module the document holds to `…&bundled=1`, a
two-line module that re-exports the instance the document runs, so every module still runs once
(one session, one outbox). The service worker precaches those instead of the originals.

A logged-in page load gets GET /me's answer in the document too, so the first screen waits for no
request: only for a navigation (Sec-Fetch-Mode), so the copy the service worker precaches (one per
device, shared by whoever logs in next) holds no personal data, and that response is `private,
no-store`. Without it (logged out, or the page from the service worker) the document's first script
asks GET /me at once. That logged-in document also leaves out the login screen (LOGGED_IN_ENTRIES;
app.js fetches it by URL once the first screen is up).

index.html's inline scripts (that one, the early GET /me, the import map, store.js) and its one
inline stylesheet are allowed by its CSP by their sha256, and still nothing else inline.

Each file is read, templated and gzipped once per version and kept in memory (the whole app is
~150 KB); responses carry a strong ETag per encoding, Vary: Accept-Encoding, and answer
If-None-Match with 304.
"""

import base64
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, g, make_response, redirect, request
from werkzeug.security import safe_join

from server.api.auth import me_body
from server.auth.access import _mfa_missing
from server.compression import accepts_gzip, gzip_bytes
from server.config import pwa_dir
from server.headers import CSP
from server.schemas.accounts import MeOut

blp = Blueprint("pwa", __name__)

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".json": "application/json; charset=utf-8",
}
TEXT = {
    ".html",
    ".js",
    ".css",
    ".webmanifest",
    ".svg",
    ".json",
}  # templated and gzipped; PNGs are compressed already
PLACEHOLDER = "__VERSION__"
CATALOGUE_PLACEHOLDER = (
    "__CATALOGUE_NL__"  # index.html: the first screen's Dutch texts, so it needs no extra request
)
ME_SLOT = b'<script type="application/json" id="leerlus-me">__ME__</script>'
ME_EMPTY = ME_SLOT.replace(b"__ME__", b"")
LONG_CACHE = "public, max-age=31536000, immutable"
VERSION_SHAPE = re.compile(r"[0-9a-f]{12}")
INLINE_SCRIPT = re.compile(rb'<script(?: type="(?:module|importmap)")?>(.*?)</script>', re.S)
INLINE_STYLE = re.compile(rb"<style>(.*?)</style>", re.S)

# The modules the first screen needs (the router, the outbox, the start, reflection and login
# screens) and, found by following their imports, everything they import; the other files inlined.
BUNDLE_ENTRIES = ("app.js", "lib/outbox.js", "screens/home.js", "screens/reflect.js", "screens/login.js")
# A logged-in page load opens a screen of the app, not the login screen: its document leaves that out
# (issue #24: less to download and parse on a slow phone); app.js fetches it once the screen is up.
LOGGED_IN_ENTRIES = tuple(entry for entry in BUNDLE_ENTRIES if entry != "screens/login.js")
INLINED = {"__STORE__": "lib/store.js", "__STYLES__": "styles.css"}
# What the bundler understands: this app's own style of module (named imports, declarations marked
# `export`). Anything else in a bundled module is refused (ValueError), not silently mis-bundled.
IMPORT = re.compile(r'^import \{([^}]*)\} from "(\.{1,2}/[^"?]+)\?v=__VERSION__";[ \t]*$', re.M)
EXPORT = re.compile(r"^export (?=(?:async function|function|const|class) (\w+))", re.M)
OTHER_MODULE_SYNTAX = re.compile(r"^\s*(?:import\b(?!\()|export\b)|\bimport\.meta\b|</script|<!--", re.M)
# The texts a module can show: a quoted word that is a catalogue key (`t("retry")`, a table of keys),
# or every key starting with a template literal's fixed part (`t(`zone_${z}`)`). Only words, so that
# no quote in a comment or a text can swallow code; a word that is no key is left out anyway.
KEY_LITERAL = re.compile(r"""["'`]([\w.]+)["'`]""")
KEY_PREFIX = re.compile(r"`([\w.]+)\$\{")
# Runs each wrapped module once, on its first import (like the module map); app.js is the entry.
BUNDLE_LOADER = """
const running = new Map();
function __import(name) {
  if (!running.has(name)) {
    const exports = {};
    running.set(name, modules[name](__import, exports).then(() => exports));
  }
  return running.get(name);
}
self.leerlusBundle = { has: (name) => Object.hasOwn(modules, name), load: __import };
__import("app.js");
"""


def _served_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in CONTENT_TYPES)


@lru_cache(maxsize=4)
def _hash_files(stamp: tuple) -> str:
    digest = hashlib.sha256()
    for name, _mtime, _size in stamp:
        digest.update(name.encode())
        digest.update((pwa_dir() / name).read_bytes())
    return digest.hexdigest()[:12]


def version() -> str:
    """Content hash of the app; recomputed only when a file's mtime or size changes."""
    root = pwa_dir()
    stamp = tuple(
        (str(p.relative_to(root)), p.stat().st_mtime_ns, p.stat().st_size) for p in _served_files(root)
    )
    return _hash_files(stamp)


def _json_in_script(value) -> str:
    """value as one line of JSON safe inside <script type="application/json">."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def catalogue(lang: str = "nl") -> dict:
    """pwa/locale/<lang>.json: the app's texts by key."""
    return json.loads((pwa_dir() / "locale" / f"{lang}.json").read_text(encoding="utf-8"))


def first_screen_texts(texts: dict, sources: list[str]) -> dict:
    """The texts of `texts` that the modules `sources` can show (KEY_LITERAL, KEY_PREFIX).

    The document carries only these (issue #24: the whole catalogue was 13 KB of a phone's 46 KB
    first download, mostly other screens' texts); a screen outside the document waits for the rest.
    """
    literals: set[str] = set()
    prefixes: set[str] = set()
    for source in sources:
        literals.update(KEY_LITERAL.findall(source))
        prefixes.update(KEY_PREFIX.findall(source))
    return {key: text for key, text in texts.items() if key in literals or key.startswith(tuple(prefixes))}


@dataclass(frozen=True)
class Module:
    """One ES module of the app as the bundle holds it."""

    imports: tuple[str, ...]  # paths under pwa/, e.g. "lib/api.js"
    exports: tuple[str, ...]
    factory: str  # `async (__import, __exports) => { … }`
    source: str  # as on disk (first_screen_texts reads it)


def _resolve(importer: str, specifier: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))


def _module(name: str) -> Module:
    """The module pwa/<name> as a function: its imports become awaited loads, its exports assignments."""
    source = (pwa_dir() / name).read_text(encoding="utf-8")
    imports: list[str] = []

    def load(match: re.Match) -> str:
        dependency = _resolve(name, match.group(2))
        imports.append(dependency)
        names = [item.strip() for item in match.group(1).split(",") if item.strip()]
        bindings = ", ".join(item.replace(" as ", ": ") for item in names)
        return f'const {{ {bindings} }} = await __import("{dependency}");'

    body = IMPORT.sub(load, source)
    exports = tuple(EXPORT.findall(body))
    body = EXPORT.sub("", body)
    if unknown := OTHER_MODULE_SYNTAX.search(body):
        raise ValueError(f"pwa/{name}: cannot bundle {unknown.group(0).strip()!r}")
    factory = f"async (__import, __exports) => {{\n{body}\nObject.assign(__exports, {{ {', '.join(exports)} }});\n}}"
    return Module(tuple(imports), exports, factory, source)


@lru_cache(maxsize=8)
def _bundle(app_version: str, entries: tuple[str, ...] = BUNDLE_ENTRIES) -> dict[str, Module]:
    """entries and every module they import, by path (app_version: see _asset)."""
    modules: dict[str, Module] = {}

    def add(name: str, importers: tuple[str, ...]) -> None:
        # The loader awaits each import: a cycle would wait for itself forever.
        if name in importers:
            raise ValueError(f"pwa/: an import cycle {' -> '.join((*importers, name))} cannot be bundled")
        if name not in modules:
            modules[name] = _module(name)
        for dependency in modules[name].imports:
            add(dependency, (*importers, name))

    for entry in entries:
        add(entry, ())
    return dict(sorted(modules.items()))


def bundled_modules() -> list[str]:
    """The modules a document can hold (their URLs are mapped to re-exporting modules)."""
    return list(_bundle(version()))


def _shim_url(name: str, imports_version: str) -> str:
    return f"/app/{name}?v={imports_version}&bundled=1"


def _first_screen(body: bytes, imports_version: str, entries: tuple[str, ...]) -> bytes:
    """index.html with the bundle of entries, its import map, store.js, the stylesheet and its texts."""
    modules = _bundle(version(), entries)
    bundle = "const modules = {\n" + "".join(f'"{n}": {m.factory},\n' for n, m in modules.items()) + "};\n"
    imports = {f"/app/{name}?v={imports_version}": _shim_url(name, imports_version) for name in modules}
    body = body.replace(b"__BUNDLE__", (bundle + BUNDLE_LOADER).encode())
    body = body.replace(b"__IMPORT_MAP__", json.dumps({"imports": imports}, indent=1).encode())
    for placeholder, name in INLINED.items():
        text = (pwa_dir() / name).read_text(encoding="utf-8")
        if OTHER_MODULE_SYNTAX.search(text) or "</style" in text:
            raise ValueError(f"pwa/{name} cannot be inlined")
        body = body.replace(placeholder.encode(), text.encode())
    texts = first_screen_texts(catalogue(), [module.source for module in modules.values()])
    return body.replace(CATALOGUE_PLACEHOLDER.encode(), _json_in_script(texts).encode())


def _reexport(name: str) -> bytes:
    """pwa/<name> for a page whose document holds it: the document's instance, re-exported."""
    exports = ", ".join(_bundle(version())[name].exports)
    return (
        f"// {name}: the instance the document runs (server/pwa.py, the first screen's bundle).\n"
        f'export const {{ {exports} }} = await self.leerlusBundle.load("{name}");\n'
    ).encode()


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None  # None: not worth compressing
    etag: str  # of body; the gzipped representation's is etag + "-gz" (RFC 9110: one per encoding)
    csp: str | None  # a document with inline scripts: the CSP with their hashes


@lru_cache(maxsize=256)
def _asset(
    name: str, imports_version: str, app_version: str, reexport: bool = False, logged_in: bool = False
) -> Asset:
    """One file as served: templated with imports_version and gzipped, once per app version.

    app_version is part of the key only so that a new version of the app never sees an old entry.
    reexport: the module for a page whose document holds it (see _reexport).
    logged_in: index.html for a logged-in page load, without the login screen (LOGGED_IN_ENTRIES).
    """
    path = pwa_dir() / name
    body = _reexport(name) if reexport else path.read_bytes()
    compressible = path.suffix in TEXT
    if name == "index.html":
        entries = LOGGED_IN_ENTRIES if logged_in else BUNDLE_ENTRIES
        body = _first_screen(body, imports_version, entries).replace(ME_SLOT, ME_EMPTY)
    if compressible:
        body = body.replace(PLACEHOLDER.encode(), imports_version.encode())
    gzipped = gzip_bytes(body) if compressible else None
    if gzipped is not None and len(gzipped) >= len(body):
        gzipped = None
    return Asset(body, gzipped, hashlib.sha256(body).hexdigest()[:20], _csp_with_inline_code(body))


def _hashes(pattern: re.Pattern, body: bytes) -> str:
    return "".join(
        " 'sha256-" + base64.b64encode(hashlib.sha256(code).digest()).decode() + "'"
        for code in pattern.findall(body)
    )


def _csp_with_inline_code(body: bytes) -> str | None:
    """The CSP that allows exactly this document's inline scripts and styles (by hash; nothing else)."""
    scripts, styles = _hashes(INLINE_SCRIPT, body), _hashes(INLINE_STYLE, body)
    if not scripts and not styles:
        return None
    assert "script-src 'self';" in CSP and "style-src 'self';" in CSP
    return CSP.replace("script-src 'self';", f"script-src 'self'{scripts};").replace(
        "style-src 'self';", f"style-src 'self'{styles};"
    )


def _serve(
    name: str, cache_control: str, imports_version: str | None = None, reexport: bool = False, **headers
):
    current = version()
    asset = _asset(name, imports_version or current, current, reexport)
    gzipped = asset.gzipped is not None and accepts_gzip(request)
    etag = f'"{asset.etag}-gz"' if gzipped else f'"{asset.etag}"'
    if request.if_none_match.contains(etag.strip('"')):
        response = make_response("", 304)
    else:
        response = make_response(asset.gzipped if gzipped else asset.body)
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
    response.headers["ETag"] = etag
    response.headers["Content-Type"] = CONTENT_TYPES[Path(name).suffix]
    response.headers["Cache-Control"] = cache_control
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
    if asset.csp is not None:
        response.headers["Content-Security-Policy"] = asset.csp
    response.headers.update(headers)
    return response


@blp.get("/")
def root():
    return redirect("/app/", 302)


@blp.get("/app")
def app_without_slash():
    return redirect("/app/", 301)


def _me_for_page_load() -> bytes | None:
    """GET /me's answer (as the API gives it) for a logged-in navigation, else None."""
    if request.headers.get("Sec-Fetch-Mode") != "navigate" or g.get("user") is None:
        return None
    if _mfa_missing(g.user):  # GET /me would refuse (403): the app asks and handles that itself
        return None
    return _json_in_script(MeOut().dump(me_body(g.user, g.auth_session))).encode()


@blp.get("/app/")
@blp.get("/app/index.html")
def index():
    me = _me_for_page_load()
    if me is None:
        return _serve("index.html", "no-cache")
    # The document without the login screen, with this person's GET /me in its slot: never stored.
    current = version()
    asset = _asset("index.html", current, current, logged_in=True)
    body = asset.body.replace(ME_EMPTY, ME_SLOT.replace(b"__ME__", me), 1)
    gzipped = accepts_gzip(request)
    response = make_response(gzip_bytes(body, 6) if gzipped else body)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Type"] = CONTENT_TYPES[".html"]
    response.headers["Cache-Control"] = "private, no-store"
    response.vary.update(("Accept-Encoding", "Cookie"))
    response.headers["Content-Security-Policy"] = asset.csp or CSP
    return response


@blp.get("/app/sw.js")
def service_worker():
    # Browsers check for an updated worker on every navigation; never serve it from an HTTP cache.
    return _serve("sw.js", "no-cache", **{"Service-Worker-Allowed": "/app/"})


@blp.get("/app/<path:filename>")
def asset(filename: str):
    suffix = Path(filename).suffix
    parts = Path(filename).parts
    if suffix not in CONTENT_TYPES or any(part.startswith(".") for part in parts):
        abort(404)
    path = safe_join(str(pwa_dir()), filename)
    if path is None or not Path(path).is_file():
        abort(404)
    name = Path(path).relative_to(pwa_dir()).as_posix()
    asked = request.args.get("v", "")
    reexport = "bundled" in request.args
    if reexport and name not in bundled_modules():
        abort(404)
    if asked == version():
        # A URL carrying the current version never changes content.
        return _serve(name, LONG_CACHE, reexport=reexport)
    # No or another version (a page loaded before a deploy, importing a screen it had not loaded
    # yet): today's file, revalidated, whose own imports name the version the page asked for, so
    # they resolve to the modules that page already has instead of a second copy of each.
    return _serve(name, "no-cache", asked if VERSION_SHAPE.fullmatch(asked) else None, reexport)
