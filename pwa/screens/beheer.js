// Beheer (beheerders only): accounts across teams, the audit log (read-only), the installation's
// retention bounds and the gemeenten (which teams each holds, inviting its beleidsmedewerkers). Office work, online: every change is a direct API call, audited by the server.
import { api, session } from "../lib/api.js?v=__VERSION__";
import { formatDate, t } from "../lib/i18n.js?v=__VERSION__";
import { emptyState, field, h, problemText, screen, showFieldErrors } from "../lib/ui.js?v=__VERSION__";

const TABS = [["gebruikers", "b_users"], ["auditlog", "b_audit"], ["bewaren", "b_retention"], ["gemeenten", "b_organisations"]];
const PAGE_SIZE = 20;
export function isBeheerder() {
  return Boolean(session.me && session.me.teams.some((team) => team.role === "beheerder"));
}

export async function beheerScreen(tab = "gebruikers") {
  if (!isBeheerder()) {
    location.replace("#/");
    return h("div");
  }
  const current = TABS.some(([name]) => name === tab) ? tab : "gebruikers";
  const nav = h("nav", { class: "tabs", "aria-label": t("b_title") },
    TABS.map(([name, key]) => h("a", { href: `#/beheer/${name}`, class: "more-link tab",
      "aria-current": name === current ? "page" : null }, t(key))));
  const body = h("div", { class: "beheer-body" });
  const view = screen({ title: t("b_title") }, nav, body);
  view.classList.add("beheer-wide");
  try {
    if (current === "gebruikers") await usersSection(body);
    else if (current === "auditlog") await auditSection(body);
    else if (current === "bewaren") await retentionSection(body);
    else await organisationsSection(body);
  } catch (error) {
    body.replaceChildren(emptyState(problemText(error)));
  }
  return view;
}

function select(name, options, value = "") {
  const el = h("select", { name }, options.map(([v, label]) => h("option", { value: String(v) }, label)));
  el.value = String(value);
  return el;
}

async function allTeams() {
  return (await api("/teams?page_size=100")).items;
}

// -- Gebruikers -----------------------------------------------------------------------------------

