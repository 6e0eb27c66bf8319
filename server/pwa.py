"""The progressive web app: the static files in pwa/ served at /app/, and / redirecting there.

No build step: the files are served as they are on disk, except that every text file's placeholder
__VERSION__ is replaced by a hash over all served files. index.html, sw.js and every module import
(`from "./api.js?v=__VERSION__"`) carry it (and index.html gets the Dutch texts, pwa/locale/nl.json,
inlined at __CATALOGUE_NL__), so any change to the app installs a new service worker
(new precache) and yields new URLs, and a URL carrying the current version is cached for a year
(immutable): a repeat load revalidates only /app/ itself.

index.html may carry small inline scripts (what must start before any module arrives on a slow
network): its CSP allows exactly those, by their sha256, and still no other inline script.

Each file is read, templated and gzipped once per version and kept in memory (the whole app is
~150 KB); responses carry a strong ETag per encoding, Vary: Accept-Encoding, and answer
If-None-Match with 304.
"""

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, make_response, redirect, request
from werkzeug.security import safe_join

from server.compression import accepts_gzip, gzip_bytes
from server.headers import CSP

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
    "__CATALOGUE_NL__"  # index.html: the Dutch texts, so the first screen needs no extra request
)
LONG_CACHE = "public, max-age=31536000, immutable"
VERSION_SHAPE = re.compile(r"[0-9a-f]{12}")
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def pwa_dir() -> Path:
    """pwa/ next to the server package (the package is installed editable); LEERLUS_PWA_DIR overrides."""
    configured = os.environ.get("LEERLUS_PWA_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "pwa"


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


def inline_catalogue(lang: str = "nl") -> str:
    """pwa/locale/<lang>.json as one line safe inside <script type="application/json">."""
    text = json.dumps(
        json.loads((pwa_dir() / "locale" / f"{lang}.json").read_text(encoding="utf-8")),
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None  # None: not worth compressing
    etag: str  # of body; the gzipped representation's is etag + "-gz" (RFC 9110: one per encoding)
    csp: str | None  # a document with inline scripts: the CSP with their hashes


@lru_cache(maxsize=256)
def _asset(name: str, imports_version: str, app_version: str) -> Asset:
    """One file as served: templated with imports_version and gzipped, once per app version.

    app_version is part of the key only so that a new version of the app never sees an old entry.
    """
    path = pwa_dir() / name
    body = path.read_bytes()
    compressible = path.suffix in TEXT
    if compressible:
        body = body.replace(PLACEHOLDER.encode(), imports_version.encode())
    if name == "index.html":
        body = body.replace(CATALOGUE_PLACEHOLDER.encode(), inline_catalogue().encode())
    gzipped = gzip_bytes(body) if compressible else None
    if gzipped is not None and len(gzipped) >= len(body):
        gzipped = None
    return Asset(body, gzipped, hashlib.sha256(body).hexdigest()[:20], _csp_with_inline_scripts(body))


def _csp_with_inline_scripts(body: bytes) -> str | None:
    """The CSP that allows exactly this document's inline scripts (by hash; nothing else inline)."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(body)
    ]
    if not hashes:
        return None
    assert "script-src 'self';" in CSP
    return CSP.replace("script-src 'self';", f"script-src 'self' {' '.join(hashes)};")


def _serve(name: str, cache_control: str, imports_version: str | None = None, **headers):
    current = version()
    asset = _asset(name, imports_version or current, current)
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


@blp.get("/app/")
@blp.get("/app/index.html")
def index():
    return _serve("index.html", "no-cache")


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
    if asked == version():
        # A URL carrying the current version never changes content.
        return _serve(name, LONG_CACHE)
    # No or another version (a page loaded before a deploy, importing a screen it had not loaded
    # yet): today's file, revalidated, whose own imports name the version the page asked for, so
    # they resolve to the modules that page already has instead of a second copy of each.
    return _serve(name, "no-cache", asked if VERSION_SHAPE.fullmatch(asked) else None)
