// Intervisie (cases, a session guided step by step with timings) and Mijn portfolio (period, own
// evidence, PDF and CSV). Both print on A4; the session screen uses the width of a laptop.
import { api, currentTeam, teamIdForWrites, teamQuery } from "../lib/api.js?v=__VERSION__";
import { formatWeek, language, t, tOr } from "../lib/i18n.js?v=__VERSION__";
import { teamPicker } from "../lib/teampicker.js?v=__VERSION__";
import { field, h, onLeave, screen, showFieldErrors } from "../lib/ui.js?v=__VERSION__";

// This screen's texts are the catalogue's "intervisie.*" keys (server/translations/*/LC_MESSAGES/pwa.po).

// A count picks its plural form by vars.n (Dutch: collega / collega's).
function tt(key, vars = {}) {
  return t(`intervisie.${key}`, vars);
}

function problemMessage(error) {
  return error.status === 0 ? tt("needs_network") : (error.problem && error.problem.detail) || tt("error");
}

function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}



// -- Intervisie: cases, offering one, sessions, learning notes ------------------------------------

export async function intervisieScreen() {
  const body = h("div");
  const view = screen({ title: tt("intervisie") }, teamPicker(), body);
  try {
    const team = currentTeam();
    const query = teamQuery(team);
    const [cases, sessions, methods, reflections, questions, notes] = await Promise.all([
      api(`/intervisie/cases?page_size=50${query}`),
      api(`/intervisie/sessions?page_size=20${query}`),
      api("/intervisie/methods"),
      api("/reflections?page_size=50"),
      api("/learning-questions?status=open&page_size=100"),
      api(`/teams/${team.id}/learning-notes?page_size=20`),
    ]);
    body.replaceChildren(
      casesSection(cases.items, methods.items),
      offerSection(team, reflections.items, questions.items),
      sessionsSection(sessions.items),
      notesSection(notes.items));
  } catch (error) {
    body.replaceChildren(h("p", { class: "empty" }, problemMessage(error)));
  }
  return view;
}

function casesSection(cases, methods) {
  return h("section", {}, h("h2", {}, tt("cases")), h("p", { class: "hint" }, tt("cases_note")),
    cases.length ? h("ul", { class: "cards" }, cases.map((item) => caseCard(item, methods))) : h("p", { class: "empty" }, tt("no_cases")));
}

function caseCard(item, methods) {
  const method = h("select", { name: "method" }, methods.map((m) => h("option", { value: m.id }, `${m.label} (${m.minutes} min)`)));
  const date = h("input", { type: "date", name: "held_on", value: today() });
  const status = h("p", { class: "hint", "aria-live": "polite" });
  const form = h("form", { class: "no-print", onsubmit: async (event) => {
    event.preventDefault();
    try {
      const session = await api("/intervisie/sessions", { method: "POST", body: {
        client_id: crypto.randomUUID(), case_id: item.id, method: method.value, held_on: date.value } });
      location.hash = `#/intervisie/${session.id}`;
    } catch (error) {
      if (!showFieldErrors(form, error.problem)) status.textContent = problemMessage(error);
    }
  } }, field({ label: tt("method"), control: method, name: "method" }),
  field({ label: tt("held_on"), control: date, name: "held_on" }), status,
  h("button", { type: "submit", class: "primary" }, tt("start")));
  return h("li", { class: "card" },
    h("p", { class: "meta" }, item.source === "reflection" ? tt("reflection") : tt("question"), " · ", formatWeek(item.iso_week), " · ",
      item.presenter ? tt("presenter", { name: item.presenter.display_name }) : tt("anonymous")),
    h("p", { class: "text" }, item.text),
    item.themes.length ? h("ul", { class: "tags" }, item.themes.map((theme) => h("li", {}, theme.label))) : null,
    item.mine ? h("p", { class: "meta" }, tt("mine")) : null,
    form);
}