async function usersSection(body) {
  const teams = await allTeams();
  const search = h("input", { type: "search", name: "q", maxlength: "120", autocomplete: "off" });
  const team = select("team_id", [["", t("b_all_teams")], ...teams.map((x) => [x.id, x.name])]);
  const list = h("ul", { class: "cards", "aria-live": "polite" });
  const count = h("p", { class: "meta", role: "status" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("more"));
  let page = 1;
  const load = async (reset) => {
    page = reset ? 1 : page + 1;
    const query = new URLSearchParams({ page, page_size: PAGE_SIZE });
    if (search.value.trim()) query.set("q", search.value.trim());
    if (team.value) query.set("team_id", team.value);
    try {
      const answer = await api(`/admin/users?${query}`);
      if (reset) list.replaceChildren();
      list.append(...answer.items.map(userCard));
      count.textContent = t("b_users_n", { n: answer.total });
      more.hidden = page * PAGE_SIZE >= answer.total;
    } catch (error) {
      count.textContent = problemText(error);
    }
  };
  more.addEventListener("click", () => load(false));
  const filters = h("form", { class: "filters", role: "search", onsubmit: (event) => { event.preventDefault(); load(true); } },
    field({ label: t("b_search"), control: search }),
    field({ label: t("b_team"), control: team }),
    h("button", { type: "submit", class: "secondary" }, t("b_show")));
  team.addEventListener("change", () => load(true));
  body.replaceChildren(h("section", { "aria-labelledby": "b-users" },
    h("h2", { id: "b-users" }, t("b_users")), h("p", { class: "hint" }, t("b_users_hint")),
    filters, count, list, more));
  await load(true);
}

function factorText(user) {
  if (user.mfa_enrol_required) return t("b_factor_pending");
  return t(user.mfa_enabled ? "b_factor_on" : "b_factor_off");
}

// One account: its teams and roles, state, and the two actions (each asks to confirm first).
function userCard(user) {
  const status = h("p", { class: "hint", role: "status" });
  const actions = h("div", { class: "row" });
  const card = h("li", { class: "card b-user" });
  const render = () => {
    card.replaceChildren(
      h("p", { class: "text" }, h("strong", {}, user.display_name), " ",
        user.active ? null : h("span", { class: "badge off" }, t("b_inactive")),
        user.is_self ? h("span", { class: "meta" }, ` (${t("b_you")})`) : null),
      h("p", { class: "meta b-email" }, user.email),
      h("p", { class: "meta" }, user.teams.map((x) => `${x.name} · ${t(`role_${x.role}`)}`).join("; ")),
      h("p", { class: "meta" }, `${t("b_factor")}: ${factorText(user)}`),
      actions, status);
    actions.replaceChildren(...(user.is_self ? [] : [
      user.active
        ? confirmButton(t("b_deactivate"), t("b_deactivate_confirm", { name: user.display_name }),
          () => change({ method: "PATCH", body: { active: false } }, "b_deactivated"))
        : h("button", { type: "button", class: "secondary",
          onclick: () => change({ method: "PATCH", body: { active: true } }, "b_activated") }, t("b_activate")),
      user.mfa_enabled
        ? confirmButton(t("b_reset_factor"), t("b_reset_confirm", { name: user.display_name }),
          () => change({ method: "POST", path: "/second-factor-reset" }, "b_reset_done"))
        : null,
    ].filter(Boolean)));
  };
  const change = async ({ method, body, path = "" }, done) => {
    try {
      Object.assign(user, await api(`/admin/users/${user.id}${path}`, { method, body }));
      render();
      status.textContent = t(done, { name: user.display_name });
    } catch (error) {
      render();
      status.textContent = problemText(error);
    }
  };
  render();
  return card;
}

// A destructive action asks once more, in place (no browser dialog): what happens, then yes/cancel.
function confirmButton(label, question, action) {
  const holder = h("div", { class: "confirm" });
  const start = h("button", { type: "button", class: "secondary danger" }, label);
  const ask = () => {
    const yes = h("button", { type: "button", class: "primary danger", onclick: action }, t("b_confirm_yes"));
    holder.replaceChildren(h("div", { class: "panel", role: "group", "aria-label": label },
      h("p", {}, question),
      h("div", { class: "row" }, yes,
        h("button", { type: "button", class: "secondary", onclick: () => { holder.replaceChildren(start); start.focus(); } },
          t("b_confirm_no")))));
    yes.focus();
  };
  start.addEventListener("click", ask);
  holder.append(start);
  return holder;
}

// -- Auditlog -------------------------------------------------------------------------------------

async function auditSection(body) {
  const [teams, users] = await Promise.all([allTeams(), api("/admin/users?page_size=100")]);
  const person = select("person_id", [["", t("b_everyone")], ...users.items.map((u) => [u.id, `${u.display_name} (${u.email})`])]);
  const team = select("team_id", [["", t("b_all_teams")], ...teams.map((x) => [x.id, x.name])]);
  // The kinds and every row's words come from the server, in the user's language.
  const kind = select("object_type", [["", t("b_all_kinds")]]);
  const since = h("input", { type: "date", name: "since", min: "2000-01-01", max: "2100-12-31" });
  const until = h("input", { type: "date", name: "until", min: "2000-01-01", max: "2100-12-31" });
  const list = h("ol", { class: "cards audit-rows" });
  const status = h("p", { class: "meta", role: "status" });
  const previous = h("button", { type: "button", class: "secondary" }, t("b_previous"));
  const next = h("button", { type: "button", class: "secondary" }, t("b_next"));
  let page = 1;
  const form = h("form", { class: "filters", novalidate: true, onsubmit: (event) => { event.preventDefault(); load(1); } },
    field({ label: t("b_person"), control: person, hint: t("b_person_hint") }),
    field({ label: t("b_team"), control: team }),
    field({ label: t("b_kind"), control: kind }),
    h("div", { class: "setting-row" },
      field({ label: t("b_since"), control: since, name: "since" }),
      field({ label: t("b_until"), control: until, name: "until" })),
    h("button", { type: "submit", class: "secondary" }, t("b_show")));
  const load = async (wanted) => {
    const query = new URLSearchParams({ page: wanted, page_size: PAGE_SIZE });
    for (const control of [person, team, kind, since, until]) if (control.value) query.set(control.name, control.value);
    try {
      const answer = await api(`/audit?${query}`);
      showFieldErrors(form, {});
      if (kind.options.length === 1) kind.append(...answer.kinds.map((k) => h("option", { value: k.id }, k.label)));
      page = wanted;
      const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
      list.replaceChildren(...answer.items.map(auditRow));
      status.textContent = answer.total ? t(answer.total === 1 ? "b_page_one" : "b_page", { page, pages, n: answer.total }) : t("b_no_rows");
      previous.disabled = page <= 1;
      next.disabled = page >= pages;
    } catch (error) {
      if (!showFieldErrors(form, error.problem)) status.textContent = problemText(error);
    }
  };
  previous.addEventListener("click", () => load(page - 1));
  next.addEventListener("click", () => load(page + 1));
  body.replaceChildren(h("section", { "aria-labelledby": "b-audit" },
    h("h2", { id: "b-audit" }, t("b_audit")), h("p", { class: "hint" }, t("b_audit_hint")),
    form, status, list, h("div", { class: "row pager" }, previous, next)));
  await load(1);
}

function auditRow(row) {
  const who = row.actor_name || (row.actor_id ? t("b_erased") : t("b_system"));
  const about = row.subject_user_id ? (row.subject_name || t("b_erased")) : null;
  return h("li", { class: `card audit-row${row.result === "denied" ? " denied" : ""}` },
    h("p", { class: "text" }, h("strong", {}, row.action_label),
      row.result === "denied" ? h("span", { class: "badge off" }, t("b_denied")) : null),
    h("p", { class: "meta" }, h("time", { datetime: row.at }, formatDate(row.at)), ` · ${who}`),
    h("p", { class: "meta" }, [`${t("b_kind")}: ${row.object_label}`, about ? `${t("b_about")}: ${about}` : null,
      row.team_name ? `${t("b_team")}: ${row.team_name}` : null].filter(Boolean).join(" · ")),
    row.reason ? h("p", { class: "meta b-reason" }, row.reason) : null);
}

// -- Bewaren ----------------------------------------------------------------------------------------

async function retentionSection(body) {
  const data = await api("/admin/retention");
  const inputs = {};
  const groups = [["raw_text_days", "b_raw_text", "b_days"], ["retention_months", "b_retention_months", "b_months"]].map(([name, legend, unit]) => {
    const max = data.ceiling[name];
    return h("fieldset", {}, h("legend", {}, t(legend)), h("p", { class: "hint" }, t("b_ceiling", { max, unit: t(unit) })),
      h("div", { class: "setting-row" }, ["min", "max"].map((end) => {
        const key = `${name}_${end}`;
        inputs[key] = h("input", { type: "number", name: key, min: 1, max, value: data[key], inputmode: "numeric" });
        return field({ label: `${t(`b_${end}`)} (${t(unit)})`, control: inputs[key], name: key });
      })));
  });
  const status = h("p", { class: "hint", role: "status" });
  const table = h("div");
  const showTeams = (teams) => table.replaceChildren(teamsTable(teams));
  const form = h("form", { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    status.textContent = "";
    try {
      const answer = await api("/admin/retention", { method: "PUT",
        body: Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, Number(input.value)])) });
      showFieldErrors(form, {});
      showTeams(answer.teams);
      const moved = answer.changed_teams.map((x) => x.name).join(", ");
      status.textContent = moved ? t("b_saved_moved", { teams: moved }) : t("saved_ok");
    } catch (error) {
      if (!showFieldErrors(form, error.problem)) status.textContent = problemText(error);
    }
  } },
  groups,
  h("p", { class: "hint" }, t("b_bounds_effect")),
  h("button", { type: "submit", class: "primary" }, t("save_settings")), status);
  showTeams(data.teams);
  body.replaceChildren(h("section", { "aria-labelledby": "b-retention" },
    h("h2", { id: "b-retention" }, t("b_retention")), h("p", { class: "hint" }, t("b_retention_hint")), form),
  h("section", { "aria-labelledby": "b-teams" }, h("h2", { id: "b-teams" }, t("b_team_settings")), table));
}

