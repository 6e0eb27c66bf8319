// Wat inwoners zeggen: answers on your own visits (nobody else sees these) and your response rate.
// Comments are the de-identified text; until the worker has made it, the app shows "wordt verwerkt".
import { api, currentTeam } from "../lib/api.js?v=__VERSION__";
import { formatDate, language, t } from "../lib/i18n.js?v=__VERSION__";
import { openPdf, residentOptions } from "../lib/residents.js?v=__VERSION__";
import { emptyState, h, problemText, screen, svg } from "../lib/ui.js?v=__VERSION__";

// A face drawn from the score (1 frowns, 5 smiles); always next to its words, never alone.
function face(score) {
  const curve = 15 + (score - 3) * 2.5;
  return svg("svg", { class: `face face-${score}`, viewBox: "0 0 24 24", "aria-hidden": "true" },
    svg("circle", { cx: 12, cy: 12, r: 10.5 }),
    svg("circle", { cx: 8.5, cy: 9.5, r: 1.3, class: "eye" }), svg("circle", { cx: 15.5, cy: 9.5, r: 1.3, class: "eye" }),
    svg("path", { d: `M7.5 15 Q12 ${curve} 16.5 15`, class: "mouth" }));
}

function feedbackCard(item) {
  return h("li", { class: "card" },
    h("p", { class: "meta" }, formatDate(item.submitted_at, false)),
    item.contact_requested ? h("p", { class: "badge contact" }, t("contact_requested")) : null,
    h("ul", { class: "scores" }, Object.entries(item.scores).map(([key, score]) => h("li", {},
      h("span", { class: "score-item" }, t(`wmo_${key}`)),
      h("span", { class: "score" }, face(score), t(`scale_${score}`))))),
    item.processed
      ? (item.comment ? h("blockquote", { class: "quote", lang: item.comment_language || "nl", dir: "auto" }, item.comment) : null)
      : h("p", { class: "hint" }, t("comment_processing")),
    // Shown as written; a comment in another language says which (the themes are the same for all).
    item.processed && item.comment && item.comment_language && item.comment_language !== "nl"
      ? h("p", { class: "meta" }, t("comment_language", { language: t(`language_${item.comment_language}`) })) : null,
    item.processed && item.themes.length
      ? h("ul", { class: "tags", "aria-label": t("themes") }, item.themes.map((theme) => h("li", {}, theme.label))) : null);
}

function percent(value) {
  return value.toLocaleString(language() === "en" ? "en-GB" : "nl-NL", { style: "percent" });
}

// This month: your own links (only you see this), and the team's rate once k colleagues asked too.
function monthRate(month) {
  if (!month) return null;
  return h("p", { class: "hint" },
    month.issued ? t("rate_month", { a: month.answered, i: month.issued, p: percent(month.rate) }) : t("rate_month_none"),
    " ", month.team ? t("rate_team", { p: percent(month.team.rate) }) : t("rate_team_hidden"));
}

// Cards for the week's planned visits: each a fresh link, tied to its visit when the resident uses it.
function batchCards() {
  const count = h("input", { type: "number", name: "count", min: 1, max: 40, value: 4, inputmode: "numeric" });
  const options = residentOptions();
  const status = h("p", { class: "hint", role: "status" });
  const button = h("button", { type: "button", class: "secondary", onclick: async () => {
    button.disabled = true;
    try {
      const team = currentTeam();
      if (!team) throw new Error("no team");
      await openPdf(`/teams/${team.id}/feedback-cards`, { count: Number(count.value), layout: "a4", ...options.value() }, "feedbackkaarten");
      status.textContent = "";
    } catch (error) {
      status.textContent = error.status === 0 ? t("needs_network") : error.problem ? problemText(error) : t("error_generic");
    }
    button.disabled = false;
  } }, t("print_batch"));
  return h("details", { class: "panel" }, h("summary", {}, t("batch_title")),
    h("p", { class: "hint" }, t("batch_hint")),
    h("label", {}, t("batch_count"), " ", count), options.element, button, status);
}

export async function residentsScreen() {
  const body = h("div");
  const view = screen({ title: t("residents_title") }, h("p", { class: "hint" }, t("residents_private")), body);
  try {
    const page = await api("/feedback?page_size=50");
    const rate = page.response_rate;
    body.replaceChildren(
      h("p", { class: "panel" }, rate.issued
        ? t("response_rate", { a: rate.answered, i: rate.issued, p: percent(rate.rate) })
        : t("response_rate_none")),
      monthRate(page.response_rate_month),
      batchCards(),
      page.items.length ? h("ul", { class: "cards" }, page.items.map(feedbackCard)) : emptyState(t("no_feedback")));
  } catch (error) {
    body.replaceChildren(emptyState(problemText(error)));
  }
  return view;
}
