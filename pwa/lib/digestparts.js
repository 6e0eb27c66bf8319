// The weekoverzicht's sections, shared by the weekoverzicht and the board. The server already applied
// the k threshold: a suppressed cell is shown as its reason, never as a number.
import { formatWeek, language, t, themeName, tOr } from "./i18n.js?v=__VERSION__";
import { emptyState, h, svg } from "./ui.js?v=__VERSION__";

const ARROWS = { up: "↑", down: "↓", steady: "→" };

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
export function storedSuggestion(content) {
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
