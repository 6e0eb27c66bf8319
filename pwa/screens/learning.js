// Mijn ontwikkeling (own overview with small SVG charts, learning questions, printable on A4),
// Vragen van je team ("ik weet hier iets van") and the Leeragenda for teamleiders.
import { api, currentTeam, teamIdForWrites, teamQuery } from "../lib/api.js?v=__VERSION__";
import { formatDate, formatWeek, t } from "../lib/i18n.js?v=__VERSION__";
import { LEADS, leadTeam } from "../lib/learning.js?v=__VERSION__";
import { teamPicker } from "../lib/teampicker.js?v=__VERSION__";
import { field, h, screen, showFieldErrors, svg } from "../lib/ui.js?v=__VERSION__";

// Zone and the key of its name (the first three are the app's, "no zone" is this screen's).
const ZONES = [["comfort", "zone_comfort"], ["learning", "zone_learning"], ["panic", "zone_panic"], ["none", "development.zone_none"]];
const TOP_THEMES = 5;

// This screen's texts are the catalogue's "development.*" keys (server/translations/*/LC_MESSAGES/pwa.po).

// A count picks its plural form by vars.n (Dutch: collega / collega's).
function tt(key, vars = {}) {
  return t(`development.${key}`, vars);
}

function chart(label, width, height, ...children) {
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, class: "chart" },
    svg("title", {}, label), ...children);
}

const shortWeek = (isoWeek) => tt("week_short", { n: Number(isoWeek.slice(-2)) });

function problemMessage(error) {
  return error.status === 0 ? tt("needs_network") : (error.problem && error.problem.detail) || tt("error");
}

