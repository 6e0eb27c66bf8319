// Language, notifications (permission asked only after the tap), quiet hours and reminder timing,
// my data (download, erase) and logging out.
import { adoptSession, api, endServerSession, forgetUser, serverNow, session } from "../lib/api.js?v=__VERSION__";
import { language, setLanguage, t } from "../lib/i18n.js?v=__VERSION__";
import { entries } from "../lib/outbox.js?v=__VERSION__";
import { announce, field, h, screen, showFieldErrors, uid } from "../lib/ui.js?v=__VERSION__";

const store = self.leerlusStore;

// push.js (a classic script, shared with the service worker) loads only when this screen needs it.
function pushScript() {
  if (self.leerlusPush) return Promise.resolve(self.leerlusPush);
  return new Promise((resolve, reject) => {
    document.head.append(h("script", { src: "/app/lib/push.js?v=__VERSION__",
      onload: () => resolve(self.leerlusPush), onerror: () => reject(new Error("push.js did not load")) }));
  });
}

export function settingsScreen({ onLanguage, onLoggedOut }) {
  const group = uid("lang");
  const languages = h("fieldset", { class: "choices" },
    h("legend", {}, t("language")),
    [["nl", "Nederlands"], ["en", "English"]].map(([code, name]) => h("label", { class: "choice", lang: code },
      h("input", { type: "radio", name: group, value: code, checked: language() === code,
        onchange: async () => {
          await setLanguage(code);
          // Remembered on the account too, for e-mails and the digest; harmless if offline.
          api("/me", { method: "PATCH", body: { language: code } }).catch(() => {});
          onLanguage();
        } }),
      h("span", { class: "choice-title" }, name))));

  const logoutButton = h("button", { type: "button", class: "primary big danger", onclick: () => logout(onLoggedOut) }, t("logout"));
  return screen({ title: t("settings"), bottom: logoutButton },
    h("p", { class: "meta" }, t("logged_in_as", { email: session.me.user.email })),
    languages,
    notificationsToggle(),
    quietHours(),
    h("p", {}, h("a", { class: "more-link", href: "#/tweede-factor" }, t("mfa_setup_title"))),
    myData(),
    eraseAccount(onLoggedOut));
}

// How many minutes after a visit the reminder to reflect comes (the server accepts 5 to 1440).
const NUDGE_DELAYS = [15, 30, 45, 60, 90, 120, 180, 240];

function delayLabel(minutes) {
  return minutes % 60 ? t("minutes_n", { n: minutes }) : t("hours_n", { n: minutes / 60 });
}

