// Language, notifications (permission asked only after the tap) and logging out.
import { api, endServerSession, forgetTeamChoice, session } from "../api.js?v=__VERSION__";
import { language, setLanguage, t } from "../i18n.js?v=__VERSION__";
import { entries } from "../outbox.js?v=__VERSION__";
import { h, screen, uid } from "../ui.js?v=__VERSION__";

const store = self.leerlusStore;

// push.js (a classic script, shared with the service worker) loads only when this screen needs it.
function pushScript() {
  if (self.leerlusPush) return Promise.resolve(self.leerlusPush);
  return new Promise((resolve, reject) => {
    document.head.append(h("script", { src: "/app/push.js?v=__VERSION__",
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
    h("p", {}, h("a", { href: "#/tweede-factor" }, t("mfa_setup_title"))));
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
      .then((subscription) => { toggle.checked = Boolean(subscription) && Notification.permission === "granted"; });
    toggle.addEventListener("change", async () => {
      toggle.disabled = true;
      const registration = await navigator.serviceWorker.ready;
      try {
        if (toggle.checked) {
          // Only now, after the tap, does the phone ask for permission.
          if (await Notification.requestPermission() !== "granted") {
            toggle.checked = false;
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
        message.textContent = navigator.onLine ? t("error_generic") : t("needs_network");
      } finally {
        toggle.disabled = false;
      }
    });
  }
  return h("div", { class: "switch-row" },
    h("label", { class: "switch" }, toggle, h("span", {}, t("notifications"))),
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
  forgetTeamChoice();
  session.me = null;
  await store.wipe();
  if ("caches" in self) {
    for (const name of await caches.keys()) await caches.delete(name);
  }
  if ("serviceWorker" in navigator) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  }
  if (idpLogout) {
    location.assign(idpLogout); // the identity provider ends its own session too, then sends us back
    return;
  }
  onLoggedOut();
}