// The router renders the current route again (fresh data from the server).
function rerender() {
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

// -- Mijn ontwikkeling ------------------------------------------------------------------------

export async function learningScreen() {
  const body = h("div", { class: "development" });
  const view = screen({ title: tt("development"),
    extra: h("button", { type: "button", class: "secondary no-print", onclick: () => window.print() }, tt("print")) },
  h("p", { class: "meta" }, tt("private_note")), body);
  try {
    const overview = await api("/me/overview?weeks=12");
    const questions = await api("/learning-questions?status=open&page_size=100");
    body.replaceChildren(...renderOverview(overview, questions.items).filter(Boolean));
  } catch (error) {
    body.replaceChildren(h("p", { class: "empty" }, problemMessage(error)));
  }
  return view;
}

function renderOverview(overview, openQuestions) {
  const weeks = overview.weeks;
  const month = overview.theme_of_the_month;
  return [
    month ? h("p", { class: "panel" }, h("strong", {}, tt("theme_of_month", { label: month.label })), h("br"),
      tt("my_contributions", { n: month.my_contributions })) : null,
    h("section", { class: "print-block" }, h("h2", {}, tt("themes_title")), themesChart(overview.themes, weeks)),
    h("section", { class: "print-block" }, h("h2", {}, tt("zones_title")), zonesChart(weeks)),
    h("section", { class: "print-block" }, h("h2", {}, tt("scores_title")), scoresChart(weeks)),
    h("section", { class: "print-block" }, h("h2", {}, tt("questions_title")),
      questionList(openQuestions), learnedList(overview.questions.recently_learned), newQuestionForm()),
  ];
}

// One row per theme, one dot per week; the dot grows with the number of reflections.
function themesChart(themes, weeks) {
  const top = themes.slice(0, TOP_THEMES);
  if (!top.length) return h("p", { class: "empty" }, tt("no_reflections"));
  const cell = 26;
  const rowHeight = 40;
  const width = cell * weeks.length;
  const max = Math.max(...top.flatMap((theme) => theme.per_week));
  const rows = top.map((theme, row) => {
    const y = row * rowHeight;
    return svg("g", {},
      svg("text", { x: 0, y: y + 12, class: "chart-label" }, theme.label),
      theme.per_week.map((count, i) => (count
        ? svg("circle", { cx: i * cell + cell / 2, cy: y + 26, r: 3 + (8 * count) / max, class: "dot-theme" },
          svg("title", {}, `${theme.label}, ${formatWeek(weeks[i].iso_week)}: ${count}`))
        : svg("circle", { cx: i * cell + cell / 2, cy: y + 26, r: 1.5, class: "dot-empty" }))));
  });
  const summary = top.map((theme) => `${theme.label}: ${theme.total}`).join(", ");
  return chart(summary, width, top.length * rowHeight + 16, rows, weekAxis(weeks, cell, top.length * rowHeight + 12));
}

function weekAxis(weeks, cell, y) {
  return weeks.map((week, i) => ((weeks.length - 1 - i) % 2 === 0
    ? svg("text", { x: i * cell + cell / 2, y, class: "chart-axis", "text-anchor": "middle" }, shortWeek(week.iso_week))
    : null));
}

// Stacked bars: how many reflections per week were in each learning zone.
function zonesChart(weeks) {
  const cell = 26;
  const height = 90;
  const max = Math.max(1, ...weeks.map((week) => week.reflections));
  if (!weeks.some((week) => week.reflections)) return h("p", { class: "empty" }, tt("no_reflections"));
  const bars = weeks.map((week, i) => {
    let y = height;
    return ZONES.map((zone) => {
      const part = (week.zones[zone] / max) * (height - 4);
      if (!part) return null;
      y -= part;
      return svg("rect", { x: i * cell + 4, y, width: cell - 8, height: part, class: `zone-${zone}` },
        svg("title", {}, `${formatWeek(week.iso_week)}: ${week.zones[zone]}`));
    });
  });
  const totals = Object.fromEntries(ZONES.map(([zone]) => [zone, weeks.reduce((sum, week) => sum + week.zones[zone], 0)]));
  const summary = ZONES.filter(([zone]) => totals[zone]).map(([zone, label]) => `${t(label)}: ${totals[zone]}`).join(", ");
  return h("div", {},
    chart(summary, cell * weeks.length, height + 16, bars, weekAxis(weeks, cell, height + 13)),
    h("ul", { class: "legend" }, ZONES.map(([zone, label]) => h("li", {},
      h("span", { class: `swatch zone-${zone}`, "aria-hidden": "true" }), `${t(label)} (${totals[zone]})`))));
}

// The week's average resident score as a dot on a 1–5 scale, joined by a line.
function scoresChart(weeks) {
  const cell = 26;
  const height = 80;
  const y = (score) => height - ((score - 1) / 4) * (height - 10) - 5;
  const points = weeks.map((week, i) => [i, week.resident_scores.average]).filter(([, average]) => average !== null);
  if (!points.length) return h("p", { class: "empty" }, tt("no_scores"));
  const line = points.map(([i, average]) => `${i * cell + cell / 2},${y(average)}`).join(" ");
  const grid = [1, 3, 5].map((score) => svg("line", { x1: 0, x2: cell * weeks.length, y1: y(score), y2: y(score), class: "chart-grid" }));
  const dots = points.map(([i, average]) => svg("circle", { cx: i * cell + cell / 2, cy: y(average), r: 4, class: "dot-score" },
    svg("title", {}, `${formatWeek(weeks[i].iso_week)}: ${average} (${weeks[i].resident_scores.responses})`)));
  const summary = points.map(([i, average]) => `${formatWeek(weeks[i].iso_week)}: ${average}`).join(", ");
  return h("div", {},
    chart(summary, cell * weeks.length, height + 16, grid, svg("polyline", { points: line, class: "chart-line" }), dots,
      weekAxis(weeks, cell, height + 13)),
    h("p", { class: "hint" }, tt("scores_note")));
}

function questionList(items) {
  if (!items.length) return h("p", { class: "empty" }, tt("no_questions"));
  return h("ul", { class: "cards" }, items.map(questionCard));
}

function questionCard(question) {
  const status = h("p", { class: "hint", "aria-live": "polite" });
  const learned = h("input", { type: "text", maxlength: "1000", name: "learned" });
  const form = h("form", { class: "no-print", onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api(`/learning-questions/${question.id}`, { method: "PATCH", body: { status: "closed", learned: learned.value } });
      rerender();
    } catch (error) {
      if (!showFieldErrors(form, error.problem)) status.textContent = problemMessage(error);
    }
  } }, field({ label: tt("learned_label"), control: learned, name: "learned" }),
  h("button", { type: "submit", class: "secondary" }, tt("close")));
  const share = h("input", { type: "checkbox", role: "switch", checked: question.shared, onchange: async () => {
    share.disabled = true;
    try {
      const answer = await api(`/learning-questions/${question.id}`, { method: "PATCH", body: { shared: share.checked } });
      status.textContent = answer.shared && !answer.visible_to_team ? tt("shared_pending") : "";
    } catch (error) {
      share.checked = !share.checked;
      status.textContent = problemMessage(error);
    } finally {
      share.disabled = false;
    }
  } });
  return h("li", { class: "card" },
    h("p", { class: "text" }, question.text),
    h("p", { class: "meta" }, question.due ? tt("due", { date: formatDate(question.due, false) }) : "",
      question.linked_reflections ? ` · ${tt("linked", { n: question.linked_reflections })}` : ""),
    question.helpers.length
      ? h("p", { class: "helpers" }, tt("helpers", { names: question.helpers.map((p) => p.display_name).join(", ") }))
      : null,
    h("label", { class: "switch no-print" }, share, h("span", {}, tt("share"))),
    // A shared, de-identified question can become an intervisie case (the offer is on that screen).
    question.visible_to_team ? h("a", { class: "more-link no-print", href: "#/intervisie" }, tt("to_intervisie")) : null,
    status, form);
}

