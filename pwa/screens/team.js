// Team (teamleiders, beheerders): settings, members and invitations, and the team's themes with
// their aandachtsfunctionarissen. Every change is a direct API call: this is office work, online.
import { api, userId } from "../lib/api.js?v=__VERSION__";
import { language, t } from "../lib/i18n.js?v=__VERSION__";
import { LEADS, leadTeam } from "../lib/learning.js?v=__VERSION__";
import { teamPicker } from "../lib/teampicker.js?v=__VERSION__";
import { emptyState, field, h, problemText, screen, showFieldErrors, uid } from "../lib/ui.js?v=__VERSION__";

const WMO_ITEMS = ["serieus", "samen_oplossingen", "past_bij_vraag", "weet_waar_terecht", "kwaliteit_leven"];
const ROLES = ["medewerker", "teamleider", "beheerder"];
const NUMBERS = [["k_threshold", 2, 20], ["feedback_link_days", 1, 90], ["raw_text_days", 1, 365], ["retention_months", 1, 120]];

// A form that sends itself and shows the server's field errors next to the fields.
function apiForm(send, ...children) {
  const status = h("p", { class: "hint", role: "status" });
  // novalidate: the server's Dutch messages appear next to the fields, as everywhere in the app.
  const form = h("form", { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    status.textContent = "";
    try {
      status.textContent = (await send()) || t("saved_ok");
      showFieldErrors(form, {});
    } catch (error) {
      if (!showFieldErrors(form, error.problem)) status.textContent = problemText(error);
    }
  } }, children, status);
  return form;
}

function select(name, options, value) {
  const el = h("select", { name }, options.map(([v, label]) => h("option", { value: String(v) }, label)));
  el.value = String(value);
  return el;
}

function checks(legend, name, options, chosen) {
  return h("fieldset", { class: "checks" }, h("legend", {}, legend),
    options.map(([value, label]) => h("label", { class: "check" },
      h("input", { type: "checkbox", name, value, checked: chosen.includes(value) }), label)),
    h("p", { class: "error", hidden: true, "data-error-for": name }));
}

const checked = (root, name) => [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => el.value);

export async function teamScreen() {
  const team = leadTeam();
  if (!team) {
    location.replace("#/");
    return h("div");
  }
  const body = h("div", { class: "team-body" });
  const picker = teamPicker({ roles: LEADS });
  const view = screen({ title: t("team_title") }, picker || h("p", { class: "meta" }, team.name), body);
  view.classList.add("team-wide");
  try {
    const [settings, members, themes] = await Promise.all([
      api(`/teams/${team.id}`), api(`/teams/${team.id}/members?page_size=100`), api(`/teams/${team.id}/themes`)]);
    body.replaceChildren(settingsForm(team.id, settings), membersSection(team.id, members.items),
      themesSection(team.id, themes.items.filter((theme) => theme.group !== "ervaring"), members.items));
  } catch (error) {
    body.replaceChildren(emptyState(problemText(error)));
  }
  return view;
}

// -- Instellingen ------------------------------------------------------------------------------------

