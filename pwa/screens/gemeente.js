// Gemeente: what all the organisation's wijkteams learn and what residents experience, for a
// beleidsmedewerker. Laptop-first and printable; on a phone the tables scroll sideways.
// Only protected aggregates come from the server (GET /organisations/<id>/overview); a cell the
// server suppressed shows a dash with the reason, never a number. In the reader's language (the
// server translates its own texts: purpose, method, zones, theme names).
import { api, session } from "../lib/api.js?v=__VERSION__";
import { language, t, tOr } from "../lib/i18n.js?v=__VERSION__";
import { emptyState, h, problemText, screen } from "../lib/ui.js?v=__VERSION__";

const locale = () => (language() === "en" ? "en-GB" : "nl-NL");
const percent = (share) => share.toLocaleString(locale(), { style: "percent" });
const decimal = (value) => value.toLocaleString(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
// A statement to residents by its key (wmo_serieus); one the app does not know, as the server named it.
const item = (key) => tOr(`wmo_${key}`, key);

function periodLabel(value) {
  const [year, part] = value.split("-");
  if (part.startsWith("Q")) return t("gemeente.quarter", { q: part.slice(1), year });
  const month = new Date(Date.UTC(Number(year), Number(part) - 1, 1));
  return month.toLocaleDateString(locale(), { month: "short", year: "numeric", timeZone: "UTC" }).replace(".", "");
}

function hiddenCell() {
  const hidden = t("gemeente.hidden");
  return h("td", { class: "suppressed", title: hidden }, h("span", { "aria-hidden": "true" }, "—"),
    h("span", { class: "visually-hidden" }, hidden));
}

function cell(figure, show) {
  return figure && "value" in figure ? h("td", { class: "number" }, show(figure.value)) : hiddenCell();
}

// Columns: the gemeente, then (for a quarter) its months and the teams where allowed.
function columns(overview) {
  const cols = [{ label: t("gemeente.column"), pick: (row) => row.org }];
  if (overview.period.kind === "quarter") {
    for (const month of overview.period.months) {
      cols.push({ label: periodLabel(month), pick: (row) => row.months[month], month: true });
    }
    for (const team of overview.teams) {
      cols.push({ label: team.teams > 1 ? `${team.label} (${team.teams})` : team.label, pick: (row) => row.teams[team.key] });
    }
  }
  return cols;
}

function table(caption, cols, rows, label, show) {
  return h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption },
    h("table", { class: "figures" },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ""),
        cols.map((col) => h("th", { scope: "col", class: col.month ? "month" : "" }, col.label)))),
      h("tbody", {}, rows.map((row) => h("tr", {}, h("th", { scope: "row" }, label(row)),
        cols.map((col) => cell(col.pick(row), show)))))));
}

function section(title, ...content) {
  return h("section", { class: "gemeente-section" }, h("h2", {}, title), content);
}

function render(body, overview, organisation) {
  const cols = columns(overview);
  const periodSelect = h("select", { id: "gemeente-period", onchange: (event) => { location.hash = `#/gemeente/${event.target.value}`; } },
    overview.periods.map((item) => h("option", { value: item.value, selected: item.value === overview.period.value },
      item.kind === "quarter" && !item.complete ? t("gemeente.unfinished", { period: periodLabel(item.value) }) : periodLabel(item.value))));
  const exportUrl = `/api/v1/organisations/${organisation.id}/export.csv?period=${encodeURIComponent(overview.period.value)}`;
  const themes = overview.themes.items;
  const decisions = overview.decisions;
  // Through h(): it skips the parts that are null (replaceChildren would print "null").
  body.replaceChildren(h("div", {},
    h("p", { class: "panel purpose" }, overview.purpose),
    h("div", { class: "row gemeente-tools" },
      h("label", { for: "gemeente-period" }, t("gemeente.period"), " "), periodSelect,
      h("a", { class: "button secondary", href: exportUrl, download: "" }, t("gemeente.download")),
      h("button", { type: "button", class: "secondary", onclick: () => window.print() }, t("print"))),
    overview.published ? null : h("p", { class: "notice" }, t("gemeente.quarter_unfinished")),
    overview.period.kind === "month" ? h("p", { class: "hint" }, t("gemeente.month_hint")) : null,
    overview.period.kind === "quarter" && overview.published && !overview.teams.length
      ? h("p", { class: "hint" }, t("gemeente.teams_hidden"))
      : null,
    section(t("gemeente.themes"), h("p", { class: "hint" }, t("gemeente.themes_hint")),
      themes.length ? table(t("gemeente.themes_caption"), cols, themes, (row) => row.label, (v) => v.authors)
        : emptyState(t("gemeente.no_themes")),
      overview.themes.others ? h("p", { class: "hint" }, t("gemeente.other_themes")) : null),
    section(t("gemeente.zones"), h("p", { class: "hint" }, t("gemeente.zones_hint")),
      table(t("gemeente.zones_caption"), cols, overview.learning_zones, (row) => row.label, (v) => v.reflections)),
    section(t("gemeente.residents"),
      h("p", { class: "hint" }, t("gemeente.residents_hint")),
      overview.residents.length
        ? table(t("gemeente.residents_caption"), cols, overview.residents, (row) => item(row.item),
          (v) => `${percent(v.agree_share)} · ${decimal(v.mean)} (n=${v.n})`)
        : emptyState(t("gemeente.no_items")),
      table(t("gemeente.response_caption"), cols, [{ ...overview.response_rate, label: t("gemeente.response") }], (row) => row.label,
        (v) => t("gemeente.response_value", { rate: percent(v.rate), answered: v.answered, sent: v.sent }))),
    section(t("gemeente.decisions"),
      table(t("gemeente.actions_caption"), cols, [{ ...decisions.actions, label: t("gemeente.actions") }], (row) => row.label,
        (v) => t("gemeente.actions_value", { opened: v.opened, done: v.done })),
      decisions.themes_of_the_month.length
        ? h("ul", { class: "plain" }, decisions.themes_of_the_month.map((chosen) =>
          h("li", {}, t("gemeente.theme_of_month", { label: chosen.label, n: chosen.count }))))
        : null),
    section(t("gemeente.signals"),
      overview.signals.length
        ? h("ul", { class: "plain" }, overview.signals.map((signal) => h("li", {},
          h("span", { class: "term" }, signal.term), ": ", t("gemeente.signal_teams", { n: signal.teams }))))
        : emptyState(t("gemeente.no_signals"))),
    section(t("gemeente.method"), overview.method.map((note) => h("p", { class: "hint" }, note)))));
}

export async function gemeenteScreen(period) {
  const organisation = (session.me.organisations || [])[0];
  const body = h("div", { class: "gemeente" }, h("p", { class: "hint" }, t("gemeente.loading")));
  const view = screen({ title: organisation ? t("gemeente.title", { name: organisation.name }) : t("gemeente.column"), back: null,
    extra: h("a", { class: "topbar-link", href: "#/instellingen" }, t("settings")) }, body);
  view.classList.add("wide");
  if (!organisation) {
    body.replaceChildren(emptyState(t("gemeente.none")));
    return view;
  }
  try {
    const query = period ? `?period=${encodeURIComponent(period)}` : "";
    render(body, await api(`/organisations/${organisation.id}/overview${query}`), organisation);
  } catch (error) {
    body.replaceChildren(emptyState(problemText(error)));
  }
  return view;
}