function offerSection(team, reflections, questions) {
  const sources = [
    ...reflections.filter((r) => r.visibility === "team" && r.processed_at && r.team_id === team.id)
      .map((r) => ({ key: `reflection_id:${r.id}`, label: `${tt("reflection")}: ${r.what_happened.slice(0, 60)}` })),
    ...questions.filter((q) => q.visible_to_team && q.team_id === team.id)
      .map((q) => ({ key: `learning_question_id:${q.id}`, label: `${tt("question")}: ${q.text.slice(0, 60)}` })),
  ];
  if (!sources.length) return h("section", {}, h("h2", {}, tt("offer_title")), h("p", { class: "empty" }, tt("offer_none")));
  const select = h("select", { name: "reflection_id" }, sources.map((s) => h("option", { value: s.key }, s.label)));
  const present = h("input", { type: "checkbox", name: "present_myself" });
  const status = h("p", { class: "hint", "aria-live": "polite" });
  const form = h("form", { onsubmit: async (event) => {
    event.preventDefault();
    const [kind, id] = select.value.split(":");
    try {
      await api("/intervisie/cases", { method: "POST", body: { client_id: crypto.randomUUID(), [kind]: id,
        present_myself: present.checked, team_id: teamIdForWrites(team.id) } });
      status.textContent = tt("offered");
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (error) {
      if (!showFieldErrors(form, error.problem)) status.textContent = problemMessage(error);
    }
  } }, field({ label: tt("offer_source"), control: select, name: "reflection_id" }),
  h("label", { class: "check" }, present, h("span", {}, tt("present_myself"))), status,
  h("button", { type: "submit", class: "secondary" }, tt("offer")));
  return h("section", { class: "no-print" }, h("h2", {}, tt("offer_title")), h("p", { class: "hint" }, tt("offer_note")), form);
}

function sessionsSection(sessions) {
  return h("section", {}, h("h2", {}, tt("sessions")), sessions.length
    ? h("ul", { class: "cards" }, sessions.map((s) => h("li", { class: "card" },
      h("a", { href: `#/intervisie/${s.id}` }, `${s.method.label} · ${s.held_on}`),
      h("p", { class: "meta" }, s.theme ? s.theme.label : tt("no_theme"), " · ", s.status === "closed" ? "afgesloten" : "bezig"))))
    : h("p", { class: "empty" }, tt("no_sessions")));
}

function notesSection(notes) {
  return h("section", { class: "print-block" }, h("h2", {}, tt("notes_title")), notes.length
    ? h("ul", { class: "cards" }, notes.map((note) => h("li", { class: "card" },
      h("p", { class: "text" }, note.text),
      h("p", { class: "meta" }, note.theme ? note.theme.label : tt("no_theme"), " · ", tOr(`intervisie.method_${note.method}`, note.method), " · ", formatWeek(note.iso_week)))))
    : h("p", { class: "empty" }, tt("no_notes")));
}

// -- One session, step by step --------------------------------------------------------------------

export async function sessionScreen(id) {
  const body = h("div", { class: "iv-session" });
  const view = screen({ title: tt("intervisie"), back: "#/intervisie",
    extra: h("button", { type: "button", class: "secondary no-print", onclick: () => window.print() }, tt("print")) }, body);
  view.classList.add("wide");
  try {
    const session = await api(`/intervisie/sessions/${id}`);
    const members = session.i_facilitate
      ? (await api(`/teams/${session.team_id}/members?page_size=100`)).items.filter((m) => m.active) : [];
    const title = view.querySelector("h1");
    title.textContent = `${tt("intervisie")}: ${session.method.label}`;
    renderSession(body, session, members);
  } catch (error) {
    body.replaceChildren(h("p", { class: "empty" }, problemMessage(error)));
  }
  return view;
}

function renderSession(body, session, members) {
  let timer = null;
  onLeave(() => clearInterval(timer));
  const save = async (patch, status) => {
    try {
      const updated = await api(`/intervisie/sessions/${session.id}`, { method: "PATCH", body: patch });
      clearInterval(timer);
      renderSession(body, updated, members);
      return updated;
    } catch (error) {
      if (status) status.textContent = problemMessage(error);
      throw error;
    }
  };
  const steps = session.method.steps;
  const step = steps[session.step];
  const mine = session.i_facilitate && session.status !== "closed";
  const stepsList = h("ol", { class: "iv-steps" }, steps.map((s, i) => h("li", {
    class: i === session.step ? "current" : (i < session.step ? "done" : ""), "aria-current": i === session.step ? "step" : null },
  h("span", {}, s.title), h("span", { class: "meta" }, ` · ${tt("minutes", { n: s.minutes })}`))));

  // The clock of the current step: counts down from its minutes, then shows how far over it is.
  const clock = h("p", { class: "iv-clock", role: "timer", "aria-live": "off" });
  let left = step.minutes * 60;
  const show = () => {
    const abs = Math.abs(left);
    const time = `${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
    clock.textContent = left >= 0 ? tt("time_left", { time }) : tt("time_over", { time });
    clock.classList.toggle("over", left < 0);
  };
  show();
  const toggle = h("button", { type: "button", class: "secondary no-print", onclick: () => {
    if (timer) {
      clearInterval(timer);
      timer = null;
      toggle.textContent = tt("timer_start");
    } else {
      timer = setInterval(() => { left -= 1; show(); }, 1000);
      toggle.textContent = tt("timer_pause");
    }
  } }, tt("timer_start"));

  const status = h("p", { class: "hint", "aria-live": "polite" });
  const nav = mine ? h("div", { class: "row no-print" },
    session.step > 0 ? h("button", { type: "button", class: "secondary", onclick: () => save({ step: session.step - 1 }, status) }, tt("previous")) : null,
    session.step < steps.length - 1 ? h("button", { type: "button", class: "primary", onclick: () => save({ step: session.step + 1 }, status) }, tt("next")) : null) : null;

  const current = h("section", { class: "panel iv-current", "aria-labelledby": "iv-step-title" },
    h("p", { class: "meta" }, tt("step_of", { n: session.step + 1, total: steps.length })),
    h("h2", { id: "iv-step-title" }, step.title),
    h("p", {}, step.guide),
    session.status !== "closed" ? h("div", { class: "row" }, clock, toggle) : null,
    mine ? collector(step.collects, session, members, save) : null,
    status, nav,
    // Colleagues follow on their own phone: the facilitator's screen moves on, theirs on a tap.
    !mine && session.status !== "closed" ? h("button", { type: "button", class: "secondary no-print",
      onclick: () => window.dispatchEvent(new HashChangeEvent("hashchange")) }, tt("refresh")) : null);

  const notes = h("section", { class: "iv-notes" },
    !session.notes_visible ? h("p", { class: "hint" }, tt("notes_pending")) : null,
    noteList(tt("questions"), session.questions),
    noteList(tt("options"), session.options),
    session.action ? h("p", { class: "panel calm" }, tt("action_made", { name: session.action.owner ? session.action.owner.display_name : "—", title: session.action.title }),
      session.action.due ? ` (${session.action.due})` : "") : null,
    session.beroepscode_article ? h("p", {}, `${session.beroepscode} — artikel ${session.beroepscode_article}`,
      session.beroepscode_title ? `: ${session.beroepscode_title}` : "") : null,
    session.insight ? h("p", { class: "panel" }, h("strong", {}, tt("notes_title")), h("br"), session.insight) : null,
    session.status === "closed" ? h("p", { class: "panel calm", role: "status" }, tt("closed")) : null);

  body.replaceChildren(
    h("p", { class: "meta" }, session.held_on, " · ", session.theme ? session.theme.label : tt("no_theme"), " · ",
      tt("facilitator", { name: session.facilitator ? session.facilitator.display_name : "—" }), " · ",
      tt("total_minutes", { n: session.method.minutes })),
    session.case ? h("div", { class: "card" },
      h("p", { class: "meta" }, tt("case"), session.case.presenter ? ` · ${tt("presenter", { name: session.case.presenter.display_name })}` : ""),
      h("p", { class: "text" }, session.case.text)) : null,
    mine && session.step === 0 ? participantsForm(session, members, save) : h("p", { class: "meta" },
      `${tt("participants_list")} ${session.participants.map((p) => p.display_name).join(", ")}`),
    h("div", { class: "iv-grid" }, h("nav", { "aria-label": tt("intervisie") }, stepsList), h("div", {}, current, notes)));
}

function noteList(title, items) {
  if (!items.length) return null;
  return h("div", {}, h("h3", {}, title), h("ul", {}, items.map((item) => h("li", { class: "text" }, item))));
}

function participantsForm(session, members, save) {
  const chosen = new Set(session.participants.map((p) => p.id));
  const boxes = members.map((m) => {
    const box = h("input", { type: "checkbox", value: m.id, checked: chosen.has(m.id), disabled: session.facilitator && m.id === session.facilitator.id });
    return h("label", { class: "check" }, box, h("span", {}, m.display_name));
  });
  const status = h("p", { class: "hint", "aria-live": "polite" });
  return h("fieldset", { class: "no-print iv-people" }, h("legend", {}, tt("participants")), boxes, status,
    h("button", { type: "button", class: "secondary", onclick: () => {
      const ids = boxes.map((label) => label.querySelector("input")).filter((box) => box.checked).map((box) => box.value);
      save({ participant_ids: ids }, status);
    } }, tt("save_participants")));
}

// What the facilitator notes during a step.
function collector(kind, session, members, save) {
  const status = h("p", { class: "hint", "aria-live": "polite" });
  if (kind === "questions" || kind === "options") {
    const input = h("input", { type: "text", maxlength: "500", name: kind });
    const form = h("form", { onsubmit: async (event) => {
      event.preventDefault();
      if (!input.value.trim()) return;
      await save({ [kind]: [...session[kind], input.value.trim()] }, status).catch(() => {});
    } }, field({ label: tt(kind === "questions" ? "new_question" : "new_option"), control: input, hint: tt("no_names"), name: kind }),
    status, h("button", { type: "submit", class: "secondary" }, tt("add")));
    return form;
  }
  if (kind === "owner" || kind === "action") {
    if (session.action) return null;
    const owner = h("select", { name: "owner_id" }, session.participants.map((p) => h("option", { value: p.id }, p.display_name)));
    const title = h("input", { type: "text", maxlength: "300", name: "title" });
    const due = h("input", { type: "date", name: "due" });
    const form = h("form", { onsubmit: async (event) => {
      event.preventDefault();
      try {
        const updated = await api(`/intervisie/sessions/${session.id}/action`, { method: "POST", body: {
          client_id: crypto.randomUUID(), title: title.value, owner_id: owner.value, due: due.value || null } });
        await save({ step: Math.min(session.step + 1, session.method.steps.length - 1) }, status).catch(() => {});
        return updated;
      } catch (error) {
        if (!showFieldErrors(form, error.problem)) status.textContent = problemMessage(error);
      }
      return null;
    } }, field({ label: tt("owner"), control: owner, name: "owner_id" }),
    field({ label: tt("action_title"), control: title, hint: tt("no_names"), name: "title" }),
    field({ label: tt("due"), control: due, optional: true, name: "due" }),
    status, h("button", { type: "submit", class: "primary" }, tt("make_action")));
    return form;
  }
  if (kind === "article") {
    const number = h("input", { type: "number", min: "1", max: "29", name: "beroepscode_article", value: session.beroepscode_article || "" });
    const title = h("input", { type: "text", maxlength: "200", name: "beroepscode_title", value: session.beroepscode_title || "" });
    const form = h("form", { onsubmit: async (event) => {
      event.preventDefault();
      try {
        await save({ beroepscode_article: number.value ? Number(number.value) : null, beroepscode_title: title.value || null }, status);
      } catch (error) {
        showFieldErrors(form, error.problem);
      }
    } }, h("p", { class: "hint" }, session.beroepscode),
    field({ label: tt("article"), control: number, name: "beroepscode_article" }),
    field({ label: tt("article_title"), control: title, optional: true, name: "beroepscode_title" }),
    status, h("button", { type: "submit", class: "secondary" }, tt("save")));
    return form;
  }
  if (kind === "insight") {
    const insight = h("textarea", { name: "insight", rows: "2", maxlength: "1000" });
    insight.value = session.insight || "";
    const form = h("form", { onsubmit: async (event) => {
      event.preventDefault();
      try {
        await save({ insight: insight.value, status: "closed" }, status);
      } catch (error) {
        showFieldErrors(form, error.problem);
      }
    } }, field({ label: tt("insight"), control: insight, hint: tt("no_names"), name: "insight" }),
    status, h("button", { type: "submit", class: "primary" }, tt("close")));
    return form;
  }
  return null;
}

// -- Mijn portfolio ---------------------------------------------------------------------------------

export async function portfolioScreen() {
  const end = today();
  const start = `${Number(end.slice(0, 4)) - 1}${end.slice(4)}`;
  const from = h("input", { type: "date", name: "from", value: start });
  const to = h("input", { type: "date", name: "to", value: end });
  const result = h("div");
  const downloads = h("p", { class: "row no-print" });
  const form = h("form", { class: "no-print", onsubmit: (event) => {
    event.preventDefault();
    load();
  } }, h("div", { class: "row" }, field({ label: tt("from"), control: from, name: "from" }),
    field({ label: tt("to"), control: to, name: "to" })),
  h("button", { type: "submit", class: "secondary" }, tt("show")));
  const view = screen({ title: tt("portfolio"), back: "#/ontwikkeling" },
    h("p", { class: "meta" }, tt("portfolio_note")), form, downloads, result);

  async function load() {
    const query = `from=${from.value}&to=${to.value}`;
    try {
      const [portfolio, reflections] = await Promise.all([
        api(`/me/portfolio?${query}`),
        api(`/reflections?since=${from.value}&until=${to.value}&page_size=100`),
      ]);
      showFieldErrors(form, {});
      downloads.replaceChildren(
        h("a", { class: "more-link", href: `/api/v1/me/portfolio.pdf?${query}`, download: "" }, tt("pdf")),
        h("a", { class: "more-link", href: `/api/v1/me/portfolio.csv?${query}`, download: "" }, tt("csv")));
      result.replaceChildren(...renderPortfolio(portfolio, reflections.items, load));
    } catch (error) {
      downloads.replaceChildren();
      if (!showFieldErrors(form, error.problem)) result.replaceChildren(h("p", { class: "empty" }, problemMessage(error)));
    }
  }
  await load();
  return view;
}

function renderPortfolio(p, reflections, reload) {
  const totals = [["t_reflections", p.totals.reflections], ["t_portfolio", p.totals.portfolio_reflections],
    ["t_questions", p.totals.learning_questions_closed], ["t_intervisie", p.totals.intervisie_attended],
    ["t_brought", p.totals.intervisie_brought_in], ["t_hours", p.totals.intervisie_hours], ["t_casus", p.totals.casusoverleg_attended]];
  const marked = new Set(p.reflections.map((r) => r.id));
  const feedback = p.resident_feedback;
  return [
    h("section", { class: "print-block" }, h("h2", {}, tt("summary")),
      h("p", { class: "meta" }, `${p.period.from} – ${p.period.to}`),
      h("dl", { class: "iv-totals" }, totals.map(([key, value]) => [h("dt", {}, tt(key)), h("dd", {}, String(value))]))),
    h("section", { class: "print-block" }, h("h2", {}, tt("intervisie")), p.intervisie.length
      ? h("ul", { class: "cards" }, p.intervisie.map((s) => h("li", { class: "card" }, `${s.held_on} · ${s.method}`,
        s.theme ? ` · ${s.theme}` : "", s.attended ? ` · ${tt("hours_value", { n: (s.minutes / 60).toLocaleString(language() === "en" ? "en-GB" : "nl-NL", { maximumFractionDigits: 2 }) })}` : "")))
      : h("p", { class: "empty" }, tt("no_sessions"))),
    p.themes_of_the_month.length ? h("section", { class: "print-block" }, h("h2", {}, tt("months_title")),
      h("ul", { class: "cards" }, p.themes_of_the_month.map((m) => h("li", { class: "card" },
        h("p", {}, `${m.month}: ${m.label} · ${tt("month_mine", { n: m.my_contributions })}`),
        m.casusoverleg_on ? attendanceToggle(m, reload) : null)))) : null,
    h("section", { class: "print-block" }, h("h2", {}, tt("feedback_title")),
      h("p", {}, feedback.suppressed ? tt("feedback_suppressed", { k: feedback.k })
        : tt("feedback_avg", { n: feedback.responses, avg: feedback.average ?? "—" }))),
    h("section", {}, h("h2", {}, tt("choose_title")), reflections.length
      ? h("ul", { class: "cards" }, reflections.map((r) => reflectionToggle(r, marked.has(r.id), reload)))
      : h("p", { class: "empty" }, tt("no_reflections"))),
    h("section", { class: "print-block" }, h("h2", {}, tt("registers_title")),
      h("ul", {}, p.registers.map((r) => h("li", {}, h("strong", {}, r.name), `: ${tOr(`intervisie.register_${r.id}_category`, r.category)}. `,
        tt("evidence", { text: tOr(`intervisie.register_${r.id}_evidence`, r.evidence) }))))),
  ];
}

function reflectionToggle(reflection, marked, reload) {
  const box = h("input", { type: "checkbox", checked: marked, onchange: async () => {
    box.disabled = true;
    try {
      await api(`/me/portfolio/reflections/${reflection.id}`, { method: box.checked ? "PUT" : "DELETE" });
      await reload();
    } catch (error) {
      box.checked = !box.checked;
      box.disabled = false;
    }
  } });
  return h("li", { class: "card" },
    h("p", { class: "meta" }, reflection.occurred_at.slice(0, 10)),
    h("p", { class: "text" }, reflection.what_happened),
    h("label", { class: "check no-print" }, box, h("span", {}, tt("in_portfolio"))));
}

function attendanceToggle(month, reload) {
  const box = h("input", { type: "checkbox", checked: month.casusoverleg_attended, onchange: async () => {
    box.disabled = true;
    try {
      await api(`/me/casusoverleg/${month.id}`, { method: box.checked ? "PUT" : "DELETE" });
      await reload();
    } catch (error) {
      box.checked = !box.checked;
      box.disabled = false;
    }
  } });
  return h("label", { class: "check" }, box, h("span", {}, tt("attended", { date: month.casusoverleg_on })));
}
