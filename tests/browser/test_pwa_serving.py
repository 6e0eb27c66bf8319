"""How the PWA is served (no browser needed): routes, content types, caching, and the shell's size."""

import base64
import gzip
import hashlib
import json
import re

from server.config import pwa_dir
from server.pwa import bundled_modules, version

# Gzip bytes as served. The first screen waits only for the document (which holds the start,
# reflection and login screens' modules and the stylesheet); every other screen loads when opened, and the
# service worker precaches the rest after the first screen is up (docs/decisions.md, "No build step").
FIRST_SCREEN_BUDGET = 60 * 1024
PRECACHE_BUDGET = 125 * 1024
FIRST_SCREEN: list[str] = []  # files besides the document
INLINE_SCRIPT = re.compile(r'<script(?: type="(module|importmap)")?>(.*?)</script>', re.S)


def import_map(html: str) -> dict[str, str]:
    return json.loads(re.search(r'<script type="importmap">(.*?)</script>', html, re.S).group(1))["imports"]


def test_root_redirects_to_the_app(anonymous):
    response = anonymous.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/app/")


def test_index_is_served_at_both_paths_with_versioned_assets(anonymous):
    for path in ("/app/", "/app/index.html"):
        response = anonymous.get(path)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/html")
        assert response.headers["Cache-Control"] == "no-cache"
        html = response.get_data(as_text=True)
        assert "__" + "VERSION__" not in html and "__BUNDLE__" not in html and "__STORE__" not in html
        # The strict CSP of the whole site applies, except that the shell's inline scripts (the early
        # GET /me, the import map, store.js, the first screen's modules) are allowed by their hashes:
        # nothing else inline (the catalogue is JSON, never run), no style.
        csp = response.headers["Content-Security-Policy"]
        inline = INLINE_SCRIPT.findall(html)
        assert sorted(kind for kind, _ in inline) == ["", "", "importmap", "module"]
        assert html.count("<script") == len(inline) + 2  # + the JSON of the texts and of GET /me (empty)
        assert '<script type="application/json" id="leerlus-me"></script>' in html
        digests = [base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() for _, body in inline]
        allowed = " ".join(f"'sha256-{digest}'" for digest in digests)
        assert f"script-src 'self' {allowed};" in csp and "unsafe-inline" not in csp
        styles = re.findall(r"<style>(.*?)</style>", html, re.S)
        assert len(styles) == 1 and html.count("<style") == 1 and "style=" not in html
        digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
        assert f"style-src 'self' 'sha256-{digest}';" in csp


def test_service_worker_headers(anonymous):
    response = anonymous.get("/app/sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Service-Worker-Allowed"] == "/app/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert f'const VERSION = "{version()}"' in body


