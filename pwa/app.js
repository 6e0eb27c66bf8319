// Leerlus app shell: boot, hash router, service worker, offline banner.
// Each screen is a module loaded when it is first opened, so a start on a slow connection fetches
// only what that screen needs. Every import carries ?v=__VERSION__ (the server puts the app's
// version there), so a repeat load takes the modules from the HTTP cache without asking. The
// document itself holds this file and the start and reflection screens with what they import
// (server/pwa.py): those come from it, without any request.
import { endServerSession, events, loadSession, logoutPending, mustEnrol, savedSession, session } from "./lib/api.js?v=__VERSION__";
import { allTexts, t } from "./lib/i18n.js?v=__VERSION__";
import { h, leave, screen as screenView } from "./lib/ui.js?v=__VERSION__";

const VERSION = "__VERSION__";
const view = document.getElementById("view");
let notice = null; // shown once on the login screen (e.g. "session expired")

// A screen's module, then the modules it imports (beyond api, i18n, ui and outbox): those are
// requested at once instead of one round trip after the other. Only a hint: a missing one is
// still loaded by the import itself, one round trip later.
const MODULES = {
  reflect: ["screens/reflect", "lib/safety", "lib/teampicker"],
  lists: ["screens/lists", "lib/cards"],
  feedback: ["screens/feedback", "lib/residents", "lib/teampicker"],
  safety: ["screens/safety", "lib/safety"],
  secondfactor: ["screens/secondfactor"],
  settings: ["screens/settings"],
  learning: ["screens/learning", "lib/learning", "lib/teampicker"],
  melding: ["screens/melding"],
  inwoners: ["screens/inwoners", "lib/residents"],
  team: ["screens/team", "lib/learning", "lib/teampicker"],
  teamreflections: ["screens/teamreflections", "lib/teampicker"],
  digest: ["screens/digest", "lib/digestparts", "lib/learning", "lib/teampicker"],
  home: ["screens/home", "lib/cards", "lib/learning", "lib/teampicker"],
  board: ["screens/board", "lib/digestparts"],
  login: ["screens/login"],
  intervisie: ["screens/intervisie", "lib/teampicker"],
  gemeente: ["screens/gemeente"],
  beheer: ["screens/beheer"],
};
const CORE = ["lib/outbox.js"]; // imported by most screens, not by this file

const url = (file) => `/app/${file}?v=${VERSION}`;
const hinted = new Set();
const bundle = self.leerlusBundle; // the modules the document holds (absent when app.js came by URL)

// A module by its path under /app/: from the document when it holds it, else by URL, together with
// the texts the document does not carry (it holds only its own screens' texts).
async function importModule(file) {
  if (bundle && bundle.has(file)) return bundle.load(file);
  const [module] = await Promise.all([import(`./${file}?v=${VERSION}`), allTexts()]);
  return module;
}

function preload(files) {
  for (const file of files) {
    if (hinted.has(file) || (bundle && bundle.has(file))) continue;
    hinted.add(file);
    document.head.append(h("link", { rel: "modulepreload", href: url(file) }));
  }
}

// Fetch a screen's modules (without running them yet).
function hint(name) {
  preload([...CORE, ...MODULES[name].map((file) => `${file}.js`)]);
}

function load(name) {
  hint(name);
  return importModule(`${MODULES[name][0]}.js`);
}