// Quiet hours (no notifications between start and end, and in weekends if chosen) and the reminder's timing.
function quietHours() {
  const prefs = (session.me && session.me.preferences) || {};
  const start = h("input", { type: "time", name: "quiet_start", value: prefs.quiet_start || "18:00", required: true });
  const end = h("input", { type: "time", name: "quiet_end", value: prefs.quiet_end || "08:00", required: true });
  const weekends = h("input", { type: "checkbox", checked: prefs.quiet_weekends !== false });
  const current = prefs.nudge_delay_minutes || 45;
  const delays = NUDGE_DELAYS.includes(current) ? NUDGE_DELAYS : [...NUDGE_DELAYS, current].sort((a, b) => a - b);
  const delay = h("select", { name: "nudge_delay_minutes" },
    delays.map((minutes) => h("option", { value: String(minutes), selected: minutes === current }, delayLabel(minutes))));
  const status = h("p", { class: "meta", role: "status" });
  const save = h("button", { type: "submit", class: "secondary" }, t("save"));
  const form = h("form", { class: "panel quiet-hours", novalidate: true },
    h("h2", {}, t("quiet_title")),
    h("p", { class: "hint" }, t("quiet_hint")),
    h("div", { class: "time-pair" },
      field({ label: t("quiet_from"), control: start, name: "quiet_start" }),
      field({ label: t("quiet_until"), control: end, name: "quiet_end" })),
    h("label", { class: "check" }, weekends, h("span", {}, t("quiet_weekends"))),
    field({ label: t("nudge_delay"), control: delay, name: "nudge_delay_minutes", hint: t("nudge_delay_hint") }),
    save, status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const preferences = {
      quiet_start: start.value, quiet_end: end.value, quiet_weekends: weekends.checked,
      nudge_delay_minutes: Number(delay.value),
    };
    save.disabled = true;
    try {
      await adoptSession(await api("/me", { method: "PATCH", body: { preferences } }));
      status.textContent = t("saved_ok");
      announce(t("saved_ok"));
    } catch (error) {
      showFieldErrors(form, { errors: (error.problem.errors || {}).preferences });
      status.textContent = error.status === 0 ? t("needs_network") : (error.problem.detail || t("error_generic"));
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

// AVG art. 15 and 20: everything Leerlus keeps about me, as the JSON file GET /me/export answers.
function myData() {
  const status = h("p", { class: "meta", role: "status" });
  const button = h("button", { type: "button", class: "secondary" }, t("export_button"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = t("loading");
    try {
      const data = await api("/me/export", { timeout: 60000 });
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const link = h("a", { href: URL.createObjectURL(blob), download: `leerlus-mijn-gegevens-${serverNow().toISOString().slice(0, 10)}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      status.textContent = t("export_done");
    } catch (error) {
      status.textContent = error.status === 0 ? t("needs_network") : (error.problem.detail || t("error_generic"));
    } finally {
      button.disabled = false;
    }
  });
  return h("section", { class: "panel", "aria-labelledby": "my-data-title" },
    h("h2", { id: "my-data-title" }, t("my_data_title")),
    h("p", { class: "hint" }, t("export_hint")),
    button, status);
}

// AVG art. 17: erase my account, after the consequences are read and the word is typed.
function eraseAccount(onLoggedOut) {
  const word = t("erase_word");
  const typed = h("input", { type: "text", name: "confirm", autocomplete: "off", autocapitalize: "characters", spellcheck: "false" });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password" });
  const button = h("button", { type: "submit", class: "primary danger", disabled: true }, t("erase_button"));
  const status = h("p", { class: "error", role: "alert", hidden: true });
  const ready = () => { button.disabled = typed.value.trim().toUpperCase() !== word || !password.value; };
  typed.addEventListener("input", ready);
  password.addEventListener("input", ready);
  const form = h("form", { class: "panel erase", novalidate: true },
    h("h2", {}, t("erase_title")),
    h("p", {}, t("erase_intro")),
    h("ul", { class: "steps" }, ["erase_what_1", "erase_what_2", "erase_what_3", "erase_what_4"].map((key) => h("li", {}, t(key)))),
    h("p", { class: "hint" }, t("erase_export_first")),
    field({ label: t("erase_type", { word }), control: typed, name: "confirm" }),
    field({ label: t("password"), control: password, name: "password" }),
    button, status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    status.hidden = true;
    try {
      await api("/me", { method: "DELETE", body: { password: password.value } });
    } catch (error) {
      showFieldErrors(form, error.problem);
      status.hidden = false;
      status.textContent = error.status === 0 ? t("needs_network") : (error.problem.detail || t("error_generic"));
      ready();
      return;
    }
    // The account is gone: nothing of it may stay on this phone either.
    await forgetDevice();
    onLoggedOut();
  });
  return form;
}

function notificationsToggle() {
  const message = h("p", { class: "hint", "aria-live": "polite" }, t("notifications_hint"));
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  const toggle = h("input", { type: "checkbox", role: "switch", disabled: !supported, "aria-describedby": "notify-hint" });
  message.id = "notify-hint";
  if (!supported) {
    message.textContent = t("notifications_unsupported");
  } else {
    navigator.serviceWorker.ready
      .then((registration) => registration.pushManager.getSubscription())
      .then((subscription) => {
        toggle.checked = Boolean(subscription) && Notification.permission === "granted";
        toggle.dispatchEvent(new Event("statechange"));
      });
    toggle.addEventListener("change", async () => {
      toggle.disabled = true;
      const registration = await navigator.serviceWorker.ready;
      try {
        if (toggle.checked) {
          // Only now, after the tap, does the phone ask for permission.
          if (await Notification.requestPermission() !== "granted") {
            toggle.checked = false;
            toggle.dispatchEvent(new Event("statechange"));
            message.textContent = t("notifications_denied");
            return;
          }
          await (await pushScript()).subscribe(registration, session.csrf);
        } else {
          await (await pushScript()).unsubscribe(registration, session.csrf);
        }
        message.textContent = t("notifications_hint");
      } catch (error) {
        toggle.checked = !toggle.checked;
        toggle.dispatchEvent(new Event("statechange"));
        message.textContent = navigator.onLine ? t("error_generic") : t("needs_network");
      } finally {
        toggle.disabled = false;
      }
    });
  }
  // The label says what is true now: "Meldingen aan" only while they are on.
  const label = h("span", {}, t("notifications_off"));
  const showState = () => { label.textContent = t(toggle.checked ? "notifications" : "notifications_off"); };
  toggle.addEventListener("change", showState);
  toggle.addEventListener("statechange", showState);
  return h("div", { class: "switch-row" },
    h("label", { class: "switch" }, toggle, label),
    message);
}

// On a shared phone nothing of this user may stay behind: outbox, drafts, caches, push.
async function logout(onLoggedOut) {
  const waiting = (await entries()).length;
  if (waiting && !window.confirm(t("logout_pending", { n: waiting }))) return;
  // The login screen comes next: load it while the precache below still holds it (offline too).
  await import("./login.js?v=__VERSION__").catch(() => {});
  if ("serviceWorker" in navigator) {
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration) await pushScript().then((push) => push.unsubscribe(registration, session.csrf)).catch(() => {});
  }
  // The server also answers with Clear-Site-Data; the steps below cover browsers that ignore it
  // and logging out without a connection.
  const idpLogout = await endServerSession();
  await forgetDevice();
  if (idpLogout) {
    location.assign(idpLogout); // the identity provider ends its own session too, then sends us back
    return;
  }
  onLoggedOut();
}

// Nothing of this user stays on the phone: session, outbox, drafts, caches, service worker.
async function forgetDevice() {
  forgetUser();
  session.me = null;
  session.csrf = null;
  await store.wipe();
  if ("caches" in self) {
    for (const name of await caches.keys()) await caches.delete(name);
  }
  if ("serviceWorker" in navigator) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  }
}
