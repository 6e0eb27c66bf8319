// Vraag feedback: a full-screen QR code, a share button, and a short code to read aloud.
// The server keeps only a hash of the token, so the link itself is kept on the device to show again.
import { api, serverNow, teamIdForWrites, userKey } from "../lib/api.js?v=__VERSION__";
import { formatDate, t } from "../lib/i18n.js?v=__VERSION__";
import { enqueue, flush, sent } from "../lib/outbox.js?v=__VERSION__";
import { openPdf, residentOptions } from "../lib/residents.js?v=__VERSION__";
import { teamPicker } from "../lib/teampicker.js?v=__VERSION__";
import { h, isoNow, screen } from "../lib/ui.js?v=__VERSION__";

const store = self.leerlusStore;
const KINDS = ["huisbezoek", "telefonisch", "op-kantoor", "wijk"];
export async function feedbackScreen(visitId) {
  if (!visitId) return newVisitScreen();
  const key = userKey(`feedback:${visitId}`);
  const saved = await store.get("kv", key);
  const body = h("div", { class: "qr-page" });
  const share = h("div");
  const options = residentOptions();
  const view = screen({ title: t("feedback_title"), bottom: share }, body);

  const show = (link) => {
    body.replaceChildren(...linkView(link, create, options.element), cardButtons(visitId, link, key), tieCard(visitId));
    share.replaceChildren(shareButtons(link));
  };
  async function create() {
    body.replaceChildren(h("p", { role: "status" }, t("loading")));
    try {
      const link = await api(`/visits/${visitId}/feedback-link`, { method: "POST", body: options.value() });
      await store.put("kv", { key, value: link });
      await store.put("kv", { key: userKey("feedback:last"), value: { ...link, visit_id: visitId } });
      show(link);
    } catch (error) {
      body.replaceChildren(h("p", { class: "notice", role: "alert" },
        error.status === 0 ? t("needs_network") : error.problem.detail || t("error_generic")),
      saved ? h("button", { type: "button", class: "secondary", onclick: () => show(saved.value) }, t("show_last_link")) : null);
    }
  }

  if (saved && new Date(saved.value.expires_at) > serverNow()) show(saved.value);
  else create();
  return view;
}

// The Web Share sheet where the phone has one (WhatsApp, SMS, ...); otherwise SMS and WhatsApp links.
// The server words the texts in the link's language and counts the form's questions; a link saved
// before it did so falls back to the app's own wording.
function shareButtons(link) {
  const text = link.share_text || t("share_text", { url: link.url });
  const title = link.share_title || t("share_title");
  return navigator.share
    ? h("button", { type: "button", class: "primary big", onclick: () => navigator.share({ title, text }).catch(() => {}) }, t("share"))
    : h("div", { class: "row split" },
      h("a", { class: "button primary", href: `sms:?&body=${encodeURIComponent(text)}` }, "SMS"),
      h("a", { class: "button primary", href: `https://wa.me/?text=${encodeURIComponent(text)}`, rel: "noopener" }, "WhatsApp"));
}

// The printed card for the link on screen, and the one reminder a medewerker may share.
function cardButtons(visitId, link, key) {
  const status = h("p", { class: "hint", role: "status" });
  const fail = (error) => { status.textContent = error.status === 0 ? t("needs_network") : (error.problem && error.problem.detail) || t("error_generic"); };
  const card = h("button", { type: "button", class: "secondary", onclick: () => openPdf(`/visits/${visitId}/feedback-card`,
    { token: link.token, code: link.code, layout: "a6" }, "feedbackkaart").catch(fail) }, t("print_card"));
  const remind = h("button", { type: "button", class: "secondary", disabled: Boolean(link.reshared_at), onclick: async () => {
    try {
      const done = await api(`/visits/${visitId}/feedback-link/reshare`, { method: "POST" });
      const kept = { ...link, reshared_at: done.reshared_at };
      await store.put("kv", { key, value: kept });
      remind.disabled = true;
      const text = link.reshare_text || t("reshare_text", { url: link.url });
      if (navigator.share) navigator.share({ title: link.share_title || t("share_title"), text }).catch(() => {});
      else location.href = `sms:?&body=${encodeURIComponent(text)}`;
    } catch (error) {
      fail(error);
    }
  } }, t("reshare"));
  return h("div", {}, h("div", { class: "row split" }, card, remind), h("p", { class: "hint" }, t("reshare_hint")), status);
}