function teamsTable(teams) {
  if (!teams.length) return emptyState(t("b_no_teams"));
  return h("table", { class: "b-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("b_team")),
      h("th", { scope: "col" }, t("b_col_raw")), h("th", { scope: "col" }, t("b_col_months")))),
    h("tbody", {}, teams.map((x) => h("tr", {}, h("th", { scope: "row" }, x.name),
      h("td", {}, String(x.raw_text_days)), h("td", {}, String(x.retention_months))))));
}

// -- Gemeenten ----------------------------------------------------------------------------------------

async function organisationsSection(body) {
  const [organisations, teams] = await Promise.all([api("/organisations"), allTeams()]);
  const list = h("ul", { class: "cards" }, organisations.map((o) => organisationCard(o)));
  const empty = organisations.length ? h("span") : emptyState(t("b_no_orgs"));
  const name = h("input", { type: "text", name: "name", maxlength: "200", autocomplete: "off" });
  const status = h("p", { class: "hint", role: "status" });
  const form = h("form", { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    status.textContent = "";
    const team_ids = [...form.querySelectorAll("input[name=team_ids]:checked")].map((box) => box.value);
    try {
      const created = await api("/organisations", { method: "POST", body: { name: name.value.trim(), team_ids } });
      showFieldErrors(form, {});
      empty.remove();
      list.append(organisationCard(created));
      form.reset();
      status.textContent = t("b_org_created", { name: created.name });
    } catch (error) {
      if (!showFieldErrors(form, error.problem)) status.textContent = problemText(error);
    }
  } },
  field({ label: t("b_org_name"), control: name, name: "name" }),
  h("fieldset", {}, h("legend", {}, t("b_org_teams")),
    teams.map((x) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "team_ids", value: x.id }), ` ${x.name}`))),
  h("button", { type: "submit", class: "secondary" }, t("b_org_create")), status);
  body.replaceChildren(h("section", { "aria-labelledby": "b-orgs" },
    h("h2", { id: "b-orgs" }, t("b_organisations")), h("p", { class: "hint" }, t("b_org_hint")),
    empty, list),
  h("section", { "aria-labelledby": "b-org-new" }, h("h2", { id: "b-org-new" }, t("b_org_new")), form));
}