const routes = [
  [/^#\/nieuw\/bezoek\/([\w-]+)$/, "reflect", (m, visitId) => m.reflectScreen(null, visitId)],
  [/^#\/nieuw(?:\/([\w-]+))?$/, "reflect", (m, id) => m.reflectScreen(id)],
  [/^#\/reflecties$/, "lists", (m) => m.reflectionsScreen()],
  [/^#\/acties$/, "lists", (m) => m.actionsScreen()],
  [/^#\/feedback(?:\/([\w-]+))?$/, "feedback", (m, id) => m.feedbackScreen(id)],
  [/^#\/meldcode\/([\w-]+)$/, "safety", (m, id) => m.safetyScreen(id)],
  [/^#\/tweede-factor$/, "secondfactor", (m) => m.secondFactorScreen()],
  [/^#\/instellingen$/, "settings", (m) => m.settingsScreen({ onLanguage: render, onLoggedOut: loggedOut })],
  [/^#\/ontwikkeling$/, "learning", (m) => m.learningScreen()],
  [/^#\/teamvragen$/, "learning", (m) => m.teamQuestionsScreen()],
  [/^#\/leeragenda$/, "learning", (m) => m.agendaScreen()],
  [/^#\/intervisie$/, "intervisie", (m) => m.intervisieScreen()],
  [/^#\/intervisie\/([\w-]+)$/, "intervisie", (m, id) => m.sessionScreen(id)],
  [/^#\/portfolio$/, "intervisie", (m) => m.portfolioScreen()],
  [/^#\/melding\/([\w-]+)$/, "melding", (m, id) => m.notificationScreen(id)],
  [/^#\/meldingen$/, "melding", (m) => m.inboxScreen()],
  [/^#\/inwoners$/, "inwoners", (m) => m.residentsScreen()],
  [/^#\/team$/, "team", (m) => m.teamScreen()],
  [/^#\/team\/reflecties$/, "teamreflections", (m) => m.teamReflectionsScreen()],
  [/^#\/weekoverzicht$/, "digest", (m) => m.digestListScreen()],
  // #/digest/… is the link in the digest e-mail.
  [/^#\/(?:weekoverzicht|digest)\/([\w-]+\/\d{4}-W\d{2})$/, "digest", (m, path) => m.digestScreen(...path.split("/"))],
  [/^#\/gemeente(?:\/([\w-]+))?$/, "gemeente", (m, period) => m.gemeenteScreen(period)],
  [/^#\/bord\/([\w-]+\/\d{4}-W\d{2})$/, "board", (m, path) => m.boardScreen(...path.split("/"))],
  [/^#\/bord\/([\w-]+\/\d{4}-W\d{2})\/presenteer$/, "board", (m, path) => m.presentScreen(...path.split("/"))],
  [/^#\/beheer(?:\/(\w+))?$/, "beheer", (m, tab) => m.beheerScreen(tab)],
  [/^#\/?$/, "home", (m) => m.homeScreen()],
];
// The pages behind e-mailed links (login.js has the exact routes) work before anyone is logged in.
const PUBLIC = /^#\/(?:wachtwoord|uitnodiging|gemeente-uitnodiging\/)/;

let renderCount = 0;

async function render() {
  const mine = ++renderCount;
  leave();
  document.getElementById("announce").textContent = "";
  let screen;
  try {
    screen = await screenFor(location.hash || "#/");
  } catch (error) {
    // A module did not load: no connection and no service worker yet, or the app was updated
    // while this page was open and the old page cannot use the new module.
    screen = loadFailed();
  }
  if (!screen || mine !== renderCount) return; // the user navigated on while this screen was loading
  view.replaceChildren(screen);
  window.scrollTo(0, 0);
  const heading = view.querySelector("h1");
  document.title = `${heading ? heading.textContent : ""} · ${t("app_name")}`;
  // Screen readers and keyboards start at the new screen's title, as after a page load.
  if (heading && renderCount > 1) heading.focus({ preventScroll: true });
}

async function screenFor(hash) {
  if (!session.me || PUBLIC.test(hash)) {
    const login = await load("login");
    const open = login.publicRoutes.find(([pattern]) => pattern.test(hash));
    if (open) return open[1](hash.match(open[0])[1], { onLoggedIn: loggedIn });
    if (!session.me) {
      const screen = login.loginScreen({ notice, onLoggedIn: loggedIn });
      notice = null;
      return screen;
    }
  }
  if (mustEnrol()) return (await load("secondfactor")).secondFactorScreen();
  // A beleidsmedewerker (only an organisation role) starts at the gemeente's figures.
  if (/^#\/?$/.test(hash) && !session.me.teams.length && (session.me.organisations || []).length) hash = "#/gemeente";
  const route = routes.find(([pattern]) => pattern.test(hash));
  if (!route) {
    location.replace("#/");
    return null;
  }
  return route[2](await load(route[1]), hash.match(route[0])[1]);
}

function loadFailed() {
  return screenView({ title: t("app_name"), bottom: h("button", { type: "button", class: "primary big",
    onclick: () => location.reload() }, t("retry")) },
  h("p", { class: "notice", role: "alert" }, t(navigator.onLine ? "error_generic" : "needs_network")));
}

async function startReplay() {
  try {
    (await importModule("lib/outbox.js")).startReplay();
  } catch (error) {
    // Not loaded (offline without a service worker): the outbox is sent on the next start.
  }
}

function loggedIn() {
  registerServiceWorker();
  startReplay();
  if (location.hash === "#/login" || !location.hash) location.hash = "#/";
  else render();
}

function loggedOut() {
  location.hash = "#/";
  render();
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).catch(() => {
    // Without a service worker the app still works online; only offline start is lost.
  });
}

function showConnection() {
  const banner = document.getElementById("offline");
  banner.textContent = t("offline_banner");
  banner.hidden = navigator.onLine;
}

// Who is on screen: a changed user or second-factor state after GET /me needs a new render.
function shownAs() {
  return session.me ? `${session.me.user.id}${mustEnrol() ? ":enrol" : ""}` : null;
}

async function boot() {
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  showConnection();
  // The session ended on the server (expired, revoked): log in again; the outbox stays for later.
  events.addEventListener("unauthorized", () => {
    if (!session.me) return;
    session.me = null;
    session.csrf = null;
    notice = t("session_expired");
    render();
  });
  window.addEventListener("hashchange", render);
  // The modules of the screen asked for go out now, next to GET /me, not after it.
  const hash = location.hash || "#/";
  const route = routes.find(([pattern]) => pattern.test(hash));
  if (route) hint(route[1]);
  if (PUBLIC.test(hash)) hint("login");
  if (logoutPending()) await endServerSession();
  // GET /me goes out now, side by side with the screen's modules; meanwhile the screen opens from
  // the session kept on the device (no waiting for the network at all on a repeat start). A 401
  // afterwards leads to the login screen through "unauthorized", with what was typed kept.
  // Whichever is known first opens the screen: the answer (in the document itself on a logged-in
  // page load) or the session on the device (undefined here: the answer came first).
  let answered = false;
  const loading = loadSession().finally(() => { answered = true; });
  const saved = await Promise.race([savedSession(), loading.then(() => undefined)]);
  // Likely a new phone: the login screen may be next, unless the document came with GET /me's
  // answer (a logged-in page load, whose document leaves the login screen out: fetched below).
  if (saved === null && !document.getElementById("leerlus-me").textContent) hint("login");
  let shown = null;
  let shownScreen = null;
  if (saved && !answered) {
    session.me = saved;
    shown = shownAs();
    shownScreen = render();
  }
  const state = await loading;
  if (state === "none" ? shown === null : shownAs() !== shown) shownScreen = render();
  // After the first screen is on screen: the worker's install (its script, the precache download)
  // must not compete with building it, on a slow phone's CPU least of all.
  await shownScreen;
  registerServiceWorker();
  if (state !== "none") startReplay();
  // The other screens' texts (the document carries the first screen's only): now, not when the
  // next screen is opened. Offline without the service worker they are asked again then.
  allTexts().catch(() => {});
  // A logged-in page load's document leaves the login screen out (server/pwa.py): fetched now, so
  // that a logout or an ended session finds it, offline too. Nothing when the document holds it.
  hint("login");
}

boot();