// A card from a printed batch was left at this visit: its code ties the card (and any answer) to it.
function tieCard(visitId) {
  const code = h("input", { type: "text", name: "code", maxlength: "20", autocomplete: "off", autocapitalize: "characters", spellcheck: "false" });
  const status = h("p", { class: "hint", role: "status" });
  const button = h("button", { type: "button", class: "secondary", onclick: async () => {
    try {
      await api(`/visits/${visitId}/feedback-code`, { method: "POST", body: { code: code.value } });
      status.textContent = t("tie_done");
    } catch (error) {
      status.textContent = error.status === 0 ? t("needs_network") : (error.problem && error.problem.detail) || t("error_generic");
    }
  } }, t("tie_button"));
  return h("details", {}, h("summary", {}, t("tie_title")), h("label", {}, t("tie_label"), " ", code), button, status);
}

// The language and version choice sits with "Nieuwe link maken": it applies to the next link.
function linkView(link, renew, options) {
  // An inline SVG becomes a standalone image here, which needs the SVG namespace declared.
  const svg = link.qr_svg.replace(/^<svg(?![^>]*\sxmlns=)/, '<svg xmlns="http://www.w3.org/2000/svg"');
  return [
    h("p", { class: "scan-me", lang: link.scan_text ? link.language : null }, link.scan_text || t("scan_me")),
    // An <img> of the server's SVG: it cannot run script, and data: images are allowed by the CSP.
    h("img", { class: "qr", src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt: t("qr_alt") }),
    // Eight characters read aloud instead of a 43-character token; the whole link stays one tap away.
    ...(link.code
      ? [h("p", { class: "hint" }, t("code_read_aloud", { address: link.code_url })),
        h("p", { class: "readable-code" }, link.code),
        h("details", { class: "whole-link" }, h("summary", {}, t("show_link")), h("p", { class: "readable-link" }, link.url))]
      : [h("p", { class: "hint" }, t("link_readable")), h("p", { class: "readable-link" }, link.url)]),
    h("p", { class: "hint" }, t("expires", { date: formatDate(link.expires_at) })),
    options,
    h("button", { type: "button", class: "link", onclick: renew, "aria-describedby": "renew-hint" }, t("new_link")),
    h("p", { class: "hint", id: "renew-hint" }, t("new_link_hint")),
  ];
}

// No visit yet (e.g. a phone call without reflection): log the contact, then make its link.
function newVisitScreen() {
  const group = "visit-kind";
  const message = h("p", { class: "notice", role: "status" });
  const form = h("form", { id: "visit-form", novalidate: true },
    teamPicker({ hint: t("team_hint_visit"), onchange: () => {} }),
    h("fieldset", { class: "choices kinds" },
      h("legend", {}, t("pick_contact")),
      KINDS.map((kind, index) => h("label", { class: "choice choice-kind" },
        h("input", { type: "radio", name: group, value: kind, checked: index === 0 }),
        h("span", { class: "choice-title" }, t(`kind_${kind}`))))),
    message);
  const button = h("button", { type: "submit", class: "primary big", form: "visit-form" }, t("make_link"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    const kind = form.querySelector("input:checked").value;
    const entry = await enqueue("visit", "POST", "/api/v1/visits", {
      client_id: crypto.randomUUID(), occurred_at: isoNow(), kind, team_id: teamIdForWrites(),
    });
    await flush();
    const visit = sent.get(entry.key);
    if (visit) location.hash = `#/feedback/${visit.id}`;
    else message.textContent = t("needs_network");
    button.disabled = false;
  });
  return screen({ title: t("feedback_title"), bottom: button }, form);
}
