// Mijn reflecties (paginated, with what is still on the phone on top) and Mijn acties.
import { api, events, serverNow } from "../lib/api.js?v=__VERSION__";
import { entryCard, reflectionCard } from "../lib/cards.js?v=__VERSION__";
import { formatDate, language, t } from "../lib/i18n.js?v=__VERSION__";
import { enqueue, entries } from "../lib/outbox.js?v=__VERSION__";
import { debounce, emptyState, h, onLeave, screen } from "../lib/ui.js?v=__VERSION__";

const PAGE_SIZE = 20;

export function reflectionsScreen() {
  const localList = h("ul", { class: "cards" });
  const serverList = h("ul", { class: "cards" });
  const status = h("div");
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("more"));
  let page = 0;

  const loadPage = async () => {
    more.disabled = true;
    try {
      const answer = await api(`/reflections?page=${page + 1}&page_size=${PAGE_SIZE}`);
      page = answer.page;
      serverList.append(...answer.items.map((item) => reflectionCard(item, { full: true })));
      more.hidden = answer.page * answer.page_size >= answer.total;
      status.replaceChildren(answer.total === 0 && !localList.children.length ? emptyState(t("no_reflections")) : "");
    } catch (error) {
      status.replaceChildren(emptyState(error.status === 0 ? t("offline_list") : t("error_generic")));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener("click", loadPage);

  const showLocal = async () => {
    const local = (await entries()).filter((e) => e.kind === "reflection").reverse();
    localList.replaceChildren(...local.map(entryCard));
  };
  // When something on the phone is sent, it moves from the local list to the server's.
  const refresh = debounce(async () => {
    await showLocal();
    page = 0;
    serverList.replaceChildren();
    await loadPage();
  }, 300);
  events.addEventListener("outbox", refresh);
  onLeave(() => events.removeEventListener("outbox", refresh));
  showLocal().then(loadPage);

  return screen({ title: t("my_reflections"), bottom: h("a", { class: "button primary big", href: "#/nieuw" }, t("new_reflection")) },
    localList, serverList, status, more);
}

// "Heeft het geholpen?": the action's theme before and after, 4 to 6 weeks after its due week.
function effectButton(action) {
  const out = h("div", { class: "effect-owner", role: "status" });
  const locale = language() === "en" ? "en-GB" : "nl-NL";
  const cell = (c) => (c.suppressed ? t("development.suppressed") : c.of !== undefined
    ? t("effect_share", { share: c.value.toLocaleString(locale, { style: "percent" }), count: c.count, of: c.of })
    : t("effect_score", { score: c.value.toLocaleString(locale, { maximumFractionDigits: 2 }), n: c.count }));
  const show = async () => {
    try {
      const card = await api(`/actions/${action.id}/effect`);
      const row = (label, key) => h("li", {}, h("strong", {}, `${label}: `),
        t("effect_before_after", { before: cell(card.before[key]), after: cell(card.after[key]) }));
      out.replaceChildren(h("ul", { class: "plain" }, row(t("effect_theme_share"), "theme_share"),
        row(t("effect_panic_share"), "panic_share"), row(t("effect_resident_score"), "resident_score")),
      h("p", { class: "hint" }, card.caution));
    } catch (error) {
      out.replaceChildren(h("p", { class: "hint" }, (error.problem && error.problem.detail) || t("error_generic")));
    }
  };
  return [h("button", { type: "button", class: "secondary", onclick: show }, t("effect_open")), out];
}

export function actionsScreen() {
  const localList = h("ul", { class: "cards" });
  const list = h("ul", { class: "cards" });
  const status = h("div");
  const today = serverNow().toISOString().slice(0, 10);

  const setStatus = async (action, value) => {
    // A status change is a write like any other: through the outbox, so it survives a dead zone.
    action.status = value;
    await enqueue("action", "PATCH", `/api/v1/actions/${action.id}`, { status: value }, { title: action.title });
    render(current);
  };
  // Status changes still on the phone, or refused by the server.
  const showLocal = async () => {
    const local = (await entries()).filter((e) => e.kind === "action");
    localList.replaceChildren(...local.map(entryCard));
  };
  events.addEventListener("outbox", showLocal);
  onLeave(() => events.removeEventListener("outbox", showLocal));
  showLocal();

  let current = [];
  const render = (items) => {
    current = items;
    const order = { open: 0, blocked: 0, done: 1, dropped: 2 };
    const sorted = [...items].sort((a, b) => order[a.status] - order[b.status] || String(a.due || "9").localeCompare(String(b.due || "9")));
    list.replaceChildren(...sorted.map((action) => h("li", { class: `card action-${action.status}` },
      h("p", { class: "text" }, action.title),
      h("p", { class: "meta" },
        action.due ? t("due_on", { date: formatDate(action.due, false) }) : "",
        action.status === "open" && action.due && action.due < today ? h("strong", { class: "overdue" }, ` · ${t("overdue")}`) : "",
        action.status !== "open" ? ` · ${t(`status_${action.status}`)}` : ""),
      action.status === "open"
        ? h("button", { type: "button", class: "secondary", onclick: () => setStatus(action, "done") }, t("mark_done"))
        : h("button", { type: "button", class: "secondary", onclick: () => setStatus(action, "open") }, t("reopen")),
      action.theme_id ? effectButton(action) : null)));
    status.replaceChildren(items.length ? "" : emptyState(t("no_actions")));
  };

  api("/actions?mine=true&page_size=100")
    .then((answer) => render(answer.items))
    .catch((error) => status.replaceChildren(emptyState(error.status === 0 ? t("offline_list") : t("error_generic"))));

  return screen({ title: t("my_actions") }, localList, list, status);
}
