// The meldcode panel (a calm panel, not an alarm): the five meldcode steps and who in the team to consult.
import { api, currentTeam, myTeams, userKey } from "./api.js?v=__VERSION__";
import { t } from "./i18n.js?v=__VERSION__";
import { h } from "./ui.js?v=__VERSION__";

const store = self.leerlusStore;
const SAFETY_THEME = "huiselijk-geweld";

// The theme list (with its aandachtsfunctionarissen) from the server, or the copy on the device.
// Someone in several teams gets the list of the team given (team themes and keepers differ per team).
export async function themeList(teamId = null) {
  const several = myTeams().length > 1;
  const team = several ? (teamId || (currentTeam() && currentTeam().id)) : null;
  const key = userKey(team ? `themes:${team}` : "themes");
  try {
    const themes = await api(team ? `/teams/${team}/themes` : "/themes");
    await store.put("kv", { key, items: themes.items });
    return themes.items;
  } catch (error) {
    const saved = await store.get("kv", key);
    return saved ? saved.items : [];
  }
}

export function safetyPanel(teamId = null) {
  const keeper = h("p", {});
  themeList(teamId).then((items) => {
    const theme = items.find((item) => item.id === SAFETY_THEME);
    const names = ((theme && theme.keepers) || []).map((k) => k.display_name);
    keeper.textContent = names.length ? t("safety_keeper", { names: names.join(", ") }) : t("safety_no_keeper");
  });
  return h("section", { class: "panel calm", "aria-labelledby": "safety-title" },
    h("h2", { id: "safety-title" }, t("safety_title")),
    h("p", {}, t("safety_intro")),
    h("ol", { class: "steps" }, [1, 2, 3, 4, 5].map((n) => h("li", {}, t(`meldcode_${n}`)))),
    keeper,
    h("a", { class: "button secondary", href: "tel:08002000" }, t("call_vt")));
}

// Once the steps were on screen, the reminder on the start screen has done its job.
export async function acknowledgeSafety(reflectionId) {
  const open = await store.get("kv", userKey("safety"));
  if (!open) return;
  open.ids = open.ids.filter((id) => id !== reflectionId);
  await store.put("kv", open);
}
