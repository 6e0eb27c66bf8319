// Het bord: one week on one screen for the Monday bordsessie (laptop or TV at the stand-up), and
// present mode to run the 15 minutes from it. The server applied the k threshold: a suppressed
// cell shows its reason, never a number, and nothing is computed from it here. Decisions are the
// ordinary writes (actions, theme of the month) and go through the outbox like every write.
import { api, events, userId } from "../lib/api.js?v=__VERSION__";
import {
  number, numbersSection, residentsSection, signalsSection, sparkline, suppressed, themesSection, zonesSection,
} from "../lib/digestparts.js?v=__VERSION__";
import { formatWeek, t, themeName, tOr, weekDays } from "../lib/i18n.js?v=__VERSION__";
import { enqueue, entries, sent } from "../lib/outbox.js?v=__VERSION__";
import { emptyState, h, onLeave, problemText, screen } from "../lib/ui.js?v=__VERSION__";

const MEETING_MINUTES = 15;
const ARROWS = { up: "↑", down: "↓", steady: "→" };
const WORDS = { up: "hoger", down: "lager", steady: "gelijk" };
const THEMES_ON_BOARD = 5;

// This screen's texts are the catalogue's "board.*" keys (server/translations/*/LC_MESSAGES/pwa.po).

// A count picks its plural form by values.n (Dutch: collega / collega's).
function tt(key, values = {}) {
  return t(`board.${key}`, values);
}

// -- ISO weeks (UTC arithmetic on dates only) -------------------------------------------------------

const monday = (isoWeek) => weekDays(isoWeek)[0];

function weekOfDate(d) {
  const thursday = new Date(d.getTime() + (4 - (d.getUTCDay() || 7)) * 86400000);
  const start = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday - start) / 86400000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

export function shiftWeek(isoWeek, n) {
  return weekOfDate(new Date(monday(isoWeek).getTime() + n * 7 * 86400000));
}

function friday(isoWeek) {
  return new Date(monday(isoWeek).getTime() + 4 * 86400000).toISOString().slice(0, 10);
}

const weekNo = (isoWeek) => Number(isoWeek.slice(-2));

// -- shared pieces -----------------------------------------------------------------------------------

function trendOf(cell, kind) {
  const trend = cell.trend || {};
  const direction = trend.direction;
  return h("span", { class: "board-trend" },
    direction ? h("span", { class: `trend trend-${direction}` },
      h("span", { "aria-hidden": "true" }, `${ARROWS[direction]} `), WORDS[direction]) : null,
    sparkline(trend.previous || [], cell.value, kind, trend.previous_mean ?? null));
}

function figure(label, cell, kind = "count") {
  if (!cell || cell.suppressed) {
    return h("li", { class: "figure" }, h("span", { class: "figure-label" }, label), suppressed(cell));
  }
  return h("li", { class: "figure" }, h("span", { class: "figure-label" }, label),
    h("span", { class: "figure-value" }, number(cell.value, kind)), cell.trend ? trendOf(cell, kind) : null);
}

function plainCell(label, cell) {
  return h("li", { class: "figure" }, h("span", { class: "figure-label" }, label),
    cell && !cell.suppressed ? h("span", { class: "figure-value" }, number(cell.value, "count")) : suppressed(cell));
}

// Set through the CSSOM: the CSP forbids style attributes.
function barFill(share) {
  const fill = h("span", { class: "theme-bar-fill" });
  fill.style.width = `${Math.round(share * 100)}%`;
  return fill;
}

// All bars on one scale: the largest theme's author count sets the full width, and the scale is
// written under the bars, so 7 is visibly shorter than 11.
function themeBars(items, limit = THEMES_ON_BOARD) {
  const max = Math.max(1, ...items.map((item) => item.authors));
  return [h("ol", { class: "theme-bars" }, items.slice(0, limit).map((item) => h("li", { class: "theme-bar" },
    h("span", { class: "theme-bar-label" }, themeName(item.id, item.label),
      ["new", "rising"].includes(item.trend) ? h("span", { class: `badge badge-${item.trend}` }, tt(item.trend)) : null),
    h("span", { class: "theme-bar-track", "aria-hidden": "true" },
      barFill(item.authors / max)),
    h("span", { class: "theme-bar-count" }, tt("colleagues", { n: item.authors }))))),
  items.length ? h("p", { class: "hint scale" }, tt("scale", { n: max })) : null];
}

