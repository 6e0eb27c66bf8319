// Weekoverzicht: the team's weekly digest, ordered like a bordsessie, readable on a phone and
// printable on A4. The server already applied the k threshold: suppressed cells are shown as
// their reason, never as a number, and nothing is computed from them here.
import { api, currentTeam, myTeams, serverNow, session } from "../api.js?v=__VERSION__";
import { formatDate, formatWeek, language, t, themeName, tOr } from "../i18n.js?v=__VERSION__";
import { h, onLeave, screen } from "../ui.js?v=__VERSION__";
import { emptyState } from "./common.js?v=__VERSION__";
import { LEADS, svg } from "./development.js?v=__VERSION__";
import { teamPicker } from "./teampicker.js?v=__VERSION__";

const POLL_MS = 2000;
const POLL_TRIES = 90;
const ARROWS = { up: "↑", down: "↓", steady: "→" };

// Whose weekly overviews to show: the teams the user leads, or else all their teams (medewerkers
// may see themes); the picked one among them.
function digestRoles() {
  return myTeams(LEADS).length ? LEADS : null;
}

export function digestTeam() {
  return currentTeam(digestRoles());
}

function isLead(teamId) {
  return (session.me.teams || []).some((team) => team.id === teamId && LEADS.includes(team.role));
}

export function problemText(error) {
  return error.status === 0 ? t("needs_network") : (error.problem && error.problem.detail) || t("error_generic");
}

// -- ISO weeks (dates only; the server decides in the team's time zone) ----------------------------

function weekOf(date) {
  const d = new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday decides the year
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d - start) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

export function lastWeek() {
  return weekOf(new Date(serverNow().getTime() - 7 * 86400000));
}

// "week 47 · 16–22 nov."
export function weekName(isoWeek) {
  return formatWeek(isoWeek);
}

// -- List of weeks -------------------------------------------------------------------------------

export async function digestListScreen() {
  const team = digestTeam();
  const body = h("div");
  const view = screen({ title: t("digest_title") }, teamPicker({ roles: digestRoles() }), body);
  if (!team) {
    body.replaceChildren(emptyState(t("digest_forbidden")));
    return view;
  }
  try {
    const page = await api(`/teams/${team.id}/digests?page_size=20`);
    const previous = lastWeek();
    const items = page.items.map((item) => h("li", {},
      h("a", { class: "card week-link", href: `#/weekoverzicht/${team.id}/${item.iso_week}` },
        h("span", { class: "text" }, weekName(item.iso_week)),
        h("span", { class: "meta" }, item.status === "built" ? t("digest_built", { when: formatDate(item.built_at) }) : t("digest_queued")))));
    body.replaceChildren(
      h("p", { class: "meta" }, team.name),
      items.length ? h("ul", { class: "cards" }, items) : emptyState(t("digest_none")),
      isLead(team.id) && !page.items.some((item) => item.iso_week === previous)
        ? h("a", { class: "button primary big", href: `#/weekoverzicht/${team.id}/${previous}` }, t("digest_make_last"))
        : "");
  } catch (error) {
    body.replaceChildren(emptyState(error.status === 403 ? t("digest_forbidden") : problemText(error)));
  }
  return view;
}

// -- One digest ------------------------------------------------------------------------------------

