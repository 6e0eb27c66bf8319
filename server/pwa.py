"""The progressive web app: the static files in pwa/ served at /app/, and / redirecting there.

No build step: the files are served as they are on disk. Only index.html and sw.js carry the
placeholder __VERSION__, replaced by a hash over all served files, so any change to the app
installs a new service worker (new precache) and yields new ?v= URLs for the long-cached assets.
"""

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, make_response, redirect, request, send_from_directory

blp = Blueprint("pwa", __name__)

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
PLACEHOLDER = "__VERSION__"
LONG_CACHE = "public, max-age=31536000, immutable"


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
    stamp = tuple((str(p.relative_to(root)), p.stat().st_mtime_ns, p.stat().st_size)
                  for p in _served_files(root))
    return _hash_files(stamp)


def _templated(name: str, content_type: str, **headers):
    body = (pwa_dir() / name).read_text(encoding="utf-8").replace(PLACEHOLDER, version())
    response = make_response(body)
    response.headers["Content-Type"] = content_type
    response.headers["Cache-Control"] = "no-cache"
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
    return _templated("index.html", CONTENT_TYPES[".html"])


@blp.get("/app/sw.js")
def service_worker():
    # Browsers check for an updated worker on every navigation; never serve it from an HTTP cache.
    return _templated("sw.js", CONTENT_TYPES[".js"], **{"Service-Worker-Allowed": "/app/"})


@blp.get("/app/<path:filename>")
def asset(filename: str):
    suffix = Path(filename).suffix
    if suffix not in CONTENT_TYPES or any(part.startswith(".") for part in Path(filename).parts):
        abort(404)
    response = send_from_directory(pwa_dir(), filename, conditional=True, max_age=None)
    response.headers["Content-Type"] = CONTENT_TYPES[suffix]
    # A URL carrying the current version never changes content; everything else revalidates (ETag).
    versioned = request.args.get("v") == version()
    response.headers["Cache-Control"] = LONG_CACHE if versioned else "no-cache"
    return response