function ownerName(action) {
  return action.owner ? action.owner.display_name : tt("owner_none");
}

function actionLine(action) {
  return h("li", { class: `board-action status-${action.status}${action.overdue ? " overdue" : ""}` },
    h("span", { class: "board-action-title" }, action.title),
    h("span", { class: "meta" }, ownerName(action), action.due_week ? ` · ${tt("due", { n: weekNo(action.due_week) })}` : "",
      action.overdue ? ` · ${tt("overdue_n")}` : ""));
}

function effectCard(card) {
  const row = (label, key, format) => h("tr", {}, h("th", { scope: "row" }, label),
    [card.before, card.after].map((period) => h("td", {}, period[key].suppressed ? suppressed(period[key]) : format(period[key]))));
  const share = (cell) => `${number(cell.value, "share")} (${tt("of", cell)})`;
  return h("div", { class: "effect-card" },
    h("p", {}, h("strong", {}, card.theme.label), " — ", card.action.title),
    h("table", { class: "effect" },
      h("thead", {}, h("tr", {}, h("td", {}), h("th", { scope: "col" }, `${tt("before")} (w${weekNo(card.before.weeks[0])}–${weekNo(card.before.weeks[1])})`),
        h("th", { scope: "col" }, `${tt("after")} (w${weekNo(card.after.weeks[0])}–${weekNo(card.after.weeks[1])})`))),
      h("tbody", {},
        row(tt("theme_share"), "theme_share", share),
        row(tt("panic_share"), "panic_share", share),
        row(tt("resident_score"), "resident_score", (cell) => `${number(cell.value, "score")} (${tt("answers", { n: cell.count })})`))),
    h("p", { class: "hint" }, card.caution));
}

function successesBody(successes, { quotes = true } = {}) {
  return [h("ul", { class: "figures" },
    plainCell(tt("worked"), successes.intentions_worked),
    plainCell(tt("compliments"), successes.compliments),
    h("li", { class: "figure" }, h("span", { class: "figure-label" }, tt("done_n")),
      h("span", { class: "figure-value" }, String(successes.actions_done.length)))),
  quotes ? h("p", { class: "hint" }, tt("compliments_hint")) : null,
  quotes ? successes.quotes.map((quote) => h("blockquote", { class: "quote" }, quote)) : null,
  successes.actions_done.length ? h("ul", { class: "plain" }, successes.actions_done.map((a) => h("li", {}, "✓ ", a.title))) : null];
}

function proposalBody(board) {
  const p = board.proposal;
  return [p ? h("div", {}, h("p", {}, h("strong", {}, p.label)), h("p", { class: "reason" }, p.reason),
    p.keepers.length ? h("p", { class: "meta" }, tt("ask", { names: p.keepers.map((k) => k.display_name).join(", ") })) : null)
    : h("p", {}, tt("no_proposal")),
  board.topic.theme_id ? h("p", { class: "meta topic" }, tt("chosen", { month: board.topic.month, label: board.topic.label }), " ✓") : null];
}

function gapsBody(gaps, { why = true } = {}) {
  return gaps.length ? h("ol", { class: "gaps" }, gaps.map((gap) => h("li", {}, h("strong", {}, gap.label),
    why ? h("span", { class: "meta" }, ` — ${gap.why}`) : h("span", { class: "meta" }, ` — ${tt("colleagues", { n: gap.authors })}`))))
    : h("p", {}, tt("no_gaps"));
}

function actionCounts(actions) {
  const carried = actions.carried;
  const open = carried.filter((a) => a.status === "open").length;
  const blocked = carried.filter((a) => a.status === "blocked").length;
  const overdue = carried.filter((a) => a.overdue).length;
  return h("p", { class: "action-counts" },
    h("span", { class: "count" }, h("strong", {}, String(open)), ` ${tt("open_n")}`),
    h("span", { class: "count overdue" }, h("strong", {}, String(overdue)), ` ${tt("overdue_n")}`),
    h("span", { class: "count" }, h("strong", {}, String(blocked)), ` ${tt("blocked_n")}`));
}

// -- the board -------------------------------------------------------------------------------------

