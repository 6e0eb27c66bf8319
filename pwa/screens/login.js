// Log in, with the second-factor step when the server asks for it.
import { adoptSession, api, ApiError, session } from "../lib/api.js?v=__VERSION__";
import { t } from "../lib/i18n.js?v=__VERSION__";
import { field, h, screen, showFieldErrors } from "../lib/ui.js?v=__VERSION__";

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

  const forgot = h("p", {}, h("a", { class: "more-link", href: "#/wachtwoord-vergeten" }, t("forgot_link")));
  const sso = h("div", { class: "sso" });
  const view = screen({ title: t("login_title"), back: null, bottom: button }, sso, form, forgot);
  // Coming back from a refused single sign-on: say why (#/login?sso=<reason>).
  const refused = new URLSearchParams(location.hash.split("?")[1] || "").get("sso");
  const reasons = ["mislukt", "email-niet-bevestigd", "geen-uitnodiging", "geen-toegang"];
  if (refused) message.textContent = t(reasons.includes(refused) ? `sso_${refused}` : "sso_mislukt");
  offerSso(sso, [form, forgot, button]);
  return view;
}

// "Inloggen met je werkaccount": one button per identity provider the installation configured;
// the password form goes when the installation has switched local passwords off.
async function offerSso(place, passwordParts) {
  let offer;
  try {
    offer = await api("/auth/sso");
  } catch {
    return; // offline or an older server: the password form stays
  }
  for (const provider of offer.providers) {
    place.append(h("a", { class: "button primary big", href: provider.login_url }, provider.label));
  }
  if (!offer.local_passwords) {
    for (const part of passwordParts) part.remove();
  } else if (offer.providers.length) {
    place.append(h("p", { class: "hint" }, t("sso_or_password")));
  }
}

// The pages behind e-mailed links work before anyone is logged in.
export const publicRoutes = [
  [/^#\/wachtwoord-vergeten$/, () => forgotScreen()],
  [/^#\/wachtwoord\/([\w-]+)$/, (token) => resetScreen(token)],
  [/^#\/uitnodiging\/([\w-]+)$/, (token, { onLoggedIn }) => inviteScreen(token, onLoggedIn)],
  [/^#\/gemeente-uitnodiging\/([\w-]+)$/, (token, { onLoggedIn }) => organisationInviteScreen(token, onLoggedIn)],
];

function passwordForm({ id, intro, fields, buttonText, submit }) {
  const message = h("p", { class: "notice", role: "status" });
  const button = h("button", { type: "submit", class: "primary big", form: id }, buttonText);
  const form = h("form", { id, novalidate: true }, h("p", {}, intro), message, fields);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    message.textContent = "";
    try {
      await submit(message);
    } catch (error) {
      fail(form, message, error);
    } finally {
      button.disabled = false;
    }
  });
  return { form, button };
}

function forgotScreen() {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true, autocapitalize: "off" });
  const { form, button } = passwordForm({
    id: "forgot-form", intro: t("forgot_intro"), buttonText: t("forgot_button"),
    fields: field({ label: t("email"), control: email, name: "email" }),
    submit: async (message) => {
      await api("/auth/password-reset", { method: "POST", body: { email: email.value.trim() } });
      message.textContent = t("forgot_sent");
    },
  });
  return screen({ title: t("forgot_title"), back: "#/", bottom: button }, form);
}

function resetScreen(token) {
  const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true });
  const { form, button } = passwordForm({
    id: "reset-form", intro: t("reset_intro"), buttonText: t("reset_button"),
    fields: field({ label: t("new_password"), control: password, name: "password" }),
    submit: async (message) => {
      await api(`/auth/password-reset/${encodeURIComponent(token)}`, { method: "POST", body: { password: password.value } });
      message.textContent = t("reset_done");
      form.append(h("p", {}, h("a", { class: "more-link", href: "#/" }, t("to_login"))));
      button.hidden = true;
    },
  });
  return screen({ title: t("reset_title"), back: null, bottom: button }, form);
}

function inviteScreen(token, onLoggedIn) {
  const name = h("input", { type: "text", name: "display_name", autocomplete: "name", maxlength: "120" });
  const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true });
  const { form, button } = passwordForm({
    id: "invite-form", intro: t("invite_intro"), buttonText: t("invite_button"),
    fields: [field({ label: t("display_name"), control: name, name: "display_name", optional: true }),
      field({ label: t("new_password"), control: password, name: "password" })],
    submit: async () => {
      const body = { password: password.value };
      if (name.value.trim()) body.display_name = name.value.trim();
      await adoptSession(await api(`/invitations/${encodeURIComponent(token)}/accept`, { method: "POST", body }));
      location.hash = "#/";
      onLoggedIn();
    },
  });
  return screen({ title: t("invite_title"), back: null, bottom: button }, form);
}

// A beheerder's invitation to a gemeente (beleidsmedewerker): first what the role sees and what the
// figures are for, then name and password. A role that needs a second factor is taken to its
// enrolment by the router right after (mustEnrol), as after a team invitation; then to #/gemeente.
const INVITATION_PROBLEMS = {
  "/problems/invitation-unknown": "oi_unknown",
  "/problems/invitation-used": "oi_used",
  "/problems/invitation-expired": "oi_expired",
};

function invitationProblem(error) {
  const problem = error instanceof ApiError ? error.problem || {} : {};
  if (error.status === 0) return t("needs_network");
  return INVITATION_PROBLEMS[problem.type] ? t(INVITATION_PROBLEMS[problem.type]) : problem.detail || t("error_generic");
}

async function organisationInviteScreen(token, onLoggedIn) {
  const path = `/organisation-invitations/${encodeURIComponent(token)}`;
  let invitation;
  try {
    invitation = await api(path);
  } catch (error) {
    return screen({ title: t("oi_title"), back: null },
      h("p", { class: "notice", role: "alert" }, invitationProblem(error)),
      h("p", {}, h("a", { class: "more-link", href: "#/" }, t("to_login"))));
  }
  const name = h("input", { type: "text", name: "display_name", autocomplete: "name", maxlength: "120" });
  const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true });
  const { form, button } = passwordForm({
    id: "organisation-invite-form", intro: t("oi_form_intro", { email: invitation.email }), buttonText: t("oi_button"),
    fields: [field({ label: t("display_name_work"), control: name, name: "display_name", optional: true }),
      field({ label: t("new_password"), control: password, name: "password" })],
    submit: async () => {
      const body = { password: password.value };
      if (name.value.trim()) body.display_name = name.value.trim();
      try {
        await adoptSession(await api(`${path}/accept`, { method: "POST", body }));
      } catch (error) {
        // Used or expired meanwhile: say so in words, not the server's; field errors stay as they are.
        const problem = error instanceof ApiError ? error.problem || {} : {};
        if (INVITATION_PROBLEMS[problem.type]) throw new ApiError(error.status, { ...problem, detail: invitationProblem(error) });
        throw error;
      }
      location.hash = "#/";
      onLoggedIn();
    },
  });
  const about = h("section", { class: "panel", "aria-labelledby": "oi-sees" },
    h("h2", { id: "oi-sees" }, t("oi_sees_title")),
    h("ul", {}, ["oi_sees_1", "oi_sees_2", "oi_sees_3"].map((key) => h("li", {}, t(key)))));
  return screen({ title: t("oi_title"), back: null, bottom: button },
    h("p", {}, h("strong", {}, t("oi_invited", { organisation: invitation.organisation }))), about,
    h("p", { class: "panel purpose" }, t("oi_purpose")),
    invitation.second_factor ? h("p", {}, t("oi_second_factor")) : null, form);
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
