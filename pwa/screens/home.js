// Start: one big button for a new reflection; feedback, due actions and recent reflections below.
import { api, currentTeam, events, serverNow, session, userKey } from "../lib/api.js?v=__VERSION__";
import { entryCard, reflectionCard } from "../lib/cards.js?v=__VERSION__";
import { formatDate, formatWeek, t } from "../lib/i18n.js?v=__VERSION__";
import { leadTeam, learningLinks } from "../lib/learning.js?v=__VERSION__";
import { entries } from "../lib/outbox.js?v=__VERSION__";
import { teamPicker } from "../lib/teampicker.js?v=__VERSION__";
import { debounce, emptyState, h, onLeave, screen } from "../lib/ui.js?v=__VERSION__";

const store = self.leerlusStore;
const DUE_WITHIN_DAYS = 7;

export function homeScreen() {
  const feedbackArea = h("div", { class: "stack" });
  const safetyArea = h("div");
  const actionsList = h("div");
  const reflectionsList = h("div");
  const noteArea = h("div");
  const thanksArea = h("div");
  const inboxArea = h("div");

  const view = screen({
    title: t("hello", { name: session.me.user.display_name }),
    back: null,
    extra: h("a", { class: "topbar-link", href: "#/instellingen" }, t("settings")),
    bottom: h("a", { class: "button primary big", href: "#/nieuw" }, t("new_reflection")),
  },
  // Several teams: which one new reflections and contacts go to (each form shows it again).
  teamPicker({ onchange: () => {} }),
  safetyArea,
  inboxArea,
  noteArea,
  thanksArea,
  feedbackArea,
  h("section", { "aria-labelledby": "due-title" },
    h("h2", { id: "due-title" }, t("due_actions")), actionsList,
    h("a", { class: "more-link", href: "#/acties" }, t("all_actions"))),
  h("section", { "aria-labelledby": "recent-title" },
    h("h2", { id: "recent-title" }, t("last_reflections")), reflectionsList,
    h("a", { class: "more-link", href: "#/reflecties" }, t("all_reflections"))),
  learningLinks(),
  teamLinks());

  const refresh = async () => {
    const team = currentTeam();
    const [local, reflections, visits, actions, safety, lastLink, note, thanks, inbox] = await Promise.all([
      entries(),
      api("/reflections?page_size=3").catch(() => null),
      api("/visits?page_size=1").catch(() => null),
      api("/actions?status=open&mine=true&page_size=100").catch(() => null),
      store.get("kv", userKey("safety")),
      store.get("kv", userKey("feedback:last")),
      team ? api(`/teams/${team.id}/notes/medewerkers`).catch(() => null) : null,
      api("/me/acknowledgements?page_size=3").catch(() => null),
      api("/notifications?unread=true&page_size=1").catch(() => null),
    ]);
    renderInbox(inboxArea, inbox);
    renderNote(noteArea, note);
    renderThanks(thanksArea, thanks);
    renderSafety(safetyArea, safety);
    renderFeedback(feedbackArea, visits, lastLink);
    renderActions(actionsList, actions);
    renderReflections(reflectionsList, local.filter((e) => e.kind === "reflection"), reflections);
  };
  const refreshSoon = debounce(refresh, 300);
  events.addEventListener("outbox", refreshSoon);
  onLeave(() => events.removeEventListener("outbox", refreshSoon));
  refresh();
  return view;
}

// "Jullie zeiden, wij deden": what the team does with the reflections, from the teamleider.
function renderNote(area, note) {
  area.replaceChildren(note && note.text
    ? h("section", { class: "panel calm team-note", "aria-labelledby": "team-note-title" },
      h("h2", { id: "team-note-title" }, t("said_did_title")),
      h("p", {}, note.text),
      h("p", { class: "meta" }, `${t("from_your_lead")} · ${formatWeek(note.iso_week)}`))
    : "");
}

