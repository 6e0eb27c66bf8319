// Gemeente: what all the organisation's wijkteams learn and what residents experience, for a
// beleidsmedewerker. Laptop-first and printable; on a phone the tables scroll sideways.
// Only protected aggregates come from the server (GET /organisations/<id>/overview); a cell the
// server suppressed shows a dash with the reason, never a number. Dutch only: gemeente staff.
import { api, session } from "../lib/api.js?v=__VERSION__";
import { emptyState, h, problemText, screen } from "../lib/ui.js?v=__VERSION__";

const HIDDEN = "te weinig bijdragen om te tonen";
const ITEMS = {
  serieus: "De medewerker nam mij serieus",
  samen_oplossingen: "We hebben samen naar oplossingen gezocht",
  past_bij_vraag: "De hulp past bij mijn vraag",
  weet_waar_terecht: "Ik weet waar ik terecht kan met mijn vraag",
  kwaliteit_leven: "Door de hulp kan ik beter mijn leven leiden",
};
const MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

const percent = (share) => `${Math.round(share * 100)}%`;
const decimal = (value) => value.toLocaleString("nl-NL", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function periodLabel(value) {
  const [year, part] = value.split("-");
  return part.startsWith("Q") ? `${part.slice(1)}e kwartaal ${year}` : `${MONTHS[Number(part) - 1]} ${year}`;
}

function hiddenCell() {
  return h("td", { class: "suppressed", title: HIDDEN }, h("span", { "aria-hidden": "true" }, "—"),
    h("span", { class: "visually-hidden" }, HIDDEN));
}

function cell(figure, show) {
  return figure && "value" in figure ? h("td", { class: "number" }, show(figure.value)) : hiddenCell();
}

// Columns: the gemeente, then (for a quarter) its months and the teams where allowed.
function columns(overview) {
  const cols = [{ label: "Gemeente", pick: (row) => row.org }];
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
      periodLabel(item.value) + (item.kind === "quarter" && !item.complete ? " (nog niet af)" : ""))));
  const exportUrl = `/api/v1/organisations/${organisation.id}/export.csv?period=${encodeURIComponent(overview.period.value)}`;
  const themes = overview.themes.items;
  const decisions = overview.decisions;
  // Through h(): it skips the parts that are null (replaceChildren would print "null").
  body.replaceChildren(h("div", {},
    h("p", { class: "panel purpose" }, overview.purpose),
    h("div", { class: "row gemeente-tools" },
      h("label", { for: "gemeente-period" }, "Periode "), periodSelect,
      h("a", { class: "button secondary", href: exportUrl, download: "" }, "Download cliëntervaring (CSV)"),
      h("button", { type: "button", class: "secondary", onclick: () => window.print() }, "Afdrukken")),
    overview.published ? null : h("p", { class: "notice" },
      "Dit kwartaal is nog niet af: alleen de afgeronde maanden staan hier, zonder teams."),
    overview.period.kind === "month"
      ? h("p", { class: "hint" }, "Per maand alleen de hele gemeente; per team staan de cijfers bij het kwartaal.")
      : null,
    overview.period.kind === "quarter" && overview.published && !overview.teams.length
      ? h("p", { class: "hint" }, "Per team: niet getoond. Met deze teams zou een team of een kleine groep herleidbaar zijn.")
      : null,
    section("Thema's", h("p", { class: "hint" }, "Aantal verschillende medewerkers dat over het thema schreef."),
      themes.length ? table("Thema's: aantal medewerkers", cols, themes, (row) => row.label, (v) => v.authors)
        : emptyState("Geen thema met genoeg medewerkers in deze periode."),
      overview.themes.others ? h("p", { class: "hint" }, `Andere thema's: ${HIDDEN}.`) : null),
    section("Werkdruk: leerzones", h("p", { class: "hint" }, "Aantal reflecties per zone."),
      table("Leerzones: aantal reflecties", cols, overview.learning_zones, (row) => row.label, (v) => v.reflections)),
    section("Wat inwoners ervaren",
      h("p", { class: "hint" }, "Aandeel (helemaal) mee eens, met het gemiddelde (1-5) en het aantal antwoorden."),
      overview.residents.length
        ? table("Inwoners: (helemaal) mee eens", cols, overview.residents, (row) => ITEMS[row.item] || row.item,
          (v) => `${percent(v.agree_share)} · ${decimal(v.mean)} (n=${v.n})`)
        : emptyState("Geen vragen aan inwoners ingesteld."),
      table("Respons: beantwoorde links", cols, [{ ...overview.response_rate, label: "Respons" }], (row) => row.label,
        (v) => `${percent(v.rate)} (${v.answered} van ${v.sent})`)),
    section("Wat teams besloten",
      table("Acties uit teamoverleg", cols, [{ ...decisions.actions, label: "Acties" }], (row) => row.label,
        (v) => `${v.opened} gestart, ${v.done} klaar`),
      decisions.themes_of_the_month.length
        ? h("ul", { class: "plain" }, decisions.themes_of_the_month.map((item) =>
          h("li", {}, `Thema van de maand: ${item.label} (${item.count}×)`)))
        : null),
    section("Signalen in meerdere teams",
      overview.signals.length
        ? h("ul", { class: "plain" }, overview.signals.map((item) => h("li", {}, `${item.term}: in ${item.teams} teams`)))
        : emptyState("Geen nieuw woord dat in meerdere teams opkwam.")),
    section("Over deze cijfers", overview.method.map((note) => h("p", { class: "hint" }, note)))));
}

export async function gemeenteScreen(period) {
  const organisation = (session.me.organisations || [])[0];
  const body = h("div", { class: "gemeente" }, h("p", { class: "hint" }, "Cijfers laden…"));
  const view = screen({ title: organisation ? `Gemeente: ${organisation.name}` : "Gemeente", back: null,
    extra: h("a", { class: "topbar-link", href: "#/instellingen" }, "Instellingen") }, body);
  view.classList.add("wide");
  if (!organisation) {
    body.replaceChildren(emptyState("Je hoort niet bij een gemeente."));
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
