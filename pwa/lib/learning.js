// The learning area (Mijn ontwikkeling, teamvragen, leeragenda; screens/learning.js) as other screens
// see it: who leads a team, and the start screen's links into it.
import { currentTeam } from "./api.js?v=__VERSION__";
import { t } from "./i18n.js?v=__VERSION__";
import { h } from "./ui.js?v=__VERSION__";

// The roles that lead a team (leeragenda, weekoverzicht, team settings).
export const LEADS = ["teamleider", "beheerder"];

// The team the user leads (the one picked, when they lead several), or undefined.
export function leadTeam() {
  return currentTeam(LEADS) || undefined;
}

// Links into these screens, for the start screen.
export function learningLinks() {
  const lead = leadTeam();
  return h("nav", { class: "dev-links", "aria-label": t("development.development") },
    h("a", { class: "more-link", href: "#/ontwikkeling" }, t("development.development")),
    h("a", { class: "more-link", href: "#/teamvragen" }, t("development.team_questions")),
    h("a", { class: "more-link", href: "#/intervisie" }, "Intervisie"),
    h("a", { class: "more-link", href: "#/portfolio" }, "Mijn portfolio"),
    lead ? h("a", { class: "more-link", href: "#/leeragenda" }, t("development.agenda")) : null);
}