export async function digestScreen(teamId, isoWeek) {
  const lead = isLead(teamId);
  const body = h("div", { class: "digest" });
  const status = h("p", { class: "hint", role: "status" });
  // Only a week without a digest can be made now: a built week is frozen (docs/privacy.md).
  const rebuild = h("button", { type: "button", class: "secondary", hidden: true }, t("digest_build"));
  const view = screen({ title: t("digest_title"), back: "#/weekoverzicht" },
    h("p", { class: "meta" }, weekName(isoWeek)), body, status,
    h("div", { class: "row no-print" }, rebuild,
      h("button", { type: "button", class: "secondary", onclick: () => window.print() }, t("print")),
      lead ? h("a", { class: "button primary", href: `#/bord/${teamId}/${isoWeek}` }, t("digest_to_board")) : null));
  if (lead) view.classList.add("digest-wide");

  let timer = null;
  onLeave(() => clearTimeout(timer));

  // Polls until the digest has a (newer) built_at: the build runs in a worker.
  const poll = (before, tries = 0) => {
    timer = setTimeout(async () => {
      try {
        const digest = await api(`/teams/${teamId}/digests/${isoWeek}`);
        if (digest.built_at !== before) {
          show(digest);
          status.textContent = t("digest_rebuilt");
          rebuild.disabled = false;
          return;
        }
      } catch (error) {
        if (error.status !== 404) {
          status.textContent = problemText(error);
          rebuild.disabled = false;
          return;
        }
      }
      if (tries < POLL_TRIES) poll(before, tries + 1);
      else { status.textContent = t("digest_slow"); rebuild.disabled = false; }
    }, POLL_MS);
  };

  let builtAt = null;
  const show = (digest) => {
    builtAt = digest.built_at;
    body.replaceChildren(...digestSections(digest));
  };

  rebuild.addEventListener("click", async () => {
    rebuild.disabled = true;
    status.textContent = t("digest_building");
    try {
      await api(`/teams/${teamId}/digests/${isoWeek}/build`, { method: "POST", body: {} });
      poll(builtAt);
    } catch (error) {
      status.textContent = problemText(error);
      rebuild.disabled = false;
    }
  });

  try {
    show(await api(`/teams/${teamId}/digests/${isoWeek}`));
  } catch (error) {
    if (error.status === 404 && lead) {
      body.replaceChildren(emptyState(t("digest_not_built")));
      rebuild.hidden = false;
    } else {
      rebuild.hidden = true;
      body.replaceChildren(emptyState(error.status === 403 ? t("digest_forbidden") : problemText(error)));
    }
  }
  return view;
}

function digestSections(digest) {
  const c = digest.content;
  const meta = h("p", { class: "meta" }, c.team.name, " · ", t("digest_built", { when: formatDate(digest.built_at) }),
    " · ", t("digest_k", { k: c.k }));
  if (digest.scope !== "full") return [meta, themesSection(c.themes)];
  return [meta, numbersSection(c.numbers), themesSection(c.themes), signalsSection(c.signals),
    zonesSection(c.learning_zones, c.learning_questions), residentsSection(c.residents),
    actionsSection(c.actions), suggestionSection(digest.proposal || storedSuggestion(c))];
}

function section(id, title, ...content) {
  return h("section", { class: "digest-part", "aria-labelledby": `d-${id}` }, h("h2", { id: `d-${id}` }, title), content);
}

// The stored digest's words (its reason, zone and statement labels) are the Dutch of the day it was
// built: the screen shows them from the catalogue by their keys, and the stored text only for a key
// it does not know.
export function suppressed(cell) {
  return cell && cell.suppressed ? h("span", { class: "suppressed" }, t("development.suppressed")) : null;
}

export function number(value, kind) {
  const locale = language() === "en" ? "en-GB" : "nl-NL";
  if (kind === "share") return value.toLocaleString(locale, { style: "percent" });
  if (kind === "score") return value.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (kind === "mean") return value.toLocaleString(locale, { maximumFractionDigits: 2 });
  return value.toLocaleString(locale);
}

// -- De week in cijfers ----------------------------------------------------------------------------

export function tile(label, cell, kind = "count") {
  if (!cell || cell.suppressed) return h("li", { class: "tile" }, h("span", { class: "tile-label" }, label), suppressed(cell));
  const trend = cell.trend || {};
  const direction = trend.direction;
  return h("li", { class: "tile" },
    h("span", { class: "tile-label" }, label),
    h("span", { class: "tile-value" }, number(cell.value, kind)),
    h("span", { class: "tile-trend" },
      direction ? h("span", { class: `trend trend-${direction}` },
        h("span", { "aria-hidden": "true" }, `${ARROWS[direction]} `), t(`trend_${direction}`)) : null,
      sparkline(trend.previous || [], cell.value, kind, trend.previous_mean ?? null)));
}

