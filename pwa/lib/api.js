// The JSON API and the session: who is logged in, and the CSRF token that goes with it.
import { LANGUAGE_KEY } from "./i18n.js?v=__VERSION__";

const store = self.leerlusStore;

export const events = new EventTarget();

export const session = {
  me: null, // {user, teams, ...} from login or GET /me
  csrf: null, // only in memory: after a reload GET /me hands it out again
};

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || `HTTP ${status}`);
    this.status = status; // 0: no connection
    this.problem = problem || {};
  }
}

// A connection that is "online" but carries nothing (one bar on a doorstep) must not hold a screen
// until the browser gives up minutes later: after this long a call counts as offline (status 0),
// and every caller already has its offline path (the outbox for writes, the device's copy for reads).
const TIMEOUT_MS = { read: 10000, write: 30000 };

let sessionLoading = null; // the GET /me of the start, while it is on its way

// The server's clock decides what day and week it is: a phone's clock may be off, and tests and demos
// move the server's. Every GET /me (and login) brings the server's time; the difference is kept
// with the session on the device, so the app agrees with the server offline too.
let clockOffset = 0;

export function serverNow() {
  return new Date(Date.now() + clockOffset);
}

function learnClock(me) {
  if (me.server_time) clockOffset = Date.parse(me.server_time) - Date.now();
  else if (typeof me.clock_offset === "number") clockOffset = me.clock_offset;
}