export async function boardScreen(teamId, isoWeek) {
  const body = h("div", { class: "board-body" });
  const present = h("a", { class: "button primary no-print", href: `#/bord/${teamId}/${isoWeek}/presenteer`,
    onclick: () => { if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {}); } },
  tt("present"));
  const view = screen({ title: `${tt("board")} · ${formatWeek(isoWeek)}`, back: `#/weekoverzicht/${teamId}/${isoWeek}`,
    extra: h("div", { class: "row no-print board-buttons" }, present,
      h("button", { type: "button", class: "secondary", onclick: () => window.print() }, tt("print"))) }, body);
  view.classList.add("wide", "board-screen");
  let board;
  try {
    board = await api(`/teams/${teamId}/board/${isoWeek}`);
  } catch (error) {
    present.hidden = true;
    body.replaceChildren(emptyState(error.status === 404 ? tt("not_built") : problemText(error)),
      h("a", { class: "more-link", href: `#/weekoverzicht/${teamId}/${isoWeek}` }, tt("to_digest")));
    return view;
  }
  const dialog = h("dialog", { class: "board-detail", "aria-labelledby": "board-detail-title" });
  const open = (title, ...content) => {
    dialog.replaceChildren(h("div", { class: "dialog-head" }, h("h2", { id: "board-detail-title" }, title),
      h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, tt("close"))), ...content);
    dialog.showModal();
  };
  body.replaceChildren(boardGrid(board, open), dialog,
    h("section", { class: "board-more no-print", "aria-labelledby": "board-said" },
      h("h2", { id: "board-said" }, tt("said_did")), h("p", { class: "hint" }, tt("said_did_hint")),
      h("div", { class: "note-forms" }, noteForm(teamId, isoWeek, "medewerkers"), noteForm(teamId, isoWeek, "inwoners"))),
    h("section", { class: "board-more no-print", "aria-labelledby": "board-more" },
      h("h2", { id: "board-more" }, tt("rest")), zonesSection(board.content.learning_zones, board.content.learning_questions)));
  return view;
}

// -- "Jullie zeiden, wij deden": write, let the worker de-identify, look at it, publish --------------

const NOTE_POLL_MS = 1500;
const NOTE_POLL_TRIES = 80;

function noteForm(teamId, isoWeek, audience) {
  const path = `/teams/${teamId}/notes/${audience}/${isoWeek}`;
  const residents = audience === "inwoners";
  const said = residents ? h("textarea", { id: `note-said-${audience}`, rows: "2", maxlength: "500" }) : null;
  const text = h("textarea", { id: `note-text-${audience}`, rows: "3", maxlength: "1000" });
  const status = h("p", { class: "hint", role: "status" });
  const preview = h("div", { class: "note-preview" });
  const publish = h("button", { type: "button", class: "primary", hidden: true }, tt("publish"));
  let timer = null;
  onLeave(() => clearTimeout(timer));

  const show = (note) => {
    if (said) said.value = note.said;
    text.value = note.text;
    status.textContent = tt(`note_${note.status}`);
    publish.hidden = note.status !== "ready";
    preview.replaceChildren(note.text_deidentified === null ? "" : h("div", { class: "panel calm" },
      h("p", { class: "meta" }, tt("preview")),
      residents ? h("p", {}, h("strong", {}, "U zei: "), note.said_deidentified) : null,
      h("p", {}, residents ? h("strong", {}, "Wij doen: ") : null, note.text_deidentified)));
  };
  const poll = (tries = 0) => {
    timer = setTimeout(async () => {
      try {
        const note = await api(path);
        if (note.status !== "reviewing") return show(note);
      } catch (error) {
        status.textContent = problemText(error);
        return null;
      }
      if (tries < NOTE_POLL_TRIES) poll(tries + 1);
      return null;
    }, NOTE_POLL_MS);
  };
  const form = h("form", { class: "note-form", onsubmit: async (event) => {
    event.preventDefault();
    try {
      const note = await api(path, { method: "PUT", body: residents ? { said: said.value, text: text.value } : { text: text.value } });
      show(note);
      if (note.status === "reviewing") poll();
    } catch (error) {
      status.textContent = problemText(error);
    }
  } },
  h("h3", {}, tt(residents ? "note_residents" : "note_team")),
  residents ? [h("label", { for: said.id }, tt("note_said")), said] : null,
  h("label", { for: text.id }, tt(residents ? "note_did" : "note_text")), text,
  h("div", { class: "row" }, h("button", { type: "submit", class: "secondary" }, tt("note_save")), publish),
  status, preview);
  publish.addEventListener("click", async () => {
    try {
      show(await api(`${path}/publish`, { method: "POST", body: {} }));
    } catch (error) {
      status.textContent = problemText(error);
    }
  });
  api(path).then((note) => { show(note); if (note.status === "reviewing") poll(); }).catch(() => {});
  return form;
}

