// Every write goes to IndexedDB first, then to the server: nothing typed in a basement is lost,
// and the client_id makes a repeated send harmless (the server answers the original, 200).
import { api, events, serverNow, session, userId } from "./api.js?v=__VERSION__";

const store = self.leerlusStore;
const RETRY_MS = 30000;
// A send that got no answer while the phone says it is online (a lost answer, one bar on a doorstep)
// is tried again soon, then less and less often: the client_id makes a second arrival harmless,
// and the screen shows "Verzonden ✓" within seconds of the server having it.
const QUICK_RETRY_MS = [1000, 2000, 4000, 8000, 16000];
const SYNC_TAG = "leerlus-outbox";

// Answers of the server to sent entries, by key, for screens that wait on "Verzonden ✓".
export const sent = new Map();

export async function enqueue(kind, method, url, body, extra = {}) {
  const entry = {
    key: body.client_id || crypto.randomUUID(),
    kind, method, url, body, ...extra,
    user_id: userId(),
    created_at: serverNow().toISOString(),
    state: "pending",
    problem: null,
  };
  await store.put("outbox", entry);
  changed();
  requestBackgroundSync();
  flush();
  return entry;
}

export function entries() {
  return userId() ? store.pending(userId()) : Promise.resolve([]);
}

export async function remove(key) {
  await store.del("outbox", key);
  changed();
}

export async function retry(key) {
  const entry = await store.get("outbox", key);
  if (!entry) return;
  entry.state = "pending";
  entry.problem = null;
  await store.put("outbox", entry);
  changed();
  flush();
}

function changed() {
  events.dispatchEvent(new Event("outbox"));
}

function onSent(entry, body) {
  sent.set(entry.key, body);
  changed();
}

let quickRetries = 0;
let quickTimer = null;

function retrySoon(outcome) {
  clearTimeout(quickTimer);
  quickTimer = null;
  if (outcome !== "offline" && outcome !== "later") {
    quickRetries = 0;
    return;
  }
  if (!navigator.onLine || quickRetries >= QUICK_RETRY_MS.length) return; // the online event and the timer take over
  quickTimer = setTimeout(flush, QUICK_RETRY_MS[quickRetries]);
  quickRetries += 1;
}

let running = null;
let again = false;

// Send what is pending for the logged-in user. Safe to call at any moment and as often as wanted:
// a call during a run makes that run go round once more, so a new entry is never left behind.
export function flush() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await flushOnce();
    } while (again);
  })().finally(() => { running = null; });
  return running;
}

async function flushOnce() {
  if (!userId() || !navigator.onLine) return;
  if (!(await store.pending(userId())).some((entry) => entry.state === "pending")) return;
  if (!session.csrf) {
    // Opened offline: the CSRF token comes back with GET /me once the network does.
    try {
      const me = await api("/me");
      session.csrf = me.csrf_token;
    } catch (error) {
      if (error.status === 0 || error.status >= 500) retrySoon("offline");
      return;
    }
  }
  const send = () => store.flush(userId(), session.csrf, onSent);
  // The service worker may be sending too (Background Sync): one sender at a time per device.
  const locked = (work) => (navigator.locks ? navigator.locks.request(SYNC_TAG, work) : work());
  let outcome = await locked(send);
  if (outcome === "csrf") {
    try {
      session.csrf = (await api("/me")).csrf_token;
      outcome = await locked(send);
    } catch (error) {
      if (error.status === 0 || error.status >= 500) retrySoon("offline");
      return;
    }
  }
  if (outcome === "unauthorized") events.dispatchEvent(new Event("unauthorized"));
  retrySoon(outcome);
  changed();
}

function requestBackgroundSync() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((registration) => registration.sync && registration.sync.register(SYNC_TAG))
    .catch(() => { /* not allowed here: the online event and the timer still send */ });
}

let replaying = false;

// Replay on start, when the network returns, when the app comes to the front, and on a timer.
export function startReplay() {
  flush();
  if (replaying) return;
  replaying = true;
  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });
  setInterval(flush, RETRY_MS);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      const data = event.data || {};
      // The service worker delivered (or was refused) an entry: the screens show it at once.
      if (data.type === "outbox-item" && data.state === "sent") sent.set(data.key, data.body);
      if (data.type === "outbox-item" || data.type === "outbox-sent") changed();
    });
  }
}