function learnedList(items) {
  if (!items.length) return null;
  return h("div", {}, h("h3", {}, tt("learned")),
    h("ul", { class: "cards" }, items.map((q) => h("li", { class: "card" },
      h("p", { class: "text" }, q.text), h("p", { class: "text next" }, "→ ", q.learned)))));
}

function newQuestionForm() {
  const textArea = h("textarea", { name: "text", rows: "2", maxlength: "500" });
  const due = h("input", { type: "date", name: "due" });
  const status = h("p", { class: "hint", "aria-live": "polite" });
  const form = h("form", { class: "no-print", onsubmit: async (event) => {
    event.preventDefault();
    const body = { client_id: crypto.randomUUID(), text: textArea.value, team_id: teamIdForWrites() };
    if (due.value) body.due = due.value;
    try {
      await api("/learning-questions", { method: "POST", body });
      rerender();
    } catch (error) {
      // The text stays in the field, so nothing typed is lost.
      if (!showFieldErrors(form, error.problem)) status.textContent = problemMessage(error);
    }
  } },
  h("h3", {}, tt("new_question")),
  teamPicker({ hint: tt("question_team"), onchange: () => {} }),
  field({ label: tt("question_label"), control: textArea, hint: tt("question_hint"), name: "text" }),
  field({ label: tt("due_label"), control: due, optional: true, name: "due" }),
  status,
  h("button", { type: "submit", class: "primary" }, tt("add")));
  return form;
}

// -- Vragen van je team ---------------------------------------------------------------------------

export async function teamQuestionsScreen() {
  const list = h("div");
  const view = screen({ title: tt("team_questions") }, teamPicker(), h("p", { class: "hint" }, tt("share_note")), list);
  try {
    const page = await api(`/team/learning-questions?page_size=100${teamQuery(currentTeam())}`);
    list.replaceChildren(page.items.length
      ? h("ul", { class: "cards" }, page.items.map(teamQuestionCard))
      : h("p", { class: "empty" }, tt("no_team_questions")));
  } catch (error) {
    list.replaceChildren(h("p", { class: "empty" }, problemMessage(error)));
  }
  return view;
}

function teamQuestionCard(question) {
  const count = h("p", { class: "meta" });
  const status = h("p", { class: "hint", "aria-live": "polite" });
  const button = h("button", { type: "button", class: "secondary", "aria-pressed": String(question.i_know_something) },
    tt("i_know"));
  const show = () => {
    count.textContent = question.helpers ? tt("helpers_count", { n: question.helpers }) : "";
    button.setAttribute("aria-pressed", String(question.i_know_something));
    status.textContent = question.i_know_something ? tt("i_know_done") : "";
  };
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const path = `/learning-questions/${question.id}/helpers`;
      if (question.i_know_something) {
        await api(`${path}/me`, { method: "DELETE" });
        Object.assign(question, { i_know_something: false, helpers: question.helpers - 1 });
      } else {
        Object.assign(question, await api(path, { method: "POST" }));
      }
      show();
    } catch (error) {
      status.textContent = problemMessage(error);
    } finally {
      button.disabled = false;
    }
  });
  show();
  return h("li", { class: "card" },
    h("p", { class: "text" }, question.text),
    question.themes.length ? h("ul", { class: "tags" }, question.themes.map((theme) => h("li", {}, theme.label))) : null,
    count,
    question.mine ? h("p", { class: "meta" }, tt("mine")) : h("div", {}, button, status));
}

// -- Leeragenda (teamleiders) -------------------------------------------------------------------------

export async function agendaScreen() {
  const team = leadTeam();
  if (!team) {
    location.replace("#/");
    return h("div");
  }
  const body = h("div", { class: "team-body" });
  const view = screen({ title: tt("agenda"),
    extra: h("button", { type: "button", class: "secondary no-print", onclick: () => window.print() }, tt("print")) },
  teamPicker({ roles: LEADS }), body);
  view.classList.add("team-wide"); // on a laptop: the month's theme beside the knowledge map
  try {
    const [month, themes, map] = await Promise.all([
      api(`/teams/${team.id}/theme-of-the-month`),
      api(`/teams/${team.id}/themes`),
      api(`/teams/${team.id}/knowledge-map`),
    ]);
    body.replaceChildren(monthForm(team, month, themes.items.filter((theme) => theme.group !== "ervaring")),
      knowledgeMap(map));
  } catch (error) {
    body.replaceChildren(h("p", { class: "empty" }, problemMessage(error)));
  }
  return view;
}

