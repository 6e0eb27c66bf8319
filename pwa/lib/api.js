// The JSON API and the session: who is logged in, and the CSRF token that goes with it.
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
  await store.put("kv", { key: "me", value: { ...rest, clock_offset: clockOffset } });
}

// The last GET /me kept on the device (without its CSRF token), or null.
export async function savedSession() {
  try {
    const saved = await store.get("kv", "me");
    return saved ? saved.value : null;
  } catch (error) {
    return null;
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
const TEAM_KEY = "leerlus.team:";

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

export function forgetTeamChoice() {
  localStorage.removeItem(TEAM_KEY + userId());
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
