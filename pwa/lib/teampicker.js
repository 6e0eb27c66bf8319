// "Team": for someone in more than one team, which team a screen shows and a write goes to.
// The choice is kept on the device (api.js: chooseTeam); with one team nothing is shown at all.
import { chooseTeam, currentTeam, myTeams } from "./api.js?v=__VERSION__";
import { t } from "./i18n.js?v=__VERSION__";
import { field, h } from "./ui.js?v=__VERSION__";

// The router renders the current route again, now for the picked team.
function rerender() {
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

// roles: only teams where the user has one of these roles (e.g. the ones they lead).
// value: the team shown (a form keeps its own); onchange(teamId): default renders the screen again.
// The field carries data-error-for="team_id", so the API's 422 about the team appears right here.
export function teamPicker({ roles = null, value = null, hint = null, onchange = rerender } = {}) {
  const teams = myTeams(roles);
  if (teams.length < 2) return null;
  const select = h("select", { name: "team_id" }, teams.map((team) => h("option", { value: team.id }, team.name)));
  select.value = teams.some((team) => team.id === value) ? value : currentTeam(roles).id;
  select.addEventListener("change", () => {
    chooseTeam(select.value);
    onchange(select.value);
  });
  return h("div", { class: "team-pick no-print" }, field({ label: t("team_label"), control: select, hint, name: "team_id" }));
}