function settingsForm(teamId, s) {
  const locale = language() === "en" ? "en-GB" : "nl-NL";
  const days = [0, 1, 2, 3, 4, 5, 6].map((d) => [d, new Date(Date.UTC(2024, 0, 1 + d)).toLocaleDateString(locale, { weekday: "long", timeZone: "UTC" })]);
  const weekday = select("digest_weekday", days, s.digest_weekday);
  const hour = select("digest_hour", [...Array(24).keys()].map((n) => [n, `${String(n).padStart(2, "0")}:00`]), s.digest_hour);
  const zones = Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : [s.timezone];
  // The team's own zone and Europe/Amsterdam first: nobody scrolls past Africa/Abidjan for them.
  const first = [...new Set([s.timezone, "Europe/Amsterdam"])];
  const timezone = select("timezone", [...first, ...zones.filter((z) => !first.includes(z))].map((z) => [z, z]), s.timezone);
  // Retention stays within the bounds the beheerder set for the installation (Beheer → Bewaren).
  const bounds = s.retention_bounds || {};
  const numbers = NUMBERS.map(([name, min, max]) => {
    const [low, high] = bounds[name] || [min, max];
    return [name, h("input", { type: "number", name, min: low, max: high, value: s[name], inputmode: "numeric" })];
  });
  const contact = h("input", { type: "text", name: "contact_route", maxlength: "300", value: s.contact_route || "" });
  const themesForMembers = h("input", { type: "checkbox", role: "switch", checked: s.members_see_themes });
  const wmo = checks(t("t_wmo_items"), "wmo_items", WMO_ITEMS.map((item) => [item, t(`wmo_${item}`)]), s.wmo_items);
  const variant = select("feedback_variant", [["wmo", t("variant_wmo")], ["jeugd", t("variant_jeugd")]], s.feedback_variant || "wmo");
  const form = apiForm(() => api(`/teams/${teamId}`, { method: "PATCH", body: {
    digest_weekday: Number(weekday.value), digest_hour: Number(hour.value), timezone: timezone.value,
    ...Object.fromEntries(numbers.map(([name, input]) => [name, Number(input.value)])),
    wmo_items: checked(form, "wmo_items"), contact_route: contact.value.trim() || null,
    members_see_themes: themesForMembers.checked, feedback_variant: variant.value } }).then(() => null),
  h("h2", {}, t("t_settings")),
  h("div", { class: "setting-row" },
    field({ label: t("t_digest_day"), control: weekday, name: "digest_weekday" }),
    field({ label: t("t_digest_hour"), control: hour, name: "digest_hour" })),
  field({ label: t("t_timezone"), control: timezone, name: "timezone" }),
  numbers.map(([name, input]) => field({ label: t(`t_${name}`), control: input, hint: t(`t_${name}_hint`), name })),
  wmo,
  field({ label: t("t_feedback_variant"), control: variant, hint: t("t_feedback_variant_hint"), name: "feedback_variant" }),
  field({ label: t("t_contact_route"), control: contact, hint: t("t_contact_route_hint"), optional: true, name: "contact_route" }),
  h("label", { class: "switch" }, themesForMembers, h("span", {}, t("t_members_see_themes"))),
  h("button", { type: "submit", class: "primary" }, t("save_settings")));
  return form;
}

// -- Leden en uitnodigingen --------------------------------------------------------------------------

function memberCard(teamId, member) {
  const status = h("p", { class: "hint", role: "status" });
  const patch = async (body) => {
    try {
      Object.assign(member, await api(`/teams/${teamId}/members/${member.id}`, { method: "PATCH", body }));
      status.textContent = t("saved_ok");
    } catch (error) {
      status.textContent = problemText(error);
    }
    role.value = member.role;
    active.textContent = t(member.active ? "t_deactivate" : "t_activate");
    state.textContent = member.active ? "" : t("t_inactive");
  };
  const role = select("role", ROLES.map((r) => [r, t(`role_${r}`)]), member.role);
  role.addEventListener("change", () => patch({ role: role.value }));
  const active = h("button", { type: "button", class: "secondary danger", onclick: () => patch({ active: !member.active }) },
    t(member.active ? "t_deactivate" : "t_activate"));
  const state = h("span", { class: "suppressed" }, member.active ? "" : t("t_inactive"));
  const self = member.id === userId();
  return h("li", { class: "card" },
    h("p", { class: "text" }, h("strong", {}, member.display_name), " ", state),
    h("p", { class: "meta" }, member.email),
    self ? h("p", { class: "meta" }, t(`role_${member.role}`)) : [field({ label: t("t_role"), control: role }), active],
    status);
}

