// Enrol a second factor (TOTP): scan, confirm one code, keep the recovery codes.
import { adoptSession, api, ApiError, mustEnrol, session } from "../lib/api.js?v=__VERSION__";
import { t } from "../lib/i18n.js?v=__VERSION__";
import { field, h, screen, showFieldErrors } from "../lib/ui.js?v=__VERSION__";

export function secondFactorScreen() {
  const forced = mustEnrol();
  const message = h("p", { class: "notice", role: "status" });
  const body = h("div", {});
  const start = h("button", { type: "button", class: "primary big" }, t("mfa_setup_start"));
  const intro = [h("p", {}, t("mfa_setup_intro")), forced ? h("p", { class: "notice" }, t("mfa_setup_required")) : null];
  if (session.me.mfa_enabled) {
    return screen({ title: t("mfa_setup_title"), back: "#/instellingen" }, intro[0], h("p", {}, t("mfa_setup_on")));
  }
  let started = false;
  start.addEventListener("click", async () => {
    // The same bottom button submits the code form afterwards: start only once.
    if (started) return;
    started = true;
    start.disabled = true;
    try {
      body.replaceChildren(enrolForm(await api("/me/mfa/setup", { method: "POST" }), message, start));
    } catch (error) {
      message.textContent = error.status === 0 ? t("needs_network") : error.problem.detail || t("error_generic");
      started = false;
      start.disabled = false;
    }
  });
  return screen({ title: t("mfa_setup_title"), back: forced ? null : "#/instellingen", bottom: start },
    intro, message, body);
}

function enrolForm(setup, message, bottomButton) {
  const svg = setup.qr_svg.replace(/^<svg(?![^>]*\sxmlns=)/, '<svg xmlns="http://www.w3.org/2000/svg"');
  const code = h("input", { type: "text", name: "code", inputmode: "numeric", autocomplete: "one-time-code", required: true, maxlength: "20" });
  const form = h("form", { id: "mfa-setup-form", novalidate: true },
    h("p", {}, t("mfa_setup_scan")),
    h("img", { class: "qr", src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt: t("mfa_setup_qr_alt") }),
    h("p", {}, h("code", { class: "secret" }, setup.secret)),
    field({ label: t("mfa_code"), control: code, name: "code" }));
  bottomButton.textContent = t("mfa_setup_button");
  bottomButton.disabled = false;
  bottomButton.setAttribute("form", "mfa-setup-form");
  bottomButton.type = "submit";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    bottomButton.disabled = true;
    try {
      const { recovery_codes: codes } = await api("/me/mfa/enable", { method: "POST", body: { code: code.value.trim() } });
      await adoptSession(await api("/me"));
      form.replaceWith(recoveryCodes(codes));
      bottomButton.hidden = true;
    } catch (error) {
      showFieldErrors(form, error instanceof ApiError ? error.problem : {});
      message.textContent = error.status === 0 ? t("needs_network") : (error.problem && error.problem.detail) || t("error_generic");
      bottomButton.disabled = false;
    }
  });
  requestAnimationFrame(() => code.focus());
  return form;
}

function recoveryCodes(codes) {
  return h("div", {},
    h("p", {}, t("mfa_recovery_intro")),
    h("ul", { class: "recovery-codes" }, codes.map((c) => h("li", {}, h("code", {}, c)))),
    h("a", { class: "button primary big", href: "#/", onclick: toStart }, t("mfa_recovery_done")));
}

// An enrolment the role required happens on #/ itself (after a login or an invitation): there the
// link would change nothing, so the router is asked to show the start screen, now allowed.
function toStart(event) {
  if (!/^#\/?$/.test(location.hash || "#/")) return;
  event.preventDefault();
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}
