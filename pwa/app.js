// Leerlus app shell: boot, hash router, service worker, offline banner.
import { endServerSession, events, loadSession, logoutPending, session } from "./api.js";
import { t } from "./i18n.js";
import { startReplay } from "./outbox.js";
import { agendaScreen, developmentScreen, teamQuestionsScreen } from "./screens/development.js";
import { digestListScreen, digestScreen } from "./screens/digest.js";
import { feedbackScreen } from "./screens/feedback.js";
import { homeScreen } from "./screens/home.js";
import { residentsScreen } from "./screens/inwoners.js";
import { actionsScreen, reflectionsScreen } from "./screens/lists.js";
import { loginScreen, publicRoutes } from "./screens/login.js";
import { notificationScreen } from "./screens/melding.js";
import { reflectScreen } from "./screens/reflect.js";
import { safetyScreen } from "./screens/safety.js";
import { mustEnrol, secondFactorScreen } from "./screens/secondfactor.js";
import { settingsScreen } from "./screens/settings.js";
import { sharedScreen } from "./screens/shared.js";
import { teamScreen } from "./screens/team.js";
import { leave } from "./ui.js";

const view = document.getElementById("view");
let notice = null; // shown once on the login screen (e.g. "session expired")

const routes = [
  [/^#\/nieuw\/bezoek\/([\w-]+)$/, (visitId) => reflectScreen(null, visitId)],
  [/^#\/nieuw(?:\/([\w-]+))?$/, (id) => reflectScreen(id)],
  [/^#\/reflecties$/, () => reflectionsScreen()],
  [/^#\/acties$/, () => actionsScreen()],
  [/^#\/feedback(?:\/([\w-]+))?$/, (id) => feedbackScreen(id)],
  [/^#\/meldcode\/([\w-]+)$/, (id) => safetyScreen(id)],
  [/^#\/tweede-factor$/, () => secondFactorScreen()],
  [/^#\/instellingen$/, () => settingsScreen({ onLanguage: render, onLoggedOut: loggedOut })],
  [/^#\/ontwikkeling$/, () => developmentScreen()],
  [/^#\/teamvragen$/, () => teamQuestionsScreen()],
  [/^#\/leeragenda$/, () => agendaScreen()],
  [/^#\/melding\/([\w-]+)$/, (id) => notificationScreen(id)],
  [/^#\/inwoners$/, () => residentsScreen()],
  [/^#\/team$/, () => teamScreen()],
  [/^#\/team\/reflecties$/, () => sharedScreen()],
  [/^#\/weekoverzicht$/, () => digestListScreen()],
  // #/digest/… is the link in the digest e-mail.
  [/^#\/(?:weekoverzicht|digest)\/([\w-]+\/\d{4}-W\d{2})$/, (path) => digestScreen(...path.split("/"))],
  [/^#\/?$/, () => homeScreen()],
];

let renderCount = 0;

async function render() {
  const mine = ++renderCount;
  leave();
  document.getElementById("announce").textContent = "";
  let screen;
  const hash = location.hash || "#/";
  const open = publicRoutes.find(([pattern]) => pattern.test(hash));
  if (open) {
    screen = open[1](hash.match(open[0])[1], { onLoggedIn: loggedIn });
  } else if (!session.me) {
    screen = loginScreen({ notice, onLoggedIn: loggedIn });
    notice = null;
  } else if (mustEnrol()) {
    screen = secondFactorScreen();
  } else {
    const route = routes.find(([pattern]) => pattern.test(hash));
    if (!route) {
      location.replace("#/");
      return;
    }
    screen = await route[1](hash.match(route[0])[1]);
  }
  if (mine !== renderCount) return; // the user navigated on while this screen was loading
  view.replaceChildren(screen);
  window.scrollTo(0, 0);
  const heading = view.querySelector("h1");
  document.title = `${heading ? heading.textContent : ""} · ${t("app_name")}`;
  // Screen readers and keyboards start at the new screen's title, as after a page load.
  if (heading && renderCount > 1) heading.focus({ preventScroll: true });
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
  if (logoutPending()) await endServerSession();
  const state = await loadSession();
  registerServiceWorker();
  if (state !== "none") startReplay();
  render();
}

boot();
