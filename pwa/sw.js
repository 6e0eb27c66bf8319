// Leerlus service worker: precached app shell (opens offline), outbox replay via Background Sync,
// and Web Push. The server replaces __VERSION__ with a hash of the app's files, so every change
// installs a fresh precache and the old one is removed on activate. SHELL lists every file the app
// can need offline (screens load on first use; styles.css is inlined in the document):
// tests/browser/test_pwa_serving.py checks it.
"use strict";

importScripts("/app/lib/store.js?v=__VERSION__", "/app/lib/push.js?v=__VERSION__");

const VERSION = "__VERSION__";
const CACHE = `leerlus-shell-${VERSION}`;
const SHELL = [
  "/app/",
  "/app/app.js?v=__VERSION__",
  "/app/lib/api.js?v=__VERSION__",
  "/app/lib/cards.js?v=__VERSION__",
  "/app/lib/digestparts.js?v=__VERSION__",
  "/app/lib/i18n.js?v=__VERSION__",
  "/app/lib/learning.js?v=__VERSION__",
  "/app/lib/outbox.js?v=__VERSION__",
  "/app/lib/push.js?v=__VERSION__",
  "/app/lib/residents.js?v=__VERSION__",
  "/app/lib/safety.js?v=__VERSION__",
  "/app/lib/store.js?v=__VERSION__",
  "/app/lib/teampicker.js?v=__VERSION__",
  "/app/lib/ui.js?v=__VERSION__",
  "/app/locale/en.json?v=__VERSION__",
  "/app/locale/nl.json?v=__VERSION__",
  "/app/screens/beheer.js?v=__VERSION__",
  "/app/screens/board.js?v=__VERSION__",
  "/app/screens/digest.js?v=__VERSION__",
  "/app/screens/feedback.js?v=__VERSION__",
  "/app/screens/gemeente.js?v=__VERSION__",
  "/app/screens/home.js?v=__VERSION__",
  "/app/screens/intervisie.js?v=__VERSION__",
  "/app/screens/inwoners.js?v=__VERSION__",
  "/app/screens/learning.js?v=__VERSION__",
  "/app/screens/lists.js?v=__VERSION__",
  "/app/screens/login.js?v=__VERSION__",
  "/app/screens/melding.js?v=__VERSION__",
  "/app/screens/reflect.js?v=__VERSION__",
  "/app/screens/safety.js?v=__VERSION__",
  "/app/screens/secondfactor.js?v=__VERSION__",
  "/app/screens/settings.js?v=__VERSION__",
  "/app/screens/team.js?v=__VERSION__",
  "/app/screens/teamreflections.js?v=__VERSION__",
  "/app/manifest.webmanifest",
  "/app/icons/icon-192.png",
  "/app/icons/icon-512.png",
  "/app/icons/maskable-512.png",
];
const SYNC_TAG = "leerlus-outbox";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Through the HTTP cache: a URL with ?v= is immutable (what the page just loaded is not fetched
    // twice), and the rest (/app/, manifest, icons) is revalidated there with its ETag.
    await cache.addAll(await precacheList());
    await self.skipWaiting();
  })());
});

// The shell's document holds the first screen's modules (server/pwa.py); its import map sends
// imports of them to modules that re-export the document's instances. Those are what a page asks
// for, so they are precached in place of the originals.
async function precacheList() {
  const html = await (await fetch("/app/")).text();
  const found = html.match(/<script type="importmap">([\s\S]*?)<\/script>/);
  const map = found ? JSON.parse(found[1]).imports : {};
  return SHELL.map((url) => map[url] || url);
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("leerlus-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The API (personal data) always goes to the network and is never stored here.
  if (request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith("/app/")) return;
  if (request.mode === "navigate") {
    // Every page of the app is the same shell; the hash router does the rest. Cache first: fast on 3G.
    event.respondWith(caches.match("/app/", { cacheName: CACHE }).then((cached) => cached || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((cached) => cached || fetch(request)));
});

// Background Sync (Chromium): send the outbox even when the app is closed.
self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(sendOutbox());
});

async function sendOutbox() {
  const response = await fetch("/api/v1/me", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) return; // logged out: the entries wait for their own user to log in again
  const me = await response.json();
  // Each definitive answer goes to the open pages at once: their "wordt verzonden" must turn into
  // "Verzonden ✓" (or back into the form) the moment the server has answered, not on their next timer.
  const send = () => self.leerlusStore.flush(me.user.id, me.csrf_token,
    (entry, body) => tellPages({ type: "outbox-item", key: entry.key, state: "sent", body }),
    (entry) => tellPages({ type: "outbox-item", key: entry.key, state: "failed" }));
  // One sender per device at a time: the open app may be flushing too.
  const outcome = await (self.navigator.locks ? self.navigator.locks.request(SYNC_TAG, send) : send());
  await tellPages({ type: "outbox-sent" });
  // Rejecting makes the browser retry the sync later with backoff.
  if (outcome === "offline" || outcome === "later") throw new Error(`outbox not empty: ${outcome}`);
}

async function tellPages(message) {
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) client.postMessage(message);
}

// Web Push: payloads carry no personal data, only a title, a body and where to go.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    // Not JSON: show the generic notice below.
  }
  event.waitUntil(self.registration.showNotification(data.title || "Leerlus", {
    body: data.body || "Er is iets nieuws voor je in Leerlus.",
    icon: "/app/icons/icon-192.png",
    badge: "/app/icons/icon-192.png",
    data: { url: data.url || (data.id ? `/app/#/melding/${data.id}` : "/app/") },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url || "/app/", self.location.origin);
  // Only our own app opens from a notification.
  const url = target.origin === self.location.origin ? target.href : new URL("/app/", self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const open = windows.find((client) => new URL(client.url).pathname.startsWith("/app/"));
    if (open) {
      await open.focus();
      return open.navigate(url);
    }
    return self.clients.openWindow(url);
  })());
});

// The push service replaced or expired the subscription: subscribe again and tell the server.
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil((async () => {
    const response = await fetch("/api/v1/me", { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const me = await response.json();
    await self.leerlusPush.subscribe(self.registration, me.csrf_token);
  })());
});