function boardTile(key, title, open, detail, ...content) {
  // The title is the button that opens the detail (keyboard, screen reader); the whole tile is the
  // target for a mouse or a finger.
  const show = (event) => { event.stopPropagation(); open(title, ...detail()); };
  return h("section", { class: `board-tile tile-${key}`, onclick: show },
    h("h2", { class: "tile-head" }, h("button", { type: "button", class: "tile-open", "aria-haspopup": "dialog", onclick: show },
      title, h("span", { class: "chevron", "aria-hidden": "true" }, " ›"))), content);
}

function boardGrid(board, open) {
  const c = board.content;
  const n = c.numbers;
  const themes = (c.themes && c.themes.items) || [];
  const carried = board.actions.carried;
  const firstActions = [...carried.filter((a) => a.overdue), ...carried.filter((a) => !a.overdue && a.status !== "done")].slice(0, 3);
  const signals = c.signals.items;
  const previous = board.actions.previous_decisions;
  return h("div", { class: "board" },
    boardTile("numbers", tt("numbers"), open, () => [numbersSection(n)],
      h("ul", { class: "figures" },
        figure(tt("fig_reflections"), n.reflections), figure(tt("fig_visit_share"), n.visit_share, "share"),
        figure(tt("fig_active"), n.active_medewerkers), figure(tt("fig_responses"), n.feedback_responses))),
    boardTile("themes", tt("themes"), open, () => [themesSection(c.themes)],
      themes.length ? themeBars(themes) : h("p", {}, tt("no_themes"))),
    boardTile("successes", tt("successes"), open, () => successesBody(board.successes), successesBody(board.successes, { quotes: false })),
    boardTile("signals", tt("signals"), open, () => [signalsSection(c.signals)],
      signals.length ? h("ul", { class: "plain" }, signals.slice(0, 3).map((s) => h("li", {}, h("strong", {}, s.term), ` — ${tt("colleagues", { n: s.authors })}`)))
        : h("p", {}, tt("no_signals"))),
    boardTile("residents", tt("residents"), open, () => [residentsSection(c.residents)],
      h("ul", { class: "figures" }, figure(tt("fig_answers"), c.residents.responses),
        Object.entries(c.residents.scores || {}).map(([key, score]) => figure(tOr(`wmo_${key}`, score.label), score, "score")))),
    boardTile("actions", tt("actions"), open, () => [actionCounts(board.actions), h("ul", { class: "plain board-actions" }, carried.map(actionLine)),
      previous.length ? [h("h3", {}, tt("previous_decisions")), h("ul", { class: "plain board-actions" }, previous.map(actionLine))] : null],
    actionCounts(board.actions),
    previous.length ? h("p", { class: "meta" }, tt("previous_n", { n: previous.length })) : null,
    h("ul", { class: "plain board-actions" }, firstActions.map(actionLine))),
    boardTile("proposal", tt("proposal"), open, () => [...proposalBody(board), gapsBody(board.gaps)], proposalBody(board)),
    boardTile("effects", tt("effects"), open, () => (board.effects.length ? board.effects.map(effectCard) : [h("p", {}, tt("no_effects"))]),
      board.effects.length ? board.effects.slice(0, 1).map((card) => h("p", {}, h("strong", {}, card.theme.label),
        h("span", { class: "effect-action" }, " — ", card.action.title)))
        : h("p", { class: "meta" }, tt("no_effects"))),
    boardTile("gaps", tt("gaps"), open, () => [gapsBody(board.gaps)], gapsBody(board.gaps, { why: false })));
}

// -- present mode ------------------------------------------------------------------------------------

