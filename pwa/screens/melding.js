// #/melding/<id>: where a push notification opens. The message itself carries no data, so the
// app asks the server what the notification is about and goes to the screen for it.
// #/meldingen: the inbox, so nothing is missed without push (contact requests with their visit).
import { api } from "../lib/api.js?v=__VERSION__";
import { formatDate, t } from "../lib/i18n.js?v=__VERSION__";
import { announce, h, problemText, screen } from "../lib/ui.js?v=__VERSION__";

function target(kind, ref) {
  switch (kind) {
    case "digest": return `#/weekoverzicht/${ref.team_id}/${ref.iso_week}`;
    case "theme-rising": return ref.iso_week ? `#/weekoverzicht/${ref.team_id}/${ref.iso_week}` : "#/weekoverzicht";
    case "nudge": return ref.visit_id ? `#/nieuw/bezoek/${ref.visit_id}` : "#/nieuw";
    case "action-due": return "#/acties";
    case "feedback-contact": return "#/inwoners";
    case "test": return "#/instellingen";
    case "team-note": return "#/";
    case "acknowledged": return "#/";
    default: return "#/";
  }
}

export async function notificationScreen(id) {
  const body = h("p", { class: "loading" }, t("loading"));
  const view = screen({ title: t("notification") }, body);
  try {
    const notification = await api(`/notifications/${id}`);
    // Opened from the push message: read. Not waited for (the screen it points at matters more).
    api(`/notifications/${id}`, { method: "PATCH", body: { read: true } }).catch(() => {});
    // replace: the back button returns to where the user was, not to this hop.
    location.replace(target(notification.kind, notification.ref || {}));
  } catch (error) {
    body.replaceChildren(h("p", { class: "empty" }, error.status === 404 ? t("notification_gone") : problemText(error)),
      h("a", { class: "button secondary", href: "#/" }, t("home")));
  }
  return view;
}

// "Over je telefoontje van di 1 dec · Mevr. met de kat": which of your own contacts it is about.
function visitLine(visit) {
  if (!visit) return null;
  const kind = t(`kind_${visit.kind}`);
  return h("p", { class: "meta inbox-visit" },
    t("inbox_about_visit", { kind, when: formatDate(visit.occurred_at) }),
    visit.note ? h("span", { class: "inbox-note" }, ` · ${t("inbox_your_note")}: “${visit.note}”`) : null);
}

function inboxItem(item, onOpen) {
  const unread = !item.read_at;
  const title = t(`inbox_kind_${item.kind}`) === `inbox_kind_${item.kind}` ? item.title : t(`inbox_kind_${item.kind}`);
  return h("li", { class: `card inbox-item${unread ? " unread" : ""}` },
    h("p", { class: "meta" }, unread ? h("strong", { class: "badge" }, t("inbox_new")) : null,
      unread ? " " : null, formatDate(item.created_at)),
    h("p", { class: "text" }, title),
    visitLine(item.visit),
    h("a", { class: "button secondary", href: target(item.kind, item.ref || {}), onclick: () => onOpen(item) },
      t(item.kind === "feedback-contact" ? "inbox_open_feedback" : "inbox_open")));
}

export function inboxScreen() {
  const list = h("div", {}, h("p", { class: "loading" }, t("loading")));
  const summary = h("p", { class: "meta", role: "status" });
  const allRead = h("button", { type: "button", class: "secondary", hidden: true }, t("inbox_all_read"));
  let items = [];
  let unread = 0;
  const draw = () => {
    summary.textContent = unread ? t("inbox_unread", { n: unread }) : t("inbox_all_seen");
    allRead.hidden = !unread;
    list.replaceChildren(items.length
      ? h("ul", { class: "cards" }, items.map((item) => inboxItem(item, () => item.read_at
        || api(`/notifications/${item.id}`, { method: "PATCH", body: { read: true } }).catch(() => {}))))
      : h("p", { class: "empty" }, t("inbox_empty")));
  };
  const show = (error) => { list.replaceChildren(h("p", { class: "empty" }, error.status === 0 ? t("offline_list") : problemText(error))); };
  // The newest 100; opening one marks it read (the link goes on without waiting).
  api("/notifications?page_size=100").then((body) => { ({ items, unread } = body); draw(); }, show);
  allRead.addEventListener("click", async () => {
    try {
      unread = (await api("/notifications/read", { method: "POST" })).unread;
      for (const item of items) item.read_at = item.read_at || "read";
      draw();
      announce(t("inbox_all_seen"));
    } catch (error) {
      show(error);
    }
  });
  return screen({ title: t("inbox_title") }, summary, allRead, list);
}
