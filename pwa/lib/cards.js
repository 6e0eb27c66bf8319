// Reflection cards with their sync state (the start screen and the lists).
import { myTeams } from "./api.js?v=__VERSION__";
import { formatDate, t } from "./i18n.js?v=__VERSION__";
import { remove, retry } from "./outbox.js?v=__VERSION__";
import { h } from "./ui.js?v=__VERSION__";

function excerpt(text, length = 140) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function syncState(kind, text) {
  return h("p", { class: `sync sync-${kind}` }, text);
}

// A reflection the server has: always "Verzonden ✓".
export function reflectionCard(item, { full = false } = {}) {
  return h("li", { class: "card" },
    h("p", { class: "meta" }, formatDate(item.occurred_at), " · ",
      t(item.visibility === "team" ? "visibility_team" : "visibility_private")),
    h("p", { class: "text" }, full ? item.what_happened : excerpt(item.what_happened)),
    full && item.next_time ? h("p", { class: "text next" }, "→ ", item.next_time) : null,
    item.themes && item.themes.length
      ? h("ul", { class: "tags", "aria-label": t("themes") }, item.themes.map((theme) => h("li", {}, theme.label)))
      : null,
    syncState("sent", t("state_sent")),
    item.safety_signal ? h("a", { class: "button secondary", href: `#/meldcode/${item.id}` }, t("show_meldcode")) : null);
}

// A write still on the phone: waiting for a connection, or refused by the server (with what now).
export function entryCard(entry) {
  const body = entry.body;
  const failed = entry.state === "failed";
  // Someone in several teams sees which team a waiting write goes to (the one it was made for).
  const team = body.team_id && myTeams().length > 1 && myTeams().find((item) => item.id === body.team_id);
  return h("li", { class: `card ${failed ? "card-failed" : ""}` },
    h("p", { class: "meta" }, formatDate(body.occurred_at || entry.created_at), team ? ` · ${t("for_team", { name: team.name })}` : ""),
    h("p", { class: "text" }, excerpt(body.what_happened || entry.title || "")),
    failed ? syncState("failed", t("state_failed")) : syncState("pending", t("state_pending")),
    failed ? h("p", { class: "hint" }, t("failed_help", { detail: entry.problem.detail }), " ", t("failed_fix_help")) : null,
    failed ? h("div", { class: "row" },
      entry.kind === "reflection" ? h("a", { class: "button secondary", href: `#/nieuw/${entry.key}` }, t("fix")) : null,
      h("button", { type: "button", class: "secondary", onclick: () => retry(entry.key) }, t("retry")),
      h("button", { type: "button", class: "secondary danger", onclick: () => remove(entry.key) }, t("remove"))) : null);
}