export async function presentScreen(teamId, isoWeek) {
  let board;
  try {
    board = await api(`/teams/${teamId}/board/${isoWeek}`);
  } catch (error) {
    return screen({ title: tt("board"), back: `#/bord/${teamId}/${isoWeek}` }, emptyState(problemText(error)));
  }
  const meetingWeek = shiftWeek(isoWeek, 1);
  const steps = ["actions", "successes", "themes", "residents", "decisions"];
  let index = 0;
  const title = h("h1", { tabindex: "-1" });
  const counter = h("span", { class: "present-step" });
  const clock = h("span", { class: "present-timer", role: "timer", "aria-live": "off" });
  const stage = h("div", { class: "present-stage" });
  const status = h("p", { class: "present-status", role: "status" });
  const prev = h("button", { type: "button", class: "secondary", onclick: () => go(index - 1) }, `‹ ${tt("prev")}`);
  const next = h("button", { type: "button", class: "primary", onclick: () => go(index + 1) }, `${tt("next")} ›`);
  const stop = () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    location.hash = `#/bord/${teamId}/${isoWeek}`;
  };
  const view = h("div", { class: "present" },
    h("header", { class: "present-bar" }, title, counter, clock,
      h("button", { type: "button", class: "secondary", onclick: stop }, tt("stop"))),
    stage, status,
    h("footer", { class: "present-nav" }, prev, h("span", { class: "hint" }, tt("keys")), next));

  // 15 minutes from the first opening of this week's session on this device.
  const key = `leerlus:present:${teamId}:${isoWeek}`;
  const started = Number(sessionStorage.getItem(key)) || Date.now();
  sessionStorage.setItem(key, String(started));
  const tick = () => {
    const left = Math.max(0, MEETING_MINUTES * 60 - Math.floor((Date.now() - started) / 1000));
    clock.textContent = left ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : tt("time_up");
    clock.classList.toggle("late", left <= 120);
  };
  tick();
  const timer = setInterval(tick, 1000);

  const onKey = (event) => {
    if (event.target.closest && event.target.closest("input, select, textarea, dialog")) return;
    if (["ArrowRight", "PageDown", " "].includes(event.key)) { event.preventDefault(); go(index + 1); }
    else if (["ArrowLeft", "PageUp"].includes(event.key)) { event.preventDefault(); go(index - 1); }
    else if (event.key === "Escape" && !document.fullscreenElement) stop();
  };
  document.addEventListener("keydown", onKey);
  // What the outbox did with this session's decisions: all sent, or one refused (with the reason).
  const showSent = async () => {
    if (!pendingKeys.size) return;
    const failed = (await entries()).find((entry) => pendingKeys.has(entry.key) && entry.state === "failed");
    if (failed) status.textContent = tt("failed", { reason: (failed.problem && failed.problem.detail) || "" });
    else if ([...pendingKeys].every((k) => sent.has(k))) status.textContent = tt("sent");
  };
  const pendingKeys = new Set();
  events.addEventListener("outbox", showSent);
  onLeave(() => {
    clearInterval(timer);
    document.removeEventListener("keydown", onKey);
    events.removeEventListener("outbox", showSent);
  });

  const write = async (kind, method, url, bodyData, extra = {}) => {
    const entry = await enqueue(kind, method, url, bodyData, extra);
    pendingKeys.add(entry.key);
    status.textContent = sent.has(entry.key) ? tt("sent") : tt("saved_local");
    showSent();
  };

  const ctx = { board, teamId, isoWeek, meetingWeek, write, rerender: () => go(index),
    shift: (due) => weekOfDate(new Date(`${due}T12:00:00Z`)) };
  function go(to) {
    index = Math.max(0, Math.min(steps.length - 1, to));
    title.textContent = tt(`step_${steps[index]}`);
    counter.textContent = tt("step_of", { i: index + 1, n: steps.length });
    prev.disabled = index === 0;
    next.disabled = index === steps.length - 1;
    stage.replaceChildren(...STEPS[steps[index]](ctx));
  }
  go(0);
  return view;
}

function actionControls(ctx, action) {
  const patch = async (change) => {
    Object.assign(action, change);
    if (change.due) action.due_week = ctx.shift(change.due);
    await ctx.write("action", "PATCH", `/api/v1/actions/${action.id}`, change, { title: action.title });
    ctx.rerender();
  };
  if (action.status === "done") {
    return h("span", { class: "row" }, h("button", { type: "button", class: "secondary", onclick: () => patch({ status: "open" }) }, tt("reopen")));
  }
  const later = shiftWeek(action.due_week && action.due_week > ctx.meetingWeek ? action.due_week : ctx.meetingWeek, 1);
  return h("span", { class: "row" },
    h("button", { type: "button", class: "primary", onclick: () => patch({ status: "done" }) }, tt("mark_done")),
    action.status === "blocked"
      ? h("button", { type: "button", class: "secondary", onclick: () => patch({ status: "open" }) }, tt("reopen"))
      : h("button", { type: "button", class: "secondary", onclick: () => patch({ status: "blocked" }) }, tt("mark_blocked")),
    h("button", { type: "button", class: "secondary", onclick: () => { action.due_week = later; patch({ due: friday(later) }); } },
      `${tt("replan")} (w${weekNo(later)})`));
}

