// #/melding/<id>: where a push notification opens. The message itself carries no data, so the
// app asks the server what the notification is about and goes to the screen for it.
import { api } from "../api.js?v=__VERSION__";
import { t } from "../i18n.js?v=__VERSION__";
import { h, screen } from "../ui.js?v=__VERSION__";
import { problemText } from "./digest.js?v=__VERSION__";

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
    // replace: the back button returns to where the user was, not to this hop.
    location.replace(target(notification.kind, notification.ref || {}));
  } catch (error) {
    body.replaceChildren(h("p", { class: "empty" }, error.status === 404 ? t("notification_gone") : problemText(error)),
      h("a", { class: "button secondary", href: "#/" }, t("home")));
  }
  return view;
}
