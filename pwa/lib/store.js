// Device storage and the outbox sender, shared by the page and the service worker.
// A classic script (not a module) because service workers load it with importScripts():
// module service workers are not available in every browser we support.
(function (scope) {
  "use strict";

  const DB_NAME = "leerlus";
  const STORES = ["outbox", "drafts", "kv"];
  const SEND_TIMEOUT_MS = 30000;
  let opening = null;
  // Settles when this open() creates the database (a new device): until this page writes to a store,
  // a read of it cannot find anything and answers then, without waiting for the open to succeed
  // (on a slow phone that is a few hundred milliseconds of its first screen: docs/performance.md).
  let created = new Promise(function () {});
  const written = new Set();

  function open() {
    if (!opening) {
      let markCreated;
      created = new Promise(function (resolve) { markCreated = resolve; });
      opening = new Promise(function (resolve, reject) {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function (event) {
          for (const name of STORES) request.result.createObjectStore(name, { keyPath: "key" });
          if (event.oldVersion === 0) markCreated();
        };
        request.onsuccess = function () {
          const db = request.result;
          // Another tab deleting the database (logout) must not be blocked by this connection.
          db.onversionchange = function () { db.close(); opening = null; };
          // Closed by the browser (a logout's Clear-Site-Data while it was open): open anew next time.
          db.onclose = function () { opening = null; };
          resolve(db);
        };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  async function run(store, mode, work) {
    const db = await open();
    return new Promise(function (resolve, reject) {
      const tx = db.transaction(store, mode);
      const request = work(tx.objectStore(store));
      tx.oncomplete = function () { resolve(request && request.result); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  }

  // A read, or `empty` as soon as the database turns out to be new and this page wrote nothing to name.
  function read(name, empty, work) {
    const result = run(name, "readonly", work);
    if (written.has(name)) return result;
    return Promise.race([result, created.then(function () { return written.has(name) ? result : empty; })]);
  }

  const store = {
    // The page opens the database while its own scripts are still arriving (index.html).
    open: function () { return open(); },
    get: function (name, key) { return read(name, undefined, function (s) { return s.get(key); }); },
    put: function (name, value) { written.add(name); return run(name, "readwrite", function (s) { return s.put(value); }); },
    del: function (name, key) { written.add(name); return run(name, "readwrite", function (s) { return s.delete(key); }); },
    all: function (name) { return read(name, [], function (s) { return s.getAll(); }); },

    // Logout on a shared phone: nothing of this user may stay behind.
    wipe: async function () {
      if (opening) {
        try { (await opening).close(); } catch (e) { /* it never opened */ }
        opening = null;
      }
      await new Promise(function (resolve) {
        const request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    },

    // Entries of one user only, oldest first: another user's session never replays them.
    pending: async function (userId) {
      const entries = await store.all("outbox");
      return entries.filter(function (e) { return e.user_id === userId; })
        .sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
    },

    // Reflections the server flagged: the app shows the meldcode steps until the user has read them.
    noteSafety: async function (userId, reflectionId) {
      const key = userId + ":safety";
      const open = (await store.get("kv", key)) || { key: key, ids: [] };
      if (open.ids.indexOf(reflectionId) === -1) open.ids.push(reflectionId);
      await store.put("kv", open);
    },

    // Send the user's pending entries in order; onSent(entry, body) and onFailed(entry) hear about
    // each definitive answer. Answers why it stopped: "done" | "offline" | "unauthorized" | "csrf" | "later".
    flush: async function (userId, csrf, onSent, onFailed) {
      const entries = (await store.pending(userId)).filter(function (e) { return e.state === "pending"; });
      for (const entry of entries) {
        // A connection that carries nothing counts as offline after a while: the entry stays and
        // is sent again later (its client_id makes a second arrival harmless).
        const controller = new AbortController();
        const timer = setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
        let response;
        let body;
        try {
          response = await fetch(entry.url, {
            method: entry.method,
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
            body: JSON.stringify(entry.body),
            signal: controller.signal,
          });
          body = await response.json().catch(function (error) {
            if (controller.signal.aborted) throw error;
            return null;
          });
        } catch (e) {
          return "offline";
        } finally {
          clearTimeout(timer);
        }
        if (response.ok) {
          await store.del("outbox", entry.key);
          if (entry.kind === "reflection" && body && body.safety_signal) await store.noteSafety(userId, body.id);
          if (onSent) await onSent(entry, body);
          continue;
        }
        if (response.status === 401) return "unauthorized";
        if (response.status === 403 && body && body.type === "/problems/csrf") return "csrf";
        if (response.status === 429 || response.status >= 500) return "later";
        // A definitive answer: keep the entry visible with what went wrong, never resend it blindly.
        entry.state = "failed";
        entry.problem = {
          status: response.status,
          detail: (body && (body.detail || body.title)) || "",
          errors: (body && body.errors) || {},
        };
        await store.put("outbox", entry);
        if (onFailed) await onFailed(entry);
      }
      return "done";
    },
  };

  scope.leerlusStore = store;
})(self);