function presentAction(ctx, action) {
  return h("li", { class: `present-action status-${action.status}` },
    h("div", {}, h("p", { class: "present-action-title" }, action.title),
      h("p", { class: "meta" }, ownerName(action), action.due_week ? ` · ${tt("due", { n: weekNo(action.due_week) })}` : "",
        action.overdue && action.status !== "done" ? ` · ${tt("overdue_n")}` : "")),
    actionControls(ctx, action));
}

// A new action in two taps: "+ Actie" opens this form with a title, an owner (the theme's keeper
// if there is one) and next week filled in; "Opslaan" saves it through the outbox.
function newActionForm(ctx, { title, themeId = null, keepers = [] }) {
  const form = h("form", { class: "present-form" });
  const titleInput = h("input", { type: "text", value: title, maxlength: "300", required: true, id: "na-title" });
  const owner = h("select", { id: "na-owner" }, ctx.board.members.map((m) => h("option", { value: m.id }, m.display_name)));
  const defaultOwner = (keepers[0] && keepers[0].id) || userId();
  if (defaultOwner && ctx.board.members.some((m) => m.id === defaultOwner)) owner.value = defaultOwner;
  const due = h("select", { id: "na-due" }, [1, 2, 3, 4].map((n) => {
    const week = shiftWeek(ctx.meetingWeek, n - 1);
    return h("option", { value: week }, n === 1 ? tt("due_this_week", { n: weekNo(week) }) : t("week_n", { n: weekNo(week) }));
  }));
  due.value = shiftWeek(ctx.meetingWeek, 1);
  form.append(
    h("label", { for: "na-title" }, tt("action_title")), titleInput,
    h("div", { class: "row" },
      h("span", {}, h("label", { for: "na-owner" }, tt("action_owner")), owner),
      h("span", {}, h("label", { for: "na-due" }, tt("action_due")), due)),
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, tt("save")),
      h("button", { type: "button", class: "secondary", onclick: () => form.remove() }, tt("cancel"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const clientId = crypto.randomUUID();
    const person = ctx.board.members.find((m) => m.id === owner.value);
    const action = { id: clientId, title: titleInput.value.trim(), status: "open", owner: person || null,
      due_week: due.value, theme_id: themeId, overdue: false };
    if (!action.title) return;
    ctx.board.actions.decided.push(action);
    await ctx.write("action", "POST", "/api/v1/actions", {
      client_id: clientId, team_id: ctx.teamId, title: action.title, owner_id: owner.value, due: friday(due.value),
      digest_id: ctx.board.digest_id, theme_id: themeId,
    }, { title: action.title });
    ctx.rerender();
  });
  setTimeout(() => titleInput.focus(), 0);
  return form;
}

function addButton(ctx, holder, options) {
  return h("button", { type: "button", class: "secondary add-action", onclick: () => {
    holder.querySelectorAll(".present-form").forEach((f) => f.remove());
    holder.append(newActionForm(ctx, options));
  } }, tt("add_action"));
}

function decidedList(ctx) {
  const decided = ctx.board.actions.decided;
  return h("div", { class: "decided" }, h("h2", {}, tt("decided")),
    decided.length ? h("ul", { class: "plain" }, decided.map((a) => h("li", {}, "• ", a.title, h("span", { class: "meta" },
      ` — ${ownerName(a)} · ${tt("due", { n: weekNo(a.due_week) })}`)))) : h("p", { class: "meta" }, tt("none_yet")));
}

