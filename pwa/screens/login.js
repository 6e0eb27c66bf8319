// Log in, with the second-factor step when the server asks for it.
import { ApiError, adoptSession, api, session } from "../api.js";
import { t } from "../i18n.js";
import { field, h, screen, showFieldErrors } from "../ui.js";

export function loginScreen({ notice, onLoggedIn }) {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true, autocapitalize: "off", spellcheck: "false" });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const message = h("p", { class: "notice", role: "status" }, notice || "");
  const button = h("button", { type: "submit", class: "primary big", form: "login-form" }, t("login_button"));
  const form = h("form", { id: "login-form", novalidate: true },
    h("p", {}, t("login_intro")),
    message,
    field({ label: t("email"), control: email, name: "email" }),
    field({ label: t("password"), control: password, name: "password" }));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    message.textContent = "";
    try {
      const body = await api("/auth/login", { method: "POST", body: { email: email.value.trim(), password: password.value } });
      if (body.mfa_required) {
        session.csrf = body.csrf_token;
        view.replaceWith(mfaScreen({ onLoggedIn }));
        return;
      }
      await adoptSession(body);
      onLoggedIn();
    } catch (error) {
      fail(form, message, error);
    } finally {
      button.disabled = false;
    }
  });

  const view = screen({ title: t("login_title"), back: null, bottom: button }, form);
  return view;
}

function mfaScreen({ onLoggedIn }) {
  const code = h("input", { type: "text", name: "code", inputmode: "numeric", autocomplete: "one-time-code", required: true, maxlength: "20" });
  const message = h("p", { class: "notice", role: "status" });
  const button = h("button", { type: "submit", class: "primary big", form: "mfa-form" }, t("mfa_button"));
  const form = h("form", { id: "mfa-form", novalidate: true },
    h("p", {}, t("mfa_intro")),
    message,
    field({ label: t("mfa_code"), control: code, name: "code" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      await adoptSession(await api("/auth/mfa", { method: "POST", body: { code: code.value.trim() } }));
      onLoggedIn();
    } catch (error) {
      fail(form, message, error);
    } finally {
      button.disabled = false;
    }
  });
  const view = screen({ title: t("mfa_title"), back: null, bottom: button }, form);
  requestAnimationFrame(() => code.focus());
  return view;
}

function fail(form, message, error) {
  const problem = error instanceof ApiError ? error.problem : {};
  showFieldErrors(form, problem);
  message.textContent = error.status === 0 ? t("needs_network") : problem.detail || t("error_generic");
}