def test_manifest(anonymous):
    response = anonymous.get("/app/manifest.webmanifest")
    assert response.headers["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["start_url"] == "/app/" and manifest["scope"] == "/app/"
    assert manifest["display"] == "standalone"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = anonymous.get(icon["src"])
        assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
        width, height = int.from_bytes(image.data[16:20], "big"), int.from_bytes(image.data[20:24], "big")
        assert f"{width}x{height}" == icon["sizes"]


def test_service_worker_precaches_every_file_of_the_shell(anonymous):
    """A module missing from the precache would break the app offline, and only offline."""
    worker = anonymous.get("/app/sw.js").get_data(as_text=True)
    root = pwa_dir()
    for path in root.rglob("*"):
        if path.suffix in {".js", ".css", ".webmanifest"} and path.name != "sw.js":
            name = f"/app/{path.relative_to(root).as_posix()}"
            if name == "/app/styles.css":  # inlined in the document
                continue
            assert f'"{name}"' in worker or f'"{name}?v={version()}"' in worker, f"{name} is not precached"


def test_versioned_assets_are_cached_long_and_others_revalidate(anonymous):
    versioned = anonymous.get(f"/app/app.js?v={version()}")
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert versioned.headers["Content-Type"].startswith("text/javascript")
    plain = anonymous.get("/app/screens/home.js")
    assert plain.headers["Cache-Control"] == "no-cache" and plain.headers.get("ETag")
    stale = anonymous.get("/app/app.js?v=0ld")
    assert stale.headers["Cache-Control"] == "no-cache"
    again = anonymous.get("/app/screens/home.js", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304


def test_only_app_files_are_served(anonymous):
    for path in ("/app/icons/make_icons.py", "/app/../pyproject.toml", "/app/missing.js", "/app/.hidden.js"):
        assert anonymous.get(path).status_code == 404, path


def _served(client, path: str) -> int:
    response = client.get(path)
    assert response.status_code == 200, path
    return len(gzip.compress(response.get_data(), 9))


def test_the_first_screen_and_the_whole_shell_stay_within_their_budgets(anonymous):
    """What a Dutch medewerker's first visit waits for (the document with its inlined texts, the core
    modules, the start screen's modules), and everything the service worker then precaches."""
    document = _served(anonymous, "/app/")
    first = document + sum(_served(anonymous, f"/app/{name}?v={version()}") for name in FIRST_SCREEN)
    worker = anonymous.get("/app/sw.js").get_data(as_text=True)
    shell = re.search(r"const SHELL = \[(.*?)\];", worker, re.S).group(1)
    # As the worker precaches them: a module the document holds, as the module re-exporting it.
    mapped = import_map(anonymous.get("/app/").get_data(as_text=True))
    assets = [
        mapped.get(url, url)
        for url in re.findall(r'"([^"]+)"', shell)
        if re.search(r"\.(js|css|json)\?", url)
    ]
    everything = document + sum(_served(anonymous, url) for url in assets)
    print(f"first screen {first} bytes, precache {everything} bytes ({len(assets) + 1} files), gzipped")
    assert first < FIRST_SCREEN_BUDGET
    assert everything < PRECACHE_BUDGET


IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(\s*)(["'`])(\.{1,2}/[^"'`]+)\1""")


def test_every_module_import_carries_the_version():
    """One module, one URL: an import without ?v= would be revalidated on every start, and a module
    reached by two URLs would run twice (two sessions, two outboxes)."""
    root = pwa_dir()
    found = 0
    for path in root.rglob("*.js"):
        for _quote, specifier in IMPORT.findall(path.read_text(encoding="utf-8")):
            found += 1
            assert specifier.endswith(("?v=__VERSION__", "?v=${VERSION}")), f"{path.name}: {specifier}"
    assert found > 40
    worker = (root / "sw.js").read_text(encoding="utf-8")
    shell = re.search(r"const SHELL = \[(.*?)\];", worker, re.S).group(1)
    for url in re.findall(r'"([^"]+)"', shell):
        if url.endswith((".js", ".css")) or ".js?" in url or ".css?" in url:
            assert url.endswith("?v=__VERSION__"), url


def test_modules_name_their_imports_with_the_version_asked_for(anonymous):
    current = anonymous.get(f"/app/screens/reflect.js?v={version()}").get_data(as_text=True)
    assert f'from "../lib/api.js?v={version()}"' in current and "__VERSION__" not in current
    # A page loaded before a deploy imports a screen it had not opened yet: today's file, whose own
    # imports resolve to the modules that page already runs (not a second copy of each).
    older = anonymous.get("/app/screens/reflect.js?v=0123456789ab")
    assert older.headers["Cache-Control"] == "no-cache"
    assert 'from "../lib/api.js?v=0123456789ab"' in older.get_data(as_text=True)
    for junk in ("", "?v=", '?v=x"+alert(1)+"', "?v=0123456789abc"):
        body = anonymous.get(f"/app/screens/reflect.js{junk}").get_data(as_text=True)
        assert f'from "../lib/api.js?v={version()}"' in body, junk


def test_the_router_hints_every_module_a_screen_imports():
    """app.js requests a screen's helper modules together with the screen (one round trip on 3G,
    not one per level of imports): its table must name everything the screen imports."""
    root = pwa_dir()
    app = (root / "app.js").read_text(encoding="utf-8")
    table = re.search(r"const MODULES = \{(.*?)\n\};", app, re.S).group(1)
    core = {
        "api.js",
        "i18n.js",
        "ui.js",
        "outbox.js",
    }  # in lib/  # imported by app.js, or hinted for every screen

    def imports(path):  # static ones: import() loads when it is run, not with the module
        text = path.read_text(encoding="utf-8")
        return {
            (path.parent / spec.split("?")[0]).resolve()
            for spec in re.findall(r"""\bfrom\s*["'](\.{1,2}/[^"']+)["']""", text)
        }

    for name, files in re.findall(r"(\w+): \[([^\]]*)\]", table):
        names = re.findall(r'"([\w/]+)"', files)
        listed = {(root / f"{f}.js").resolve() for f in names}
        needed, todo = set(), [root / f"{names[0]}.js"]
        while todo:
            for dep in imports(todo.pop()) - needed:
                needed.add(dep)
                todo.append(dep)
        missing = {p.relative_to(root).as_posix() for p in needed - listed if p.name not in core}
        assert not missing, f"MODULES.{name} in app.js lacks {missing}"


def test_the_document_holds_the_first_screens_modules(anonymous):
    """The start and reflection screens need no module request (issue #24): the document holds their
    modules, and maps each to a module re-exporting the document's instance for later screens."""
    html = anonymous.get("/app/").get_data(as_text=True)
    held = bundled_modules()
    assert {"app.js", "lib/api.js", "lib/i18n.js", "lib/ui.js", "lib/outbox.js"} <= set(held)
    assert {"screens/home.js", "screens/reflect.js", "screens/login.js", "lib/safety.js"} <= set(held)
    assert "screens/settings.js" not in held and "lib/digestparts.js" not in held
    for name in held:
        assert f'"{name}": async (__import, __exports) => {{' in html, name
    v = version()
    assert import_map(html) == {f"/app/{name}?v={v}": f"/app/{name}?v={v}&bundled=1" for name in held}
    again = anonymous.get(f"/app/lib/api.js?v={v}&bundled=1")
    assert (
        again.status_code == 200 and again.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    )
    text = again.get_data(as_text=True)
    assert "export const { " in text and 'await self.leerlusBundle.load("lib/api.js")' in text
    source = (pwa_dir() / "lib" / "api.js").read_text(encoding="utf-8")
    exported = set(re.findall(r"^export (?:async )?(?:function|const|class) (\w+)", source, re.M))
    assert set(re.search(r"export const \{ (.*) \}", text).group(1).split(", ")) == exported
    # The original is still served (the service worker's importScripts, pages of an older version).
    assert "export async function api" in anonymous.get(f"/app/lib/api.js?v={v}").get_data(as_text=True)
    assert anonymous.get(f"/app/screens/settings.js?v={v}&bundled=1").status_code == 404


def test_the_document_carries_only_its_screens_texts(anonymous):
    """The whole Dutch catalogue was 13 KB of a phone's 46 KB first download (issue #24), mostly other
    screens' texts: the document carries the texts its modules name (literally, or by a key's fixed
    beginning: `zone_${zone}`), every other screen waits for the catalogue (app.js)."""
    html = anonymous.get("/app/").get_data(as_text=True)
    inline = json.loads(
        re.search(r'<script type="application/json" id="i18n-nl">(.*?)</script>', html).group(1)
    )
    catalogue = json.loads((pwa_dir() / "locale" / "nl.json").read_text(encoding="utf-8"))
    named = set()
    for name in bundled_modules():
        named.update(re.findall(r"""\bt\(["']([\w.]+)["']""", (pwa_dir() / name).read_text(encoding="utf-8")))
    assert named and {key: inline.get(key) for key in named} == {key: catalogue[key] for key in named}
    assert {key for key in catalogue if key.startswith(("zone_", "outcome_", "theme."))} <= inline.keys()
    assert "quiet_title" not in inline  # the settings screen's
    assert len(json.dumps(inline)) < len(json.dumps(catalogue)) / 3


def test_a_logged_in_page_load_brings_get_me_along(team_setup, anonymous):
    """The first screen's last round trip after the document was GET /me (issue #24): a logged-in
    navigation gets its answer in the document, a response nobody stores; the service worker's copy
    of the document (not a navigation) and a logged-out page load get none."""
    client = team_setup["client"]["alice"]
    navigate = {"Sec-Fetch-Mode": "navigate", "Accept-Encoding": "gzip"}
    page = client.get("/app/", headers=navigate)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store" and "ETag" not in page.headers
    assert {"Cookie", "Accept-Encoding"} <= set(page.vary)
    html = gzip.decompress(page.get_data()).decode()
    inline = json.loads(
        re.search(r'<script type="application/json" id="leerlus-me">(.+?)</script>', html).group(1)
    )
    me = client.get("/api/v1/me").get_json()
    assert {k: v for k, v in inline.items() if k != "server_time"} == {
        k: v for k, v in me.items() if k != "server_time"
    }
    assert inline["user"]["display_name"] == "Alice"
    # The answer is data, never run: the CSP allows exactly the document's scripts, which it is not.
    digests = [
        base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        for _, body in INLINE_SCRIPT.findall(html)
    ]
    allowed = " ".join(f"'sha256-{digest}'" for digest in digests)
    assert f"script-src 'self' {allowed};" in page.headers["Content-Security-Policy"] and len(digests) == 4
    # Nor does it carry the login screen, which the shared document (the service worker's) holds.
    shared = client.get("/app/")
    assert '"/app/screens/login.js?v=' not in html
    assert b'"/app/screens/login.js?v=' in shared.get_data()
    for response in (shared, anonymous.get("/app/", headers=navigate)):
        assert response.headers["Cache-Control"] == "no-cache"
        text = response.get_data()
        text = gzip.decompress(text) if response.headers.get("Content-Encoding") == "gzip" else text
        assert b'<script type="application/json" id="leerlus-me"></script>' in text
        assert b"Alice" not in text and client.csrf.encode() not in text