// The 4 weeks before and this week as a tiny line; a suppressed week is a gap, not a zero.
// The scale is honest: counts from zero, shares 0–100 %, scores 1–5, so a 2 % change looks like
// 2 % and agrees with the word beside it (the server calls "steady" within 10 % of the mean,
// drawn as the dashed line).
export function sparkline(previous, current, kind, mean = null) {
  const values = [...previous.map((cell) => (cell && !cell.suppressed ? cell.value : null)), current];
  const shown = values.filter((v) => v !== null);
  if (shown.length < 2) return null;
  const [w, hgt, step] = [64, 20, 16];
  const [min, max] = kind === "share" ? [0, 1] : kind === "score" ? [1, 5] : [0, Math.max(...shown, 1)];
  const y = (v) => (hgt - 2 - ((v - min) / (max - min || 1)) * (hgt - 4)).toFixed(1);
  let path = "";
  values.forEach((v, i) => {
    if (v === null) return;
    path += `${i && values[i - 1] !== null ? "L" : "M"}${i * step},${y(v)}`;
  });
  const label = t("spark_label", { values: values.slice(0, -1).map((v) => (v === null ? "–" : number(v, kind))).join(", ") });
  return svg("svg", { class: "spark", viewBox: `-2 0 ${w + 4} ${hgt}`, role: "img", "aria-label": label },
    mean === null ? null : svg("path", { d: `M0,${y(mean)}L${3 * step},${y(mean)}`, class: "spark-mean" }),
    svg("path", { d: path, class: "spark-line" }),
    svg("circle", { cx: 4 * step, cy: y(current), r: 2.5, class: "spark-dot" }));
}

export function numbersSection(numbers) {
  return section("numbers", t("d_numbers"), h("ul", { class: "tiles" },
    tile(t("n_reflections"), numbers.reflections),
    tile(t("n_visit_share"), numbers.visit_share, "share"),
    tile(t("n_active"), numbers.active_medewerkers),
    tile(t("n_responses"), numbers.feedback_responses)));
}

// -- Thema's, Signalen ---------------------------------------------------------------------------------

function others(cell, key) {
  return cell && cell.suppressed ? h("p", { class: "meta" }, t(key), ": ", suppressed(cell)) : null;
}

function bar(share) {
  return svg("svg", { class: "bar", viewBox: "0 0 100 6", preserveAspectRatio: "none", "aria-hidden": "true" },
    svg("rect", { width: 100, height: 6, rx: 3, class: "bar-bg" }),
    svg("rect", { width: Math.max(3, share * 100), height: 6, rx: 3, class: "bar-fill" }));
}

export function themesSection(themes) {
  const items = (themes && themes.items) || [];
  const max = Math.max(1, ...items.map((item) => item.authors));
  return section("themes", t("d_themes"),
    items.length ? h("ol", { class: "cards themes" }, items.map((item) => h("li", { class: "card" },
      h("p", { class: "theme-head" }, h("strong", {}, themeName(item.id, item.label)),
        ["new", "rising"].includes(item.trend) ? h("span", { class: `badge badge-${item.trend}` }, t(`theme_trend_${item.trend}`)) : null),
      bar(item.authors / max),
      h("p", { class: "meta" }, t("theme_counts", { a: t("authors_n", { n: item.authors }), r: t("reflections_n", { n: item.reflections }) })),
      item.quotes.slice(0, 2).map((quote) => h("blockquote", { class: "quote" }, quote)))))
      : emptyState(t("d_no_themes")),
    others(themes && themes.others, "d_other_themes"));
}

export function signalsSection(signals) {
  return section("signals", t("d_signals"), h("p", { class: "hint" }, t("d_signals_hint")),
    signals.items.length ? h("ul", { class: "plain" }, signals.items.map((item) => h("li", {},
      h("strong", {}, item.term), " — ", t("signal_counts", { a: t("authors_n", { n: item.authors }), m: number(item.previous_mean, "score") }))))
      : emptyState(t("d_no_signals")),
    others(signals.others, "d_other_signals"));
}

// -- Leerzones ------------------------------------------------------------------------------------------