function membersSection(teamId, members) {
  const email = h("input", { type: "email", name: "email", autocomplete: "off" });
  const role = select("role", ROLES.map((r) => [r, t(`role_${r}`)]), "medewerker");
  const link = h("div");
  const invite = apiForm(async () => {
    const answer = await api(`/teams/${teamId}/invitations`, { method: "POST", body: { email: email.value.trim(), role: role.value } });
    // Without e-mail on the server, the teamleider passes the link on (once: it is not stored).
    link.replaceChildren(answer.invite_url
      ? h("div", { class: "panel" }, h("p", {}, t("t_invite_link", { email: answer.email })),
        h("p", { class: "readable-link" }, answer.invite_url))
      : "");
    email.value = "";
    return t(answer.emailed ? "t_invite_sent" : "t_invite_made");
  },
  h("h3", {}, t("t_invite")),
  field({ label: t("email"), control: email, name: "email" }),
  field({ label: t("t_role"), control: role, name: "role" }),
  h("button", { type: "submit", class: "secondary" }, t("t_invite_button")), link);
  return h("section", { "aria-labelledby": "t-members" }, h("h2", { id: "t-members" }, t("t_members")),
    h("ul", { class: "cards" }, members.map((member) => memberCard(teamId, member))), invite);
}

// -- Thema's en aandachtsfunctionarissen ---------------------------------------------------------------------

function themeEditor(teamId, theme, members, onCreated) {
  const own = !theme || theme.group === "team";
  const label = h("input", { type: "text", name: "label", maxlength: "120", value: theme ? theme.label : "" });
  const keywords = h("input", { type: "text", name: "keywords", value: theme ? theme.keywords.join(", ") : "" });
  const keepers = checks(t("t_keepers"), "keeper_ids", members.filter((m) => m.active).map((m) => [m.id, m.display_name]),
    theme ? theme.keepers.map((k) => k.id) : []);
  const summary = h("span", { class: "meta" });
  const showKeepers = () => {
    summary.textContent = theme && theme.keepers.length ? ` · ${theme.keepers.map((k) => k.display_name).join(", ")}` : "";
  };
  showKeepers();
  const form = apiForm(async () => {
    const body = { keeper_ids: checked(form, "keeper_ids") };
    if (own) Object.assign(body, { label: label.value.trim(), keywords: keywords.value.split(",").map((k) => k.trim()).filter(Boolean) });
    if (!theme) {
      onCreated(await api(`/teams/${teamId}/themes`, { method: "POST", body }));
      return null;
    }
    Object.assign(theme, await api(`/teams/${teamId}/themes/${encodeURIComponent(theme.id)}`, { method: "PATCH", body }));
    showKeepers();
    return null;
  },
  own ? field({ label: t("t_theme_label"), control: label, name: "label" }) : null,
  own ? field({ label: t("t_keywords"), control: keywords, hint: t("t_keywords_hint"), name: "keywords" }) : null,
  keepers,
  h("button", { type: "submit", class: "secondary" }, theme ? t("save") : t("t_add_theme")));
  return h("details", { class: "card" }, h("summary", { id: uid("theme") }, h("strong", {}, theme ? theme.label : t("t_new_theme")), summary), form);
}

function themesSection(teamId, themes, members) {
  const own = h("div", { class: "cards" });
  const add = () => themeEditor(teamId, null, members, (created) => {
    own.append(themeEditor(teamId, created, members));
    newTheme.replaceWith(newTheme = add());
  });
  let newTheme = add();
  own.append(...themes.filter((theme) => theme.group === "team").map((theme) => themeEditor(teamId, theme, members)));
  return h("section", { "aria-labelledby": "t-themes" }, h("h2", { id: "t-themes" }, t("t_themes")),
    h("p", { class: "hint" }, t("t_themes_hint")),
    h("h3", {}, t("t_team_themes")), own, newTheme,
    h("h3", {}, t("t_taxonomy")),
    h("div", { class: "cards" }, themes.filter((theme) => theme.group !== "team").map((theme) => themeEditor(teamId, theme, members))));
}
