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

export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    if (session.csrf) headers["X-CSRF-Token"] = session.csrf;
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, {});
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
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
  // Kept on the device so the app opens offline; the CSRF token is not (it comes from GET /me).
  const { csrf_token: _, ...rest } = me;
  await store.put("kv", { key: "me", value: rest });
}

// Who is logged in: ask the server, and fall back to the device when there is no connection.
// Answers "online" | "offline" | "none".
export async function loadSession() {
  try {
    await adoptSession(await api("/me"));
    return "online";
  } catch (error) {
    if (error.status === 0) {
      const saved = await store.get("kv", "me");
      if (saved) {
        session.me = saved.value;
        return "offline";
      }
    }
    session.me = null;
    session.csrf = null;
    return "none";
  }
}

const LOGOUT_PENDING = "leerlus.logout-pending";

// End the session on the server. Logging out offline leaves a note, so the next start of the app
// (whoever picks up the phone) ends that session before anything else.
export async function endServerSession() {
  localStorage.setItem(LOGOUT_PENDING, "1");
  try {
    if (!session.csrf) session.csrf = (await api("/me")).csrf_token;
    await api("/auth/logout", { method: "POST", body: {} });
    localStorage.removeItem(LOGOUT_PENDING);
  } catch (error) {
    if (error.status === 401) localStorage.removeItem(LOGOUT_PENDING);
  }
  session.csrf = null;
}

export function logoutPending() {
  return localStorage.getItem(LOGOUT_PENDING) !== null;
}

export function teamIdForWrites() {
  // A user in several teams must name one; their first team is the default.
  const teams = session.me.teams || [];
  return teams.length > 1 ? teams[0].id : undefined;
}