// A gemeente: its teams, and an invitation for a beleidsmedewerker whose link the beheerder passes on
// (shown once: the server keeps only its hash).
function organisationCard(organisation) {
  const email = h("input", { type: "email", name: "email", maxlength: "254", autocomplete: "off" });
  const link = h("div");
  const status = h("p", { class: "hint", role: "status" });
  const form = h("form", { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    status.textContent = "";
    try {
      const answer = await api(`/organisations/${organisation.id}/invitations`, { method: "POST", body: { email: email.value.trim() } });
      showFieldErrors(form, {});
      link.replaceChildren(h("div", { class: "panel" }, h("p", {}, t("b_org_invite_link", { email: answer.email })),
        h("p", { class: "readable-link" }, answer.invite_url)));
      form.reset();
    } catch (error) {
      if (!showFieldErrors(form, error.problem)) status.textContent = problemText(error);
    }
  } },
  field({ label: t("b_org_invite_email"), control: email, name: "email" }),
  h("button", { type: "submit", class: "secondary" }, t("b_org_invite")), status);
  const teams = organisation.teams.map((x) => x.name).join(", ");
  return h("li", { class: "card b-org" },
    h("p", { class: "text" }, h("strong", {}, organisation.name)),
    h("p", { class: "meta" }, teams ? `${t("b_org_teams")}: ${teams}` : t("b_org_no_teams")),
    h("p", { class: "meta" }, t("b_org_k", { k: organisation.k_threshold })),
    form, link);
}
