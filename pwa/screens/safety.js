// The meldcode steps for one reflection, opened from its card or the start screen's reminder.
import { t } from "../lib/i18n.js?v=__VERSION__";
import { acknowledgeSafety, safetyPanel } from "../lib/safety.js?v=__VERSION__";
import { h, screen } from "../lib/ui.js?v=__VERSION__";

export function safetyScreen(reflectionId) {
  acknowledgeSafety(reflectionId);
  return screen({ title: t("show_meldcode"), bottom: h("a", { class: "button primary", href: "#/" }, t("to_home")) },
    safetyPanel());
}