// Unread notifications (a contact request first of all): push may be off or missed.
function renderInbox(area, inbox) {
  const unread = (inbox && inbox.unread) || 0;
  const newest = inbox && inbox.items[0];
  area.replaceChildren(unread
    ? h("a", { class: "panel calm inbox-panel", href: "#/meldingen" },
      h("strong", {}, t("inbox_unread", { n: unread })),
      newest && newest.kind === "feedback-contact" ? h("span", { class: "meta" }, ` ${t("contact_requested")}`) : null)
    : "");
}

// Thanks and answers to the reflections you shared (only you see these).
function renderThanks(area, thanks) {
  const items = (thanks && thanks.items) || [];
  area.replaceChildren(items.length
    ? h("section", { class: "team-thanks", "aria-labelledby": "thanks-title" },
      h("h2", { id: "thanks-title" }, t("thanks_title")),
      h("ul", { class: "cards" }, items.map((item) => h("li", { class: "card" },
        h("p", { class: "text" }, item.kind === "thanks" ? t("thanks_text", { name: item.sender }) : item.text),
        h("p", { class: "meta" }, item.kind === "thanks" ? formatWeek(item.iso_week)
          : `${item.sender} · ${formatWeek(item.iso_week)}`)))))
    : "");
}

function renderSafety(area, safety) {
  const ids = (safety && safety.ids) || [];
  area.replaceChildren(ids.length
    ? h("div", { class: "panel calm" },
      h("p", {}, t("safety_title")),
      h("a", { class: "button secondary", href: `#/meldcode/${ids[0]}` }, t("show_meldcode")))
    : "");
}

function renderFeedback(area, visits, lastLink) {
  const latest = visits && visits.items[0];
  area.replaceChildren(
    latest
      ? h("a", { class: "button secondary big", href: `#/feedback/${latest.id}` },
        t("ask_feedback_for", { kind: t(`kind_${latest.kind}`), when: formatDate(latest.occurred_at) }))
      : h("a", { class: "button secondary big", href: "#/feedback" }, t("ask_feedback")),
    lastLink && new Date(lastLink.value.expires_at) > serverNow()
      ? h("a", { class: "more-link", href: `#/feedback/${lastLink.value.visit_id}` }, t("show_last_link"))
      : "");
}

function renderActions(list, actions) {
  if (!actions) {
    list.replaceChildren(emptyState(t("offline_list")));
    return;
  }
  const horizon = new Date(serverNow().getTime() + DUE_WITHIN_DAYS * 86400000).toISOString().slice(0, 10);
  const due = actions.items.filter((a) => a.status === "open" && a.due && a.due <= horizon)
    .sort((a, b) => (a.due < b.due ? -1 : 1)).slice(0, 3);
  list.replaceChildren(due.length
    ? h("ul", { class: "cards" }, due.map((a) => h("li", { class: "card" },
      h("p", { class: "text" }, a.title),
      h("p", { class: "meta" }, t("due_on", { date: formatDate(a.due, false) })))))
    : emptyState(t("no_due_actions")));
}

function renderReflections(list, local, reflections) {
  const cards = [...local.reverse().map(entryCard), ...((reflections && reflections.items) || []).map((r) => reflectionCard(r))];
  list.replaceChildren(
    cards.length ? h("ul", { class: "cards" }, cards.slice(0, 5)) : emptyState(reflections ? t("no_reflections") : t("offline_list")),
    !reflections && cards.length ? emptyState(t("offline_list")) : "");
}

// The team's screens; the weekly overview and the team settings only for whoever leads a team.
function teamLinks() {
  const lead = leadTeam();
  return h("nav", { class: "dev-links", "aria-label": t("team_nav") },
    lead ? h("a", { class: "more-link", href: "#/weekoverzicht" }, t("digest_title")) : null,
    lead ? h("a", { class: "more-link", href: "#/team" }, t("team_title")) : null,
    h("a", { class: "more-link", href: "#/meldingen" }, t("inbox_title")),
    h("a", { class: "more-link", href: "#/inwoners" }, t("residents_title")),
    h("a", { class: "more-link", href: "#/team/reflecties" }, t("shared_title")),
    // The beheerder's console: accounts across teams, audit log, retention bounds.
    session.me.teams.some((team) => team.role === "beheerder") ? h("a", { class: "more-link", href: "#/beheer" }, t("b_title")) : null);
}