export async function api(path, { method = "GET", body, timeout } = {}) {
  // Problem documents and validation messages in the app's language (server/i18n.py).
  const headers = { Accept: "application/json", "Accept-Language": document.documentElement.lang || "nl" };
  if (method !== "GET") {
    // Opened from the device's copy of the session: a write waits for the token GET /me brings.
    if (!session.csrf && sessionLoading) await sessionLoading;
    headers["Content-Type"] = "application/json";
    if (session.csrf) headers["X-CSRF-Token"] = session.csrf;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout || TIMEOUT_MS[method === "GET" ? "read" : "write"]);
  let response;
  let data;
  // The start's GET /me, sent by index.html before any module had arrived: taken once.
  const early = path === "/me" && method === "GET" ? window.leerlusEarlyMe : null;
  if (early) window.leerlusEarlyMe = null;
  try {
    response = await (early || fetch(`/api/v1${path}`, {
      method, headers, credentials: "same-origin", signal: controller.signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
    data = response.status === 204 ? null : await response.json().catch((error) => {
      if (controller.signal.aborted || early) throw error; // the body stalled: no answer at all
      return null; // not JSON
    });
  } catch (e) {
    throw new ApiError(0, {});
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 204) return null;
  if (response.ok) return data;
  if (response.status === 401 && !path.startsWith("/auth/")) events.dispatchEvent(new Event("unauthorized"));
  throw new ApiError(response.status, data);
}

export function userId() {
  return session.me && session.me.user.id;
}

// Per-user keys: one phone may be shared, and nothing of one user may show up for another.
export function userKey(name) {
  return `${userId()}:${name}`;
}

export async function adoptSession(me) {
  session.csrf = me.csrf_token;
  session.me = me;
  learnClock(me);
  // Kept on the device so the app opens offline; the CSRF token is not (it comes from GET /me).
  const { csrf_token: _, server_time: __, ...rest } = me;
  keep(SAVED_SESSION, { ...rest, clock_offset: clockOffset });
}

// The last GET /me kept on the device (without its CSRF token), or null.
export async function savedSession() {
  if (kept(SAVED_SESSION) === null) await moveFromDatabase();
  return kept(SAVED_SESSION);
}

// -- Kept on this device for its user ------------------------------------------------------------
// In localStorage, which answers at once: a read from the device's database (IndexedDB, where the
// outbox lives) waits for a round trip, and on a slow phone the start and the reflection form
// waited for two of them (docs/performance.md, item 25). Logout takes every key of its user.
const KEY_PREFIX = "leerlus.";
const SAVED_SESSION = `${KEY_PREFIX}session`;
const DRAFT_PREFIX = `${KEY_PREFIX}draft:`; // + userKey(…): a screen's unsent typing
const MOVED = `${KEY_PREFIX}moved-from-database`;

function keep(name, value) {
  try {
    localStorage.setItem(name, JSON.stringify(value));
  } catch (error) {
    // Storage full or blocked: only what an offline start or a reload would find is lost.
  }
}

// What keep(name, …) stored, or null.
function kept(name) {
  try {
    const value = localStorage.getItem(name);
    return value === null ? null : JSON.parse(value);
  } catch (error) {
    return null;
  }
}

// Until item 25 the saved session and the drafts lived in the device's database: moved here once,
// the first time a start or a draft finds nothing here, so an update loses neither an offline start
// nor half-typed text. Writes only what it found (a new device's database may still be opening).
let moving = null;

function moveFromDatabase() {
  moving ??= kept(MOVED) === null ? move() : Promise.resolve();
  return moving;
}

async function move() {
  try {
    for (const draft of await store.all("drafts")) {
      if (kept(DRAFT_PREFIX + draft.key) === null) keep(DRAFT_PREFIX + draft.key, { state: draft.state });
      await store.del("drafts", draft.key);
    }
    const me = await store.get("kv", "me");
    if (me) {
      if (kept(SAVED_SESSION) === null) keep(SAVED_SESSION, me.value);
      await store.del("kv", "me");
    }
    keep(MOVED, true);
  } catch (error) {
    // The device's database cannot be read: nothing to move now; asked again next time.
  }
}

// A screen's unsent typing, per user (key: userKey(…)): {state} or null.
export async function keptDraft(key) {
  if (kept(DRAFT_PREFIX + key) === null) await moveFromDatabase();
  return kept(DRAFT_PREFIX + key);
}

export function keepDraft(key, state) {
  keep(DRAFT_PREFIX + key, { state });
}

export function forgetDraft(key) {
  localStorage.removeItem(DRAFT_PREFIX + key);
}

// Logout on a shared phone: every key of the app goes but what the device keeps for whoever uses it
// next (its language, and a logout still to be sent).
export function forgetUser() {
  const device = new Set([LANGUAGE_KEY, LOGOUT_PENDING]);
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(KEY_PREFIX) && !device.has(key)) localStorage.removeItem(key);
  }
}

// Who is logged in: ask the server, and fall back to the device when the answer does not come
// (offline, timed out, server trouble). Only a 401 means nobody. Answers "online" | "offline" | "none".
export function loadSession() {
  sessionLoading = (async () => {
    try {
      // The screen opens as soon as the answer is known; keeping it on the device goes on meanwhile
      // (a failed write only costs the offline start).
      adoptSession(await api("/me")).catch(() => {});
      return "online";
    } catch (error) {
      if (error.status !== 401) {
        const saved = await savedSession();
        if (saved) {
          session.me = saved;
          learnClock(saved);
          return "offline";
        }
      }
      session.me = null;
      session.csrf = null;
      return "none";
    }
  })();
  const loading = sessionLoading;
  loading.finally(() => { if (sessionLoading === loading) sessionLoading = null; });
  return loading;
}

// Production requires a second factor for some roles: until it is set up the API refuses the rest.
export function mustEnrol() {
  return Boolean(session.me && session.me.mfa_required_by_role && !session.me.mfa_enabled);
}

const LOGOUT_PENDING = "leerlus.logout-pending";

// End the session on the server. Logging out offline leaves a note, so the next start of the app
// (whoever picks up the phone) ends that session before anything else.
// A single sign-on session answers with the identity provider's logout page (returned, to go to last).
export async function endServerSession() {
  localStorage.setItem(LOGOUT_PENDING, "1");
  let logoutUrl = null;
  try {
    if (!session.csrf) session.csrf = (await api("/me")).csrf_token;
    logoutUrl = (await api("/auth/sso/logout", { method: "POST", body: {} })).logout_url;
    localStorage.removeItem(LOGOUT_PENDING);
  } catch (error) {
    if (error.status === 401) localStorage.removeItem(LOGOUT_PENDING);
  }
  session.csrf = null;
  return logoutUrl;
}

export function logoutPending() {
  return localStorage.getItem(LOGOUT_PENDING) !== null;
}

// -- The team someone works for -----------------------------------------------------------------
// A medewerker may be in two wijkteams, a teamleider may lead two. The team they picked is kept on
// this device per user (localStorage: screens read it while they are being built), and goes with logout.
const TEAM_KEY = `${KEY_PREFIX}team:`;

export function myTeams(roles = null) {
  const teams = (session.me && session.me.teams) || [];
  return roles ? teams.filter((team) => roles.includes(team.role)) : teams;
}

// The picked team among those with one of these roles; else the first of them (null: none).
export function currentTeam(roles = null) {
  const teams = myTeams(roles);
  let picked = null;
  try {
    picked = localStorage.getItem(TEAM_KEY + userId());
  } catch (error) {
    // Storage unavailable: the first team, as before.
  }
  return teams.find((team) => team.id === picked) || teams[0] || null;
}

export function chooseTeam(teamId) {
  try {
    localStorage.setItem(TEAM_KEY + userId(), teamId);
  } catch (error) {
    // Not remembered; this screen still uses it.
  }
}

// The team_id a write carries: none for a user in one team (the API needs none); for several, the
// team given (a reflection keeps the one shown in its form) if it is still theirs, else the picked one.
export function teamIdForWrites(preferred = null) {
  const teams = myTeams();
  if (teams.length < 2) return undefined;
  return teams.some((team) => team.id === preferred) ? preferred : currentTeam().id;
}

// ?team_id=… for team-scoped reads (empty for one team: the API's default is that team).
export function teamQuery(team, separator = "&") {
  return team && myTeams().length > 1 ? `${separator}team_id=${encodeURIComponent(team.id)}` : "";
}