function monthForm(team, month, themes) {
  const suggestion = month.suggestion;
  const select = h("select", { name: "theme_id" },
    themes.map((theme) => h("option", { value: theme.id }, theme.label)));
  select.value = month.theme_id || (suggestion && suggestion.theme_id) || themes[0].id;
  const description = h("textarea", { name: "description", rows: "3", maxlength: "2000" });
  description.value = month.description || "";
  const date = h("input", { type: "date", name: "casusoverleg_on", value: month.casusoverleg_on || "" });
  const links = h("textarea", { name: "links", rows: "2" });
  links.value = month.links.map((link) => link.url).join("\n");
  const status = h("p", { class: "hint", "aria-live": "polite" });
  const form = h("form", { class: "no-print", onsubmit: async (event) => {
    event.preventDefault();
    const urls = links.value.split("\n").map((line) => line.trim()).filter(Boolean);
    try {
      await api(`/teams/${team.id}/theme-of-the-month`, { method: "PUT", body: {
        theme_id: select.value, description: description.value, casusoverleg_on: date.value || null,
        links: urls.map((url) => ({ title: "", url })) } });
      status.textContent = tt("saved");
    } catch (error) {
      const problem = error.problem || {};
      // Errors of single links come nested ({"0": {"url": [...]}}): one message under the field.
      if (problem.errors && problem.errors.links && !Array.isArray(problem.errors.links)) problem.errors.links = [tt("links_error")];
      if (!showFieldErrors(form, problem)) status.textContent = problemMessage(error);
    }
  } },
  suggestion
    ? h("div", { class: "panel calm" },
      h("p", {}, h("strong", {}, `${tt("suggestion")}: ${suggestion.label}`)),
      h("p", {}, suggestion.reason),
      suggestion.questions.length ? h("ul", {}, suggestion.questions.map((q) => h("li", {}, q.text))) : null,
      suggestion.keepers.length ? h("p", {}, tt("ask_keeper", { names: suggestion.keepers.map((k) => k.display_name).join(", ") })) : null,
      h("button", { type: "button", class: "secondary", onclick: () => { select.value = suggestion.theme_id; select.focus(); } },
        tt("use_suggestion")))
    : h("p", { class: "hint" }, tt("no_suggestion")),
  field({ label: tt("theme"), control: select, name: "theme_id" }),
  field({ label: tt("description"), control: description, optional: true, name: "description" }),
  field({ label: tt("casusoverleg"), control: date, optional: true, name: "casusoverleg_on" }),
  field({ label: tt("links"), control: links, optional: true, name: "links" }),
  status,
  h("button", { type: "submit", class: "primary" }, tt("save")));
  const contributions = month.contributions;
  return h("section", {}, h("h2", {}, tt("theme_of_month", { label: month.label || "—" })),
    contributions ? h("p", { class: "meta" }, contributions.suppressed
      ? contributions.reason || tt("suppressed")
      : tt("contributions", {
        w: Number(contributions.to_week.slice(-2)),
        r: t("reflections_n", { n: contributions.reflections }),
        a: t("authors_n", { n: contributions.authors }),
      })) : null,
    form);
}

function knowledgeMap(map) {
  const gaps = map.gaps || [];
  return h("section", { class: "print-block" }, h("h2", {}, tt("map_title")), h("p", { class: "hint" }, tt("map_note")),
    h("h3", {}, tt("gaps_title")),
    gaps.length ? h("ol", { class: "gaps" }, gaps.map((gap) => h("li", {}, h("strong", {}, gap.label), ` — ${gap.why}`)))
      : h("p", {}, tt("no_gaps")),
    h("ul", { class: "cards" }, map.themes.map((theme) => h("li", { class: `card${theme.gap ? " gap" : ""}` },
      h("p", { class: "text" }, h("strong", {}, theme.label)),
      h("p", { class: "meta" }, typeof theme.authors === "number" ? tt("authors", { n: theme.authors }) : tt("suppressed")),
      h("p", {}, theme.keepers.length ? tt("keepers", { names: theme.keepers.map((k) => k.display_name).join(", ") }) : tt("nobody")),
      theme.gap ? h("p", { class: "gap-label" }, tt("gap")) : null))));
}