export function zonesSection(zones, questions) {
  const entries = Object.entries(zones.zones);
  let x = 0;
  const parts = entries.filter(([, zone]) => !zone.suppressed && zone.share).map(([key, zone]) => {
    const rect = svg("rect", { x, width: zone.share * 100, height: 8, class: `zone-${key}` });
    x += zone.share * 100;
    return rect;
  });
  return section("zones", t("d_zones"), h("p", { class: "hint" }, t("d_zones_hint")),
    parts.length ? svg("svg", { class: "bar zones-bar", viewBox: "0 0 100 8", preserveAspectRatio: "none", "aria-hidden": "true" },
      svg("rect", { width: 100, height: 8, class: "bar-bg" }), parts) : null,
    h("ul", { class: "legend" }, entries.map(([key, zone]) => h("li", {},
      h("span", { class: `swatch zone-${key}`, "aria-hidden": "true" }), `${tOr(`zone_${key}`, zone.label)}: `,
      zone.suppressed ? suppressed(zone) : `${zone.value} (${number(zone.share, "share")})`))),
    questions && questions.items.length ? h("div", {}, h("h3", {}, t("d_questions")),
      h("ul", { class: "plain" }, questions.items.map((item) => h("li", {},
        h("strong", {}, themeName(item.theme_id, item.label)), ` — ${t("authors_n", { n: item.authors })}`,
        item.examples.map((example) => h("blockquote", { class: "quote" }, example)))))) : null,
    others(questions && questions.others, "d_other_questions"));
}

// -- Wat inwoners zeggen -------------------------------------------------------------------------------

export function residentsSection(residents) {
  const scores = Object.entries(residents.scores || {});
  return section("residents", t("d_residents"),
    h("ul", { class: "tiles" }, tile(t("n_responses"), residents.responses),
      residents.response_rate ? tile(t("n_response_rate"), residents.response_rate, "share") : null,
      scores.map(([key, score]) => tile(tOr(`wmo_${key}`, score.label), score, "score"))),
    h("p", { class: "hint" }, t("d_scores_hint")),
    residents.themes.length ? h("ul", { class: "plain" }, residents.themes.map((item) => h("li", {},
      h("strong", {}, themeName(item.id, item.label)), " — ", t("resident_theme", { n: item.mentions, s: number(item.average_score, "score") }))))
      : null,
    others(residents.others, "d_other_resident_themes"));
}

// -- Acties, Voorstel -------------------------------------------------------------------------------------

function actionList(title, items, kind) {
  if (!items.length) return null;
  return h("div", {}, h("h3", {}, title, ` (${items.length})`),
    h("ul", { class: "cards" }, items.map((action) => h("li", { class: `card action-${kind}` },
      h("p", { class: "text" }, action.title),
      h("p", { class: "meta" }, action.owner ? action.owner.display_name : t("no_owner"),
        action.due_week ? ` · ${t("due_week", { week: formatWeek(action.due_week) })}` : "")))));
}

export function actionsSection(actions) {
  const lists = [actionList(t("a_done"), actions.done, "done"), actionList(t("a_overdue"), actions.overdue, "overdue"),
    actionList(t("a_opened"), actions.opened, "opened")].filter(Boolean);
  return section("actions", t("d_actions"),
    h("p", {}, t("a_open_total", { n: actions.open })),
    lists.length ? lists : emptyState(t("d_no_actions")),
    h("a", { class: "more-link no-print", href: "#/acties" }, t("to_actions")));
}

// A digest stored without a live proposal: its suggestion with the reason said again from the
// theme's published figures (the stored reason is Dutch).
function storedSuggestion(content) {
  const s = content.suggestion;
  const theme = s && ((content.themes && content.themes.items) || []).find((item) => item.id === s.theme_id);
  if (!theme) return s;
  const reason = t(`reason_${theme.trend === "rising" || theme.trend === "new" ? theme.trend : "most"}`,
    { n: theme.authors, mean: number(theme.previous_mean, "mean") });
  return { ...s, reason };
}

export function suggestionSection(suggestion) {
  return section("suggestion", t("d_suggestion"), suggestion
    ? h("div", { class: "panel calm" },
      h("p", {}, h("strong", {}, themeName(suggestion.theme_id, suggestion.label))),
      h("p", {}, suggestion.reason),
      suggestion.keepers.length
        ? h("p", {}, t("ask_keeper", { names: suggestion.keepers.map((k) => k.display_name).join(", ") })) : null,
      h("a", { class: "button primary no-print", href: "#/leeragenda" }, t("to_agenda")))
    : emptyState(t("d_no_suggestion")));
}
