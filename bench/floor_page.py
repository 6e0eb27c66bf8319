"""The floor of a repeat load on a phone, served by bench.floor:app for bench/pwa.py (issue #24).

    GET /bench/floor-page/   one document with the reflection form's first prompt and nothing else,
      which registers /bench/floor-page/sw.js; that service worker precaches the document and
      answers every navigation in its scope from the cache, as pwa/sw.js answers the app's.

A repeat load of it costs what any page from a service worker costs on that profile (the
navigation, a renderer, a parse, one layout) and nothing the app adds. Apart from bench/floor.py so
that bench/pwa.py can name the URL without importing the app.
"""

PAGE_SCOPE = "/bench/floor-page/"
PAGE = (
    b'<!doctype html><html lang="nl"><head><meta charset="utf-8">'
    b'<meta name="viewport" content="width=device-width, initial-scale=1"><title>Leerlus</title></head>'
    b'<body><label>Wat gebeurde er? <textarea name="what_happened"></textarea></label>'
    b'<script>navigator.serviceWorker.register("sw.js")</script></body></html>'
)
PAGE_WORKER = b"""
const CACHE = "floor-page";
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.add("/bench/floor-page/")).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  if (event.request.mode !== "navigate") return;
  event.respondWith(caches.match("/bench/floor-page/", { cacheName: CACHE }).then((cached) => cached || fetch(event.request)));
});
"""
PAGE_FILES = {
    PAGE_SCOPE: (PAGE, "text/html; charset=utf-8"),
    PAGE_SCOPE + "sw.js": (PAGE_WORKER, "text/javascript; charset=utf-8"),
}


def floor_page(environ, start_response):
    body, content_type = PAGE_FILES[environ["PATH_INFO"]]
    start_response(
        "200 OK",
        [("Content-Type", content_type), ("Content-Length", str(len(body))), ("Cache-Control", "no-cache")],
    )
    return [body]