const STEPS = {
  actions(ctx) {
    const carried = ctx.board.actions.carried;
    const group = (key, items) => h("section", { class: "present-group" }, h("h2", {}, `${tt(key)} (${items.length})`),
      items.length ? h("ul", { class: "plain present-actions" }, items.map((a) => presentAction(ctx, a))) : h("p", { class: "meta" }, tt("none_yet")));
    return [
      group("done", carried.filter((a) => a.status === "done")),
      group("still_open", carried.filter((a) => a.status === "open")),
      group("blocked", carried.filter((a) => a.status === "blocked")),
      ctx.board.effects.length ? h("section", { class: "present-group" }, h("h2", {}, tt("effects")), ctx.board.effects.map(effectCard)) : null,
    ];
  },
  successes(ctx) {
    return [h("div", { class: "present-successes" }, successesBody(ctx.board.successes))];
  },
  themes(ctx) {
    const items = (ctx.board.content.themes && ctx.board.content.themes.items) || [];
    const max = Math.max(1, ...items.map((item) => item.authors));
    const list = h("ol", { class: "present-themes" }, items.map((item) => {
      const li = h("li", { class: "present-theme" });
      li.append(
        h("div", { class: "theme-bar" },
          h("span", { class: "theme-bar-label" }, themeName(item.id, item.label),
            ["new", "rising"].includes(item.trend) ? h("span", { class: `badge badge-${item.trend}` }, tt(item.trend)) : null),
          h("span", { class: "theme-bar-track", "aria-hidden": "true" },
            barFill(item.authors / max)),
          h("span", { class: "theme-bar-count" }, tt("colleagues", { n: item.authors })),
          addButton(ctx, li, { title: `${themeName(item.id, item.label)}: `, themeId: item.id,
            keepers: ctx.board.proposal && ctx.board.proposal.theme_id === item.id ? ctx.board.proposal.keepers : [] })),
        ...item.quotes.map((quote) => h("div", { class: "present-quote" }, h("blockquote", { class: "quote" }, quote),
          addButton(ctx, li, { title: tt("following_up", { quote: quote.slice(0, 80) }), themeId: item.id }))));
      return li;
    }));
    const signals = ctx.board.content.signals.items;
    const signalList = h("ul", { class: "plain present-signals" }, signals.map((s) => {
      const li = h("li", {}, h("strong", {}, `${tt("signal")}: ${s.term}`), ` — ${tt("colleagues", { n: s.authors })} `);
      li.append(addButton(ctx, li, { title: tt("look_into", { term: s.term }) }));
      return li;
    }));
    return [items.length ? list : h("p", {}, tt("no_themes")), signals.length ? signalList : null];
  },
  residents(ctx) {
    const r = ctx.board.content.residents;
    return [h("ul", { class: "figures present-figures" }, figure(tt("fig_answers"), r.responses),
      Object.entries(r.scores || {}).map(([key, score]) => figure(tOr(`wmo_${key}`, score.label), score, "score"))),
    r.themes.length ? h("ul", { class: "plain" }, r.themes.map((item) => {
      const li = h("li", {}, h("strong", {}, themeName(item.id, item.label)), ` — ${tt("mentioned", { n: item.mentions })} `);
      li.append(addButton(ctx, li, { title: `${themeName(item.id, item.label)}: `, themeId: null }));
      return li;
    })) : null];
  },
  decisions(ctx) {
    const board = ctx.board;
    const choose = async (themeId, label) => {
      board.topic = { ...board.topic, theme_id: themeId, label };
      await ctx.write("theme-of-the-month", "PUT", `/api/v1/teams/${ctx.teamId}/theme-of-the-month`,
        { theme_id: themeId, month: board.topic.month });
      ctx.rerender();
    };
    const picker = h("select", { id: "topic-other" }, board.themes.map((t) => h("option", { value: t.id }, t.label)));
    if (board.topic.theme_id) picker.value = board.topic.theme_id;
    const p = board.proposal;
    return [
      h("section", { class: "present-group" }, h("h2", {}, tt("proposal")), proposalBody(board),
        p && board.topic.theme_id !== p.theme_id
          ? h("button", { type: "button", class: "primary", onclick: () => choose(p.theme_id, p.label) },
            tt("choose_this", { label: p.label })) : null,
        h("div", { class: "row" }, h("label", { for: "topic-other" }, tt("other_topic")), picker,
          h("button", { type: "button", class: "secondary", onclick: () => {
            const option = picker.selectedOptions[0];
            choose(option.value, option.textContent);
          } }, tt("choose_topic")))),
      decidedList(ctx),
      h("section", { class: "present-group" }, h("h2", {}, tt("gaps")), gapsBody(board.gaps)),
      board.actions.previous_decisions.length ? h("section", { class: "present-group" }, h("h2", {}, tt("previous_decisions")),
        h("ul", { class: "plain" }, board.actions.previous_decisions.map(actionLine))) : null,
    ];
  },
};
