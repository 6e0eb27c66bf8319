// A micro-reflection in under a minute: four prompts (only the first required), quick taps,
// theme chips, privacy. Typing is kept on the device as you go; Opslaan puts it in the outbox.
import {
  api, currentTeam, events, forgetDraft, keepDraft, keptDraft, myTeams, teamIdForWrites, userId, userKey,
} from "../lib/api.js?v=__VERSION__";
import { t } from "../lib/i18n.js?v=__VERSION__";
import { enqueue, sent } from "../lib/outbox.js?v=__VERSION__";
import { acknowledgeSafety, safetyPanel, themeList } from "../lib/safety.js?v=__VERSION__";
import { teamPicker } from "../lib/teampicker.js?v=__VERSION__";
import {
  afterPaint, announce, autoGrow, debounce, field, h, isoNow, onLeave, screen, showFieldErrors, uid,
} from "../lib/ui.js?v=__VERSION__";

const store = self.leerlusStore;
const PROMPTS = [
  ["what_happened", "q_what"],
  ["noticed", "q_noticed"],
  ["why", "q_why"],
  ["next_time", "q_next"],
];
const ZONES = ["comfort", "learning", "panic"];
const KINDS = ["huisbezoek", "telefonisch", "op-kantoor", "wijk"];
const MAX_SUGGESTIONS = 5;

function freshState() {
  return {
    client_id: crypto.randomUUID(),
    occurred_at: isoNow(),
    what_happened: "", noticed: "", why: "", next_time: "",
    learning_zone: null, energy: null, visit_kind: null, visit_client_id: crypto.randomUUID(),
    visibility: "private", previous_intention_outcome: null, intention_skipped: false,
    chips: [], // {id, label, origin: "suggested" | "author", confirmed, matched}
    dismissed: [], // suggestions the author switched off: never suggested again in this reflection
    team_id: currentTeam() && currentTeam().id, // where it goes (shown in the form when there are several)
  };
}

function requestBody(state) {
  const body = {
    client_id: state.client_id,
    occurred_at: state.occurred_at,
    what_happened: state.what_happened.trim(),
    noticed: state.noticed.trim(),
    why: state.why.trim(),
    next_time: state.next_time.trim(),
    learning_zone: state.learning_zone,
    energy: state.energy,
    themes: state.chips.map((c) => c.id),
    suggested: state.chips.filter((c) => c.origin === "suggested").map((c) => c.id),
    visibility: state.visibility,
    previous_intention_outcome: state.previous_intention_outcome,
    team_id: teamIdForWrites(state.team_id),
  };
  if (state.visit_id) body.visit_id = state.visit_id;
  else if (state.visit_kind) {
    body.visit = { client_id: state.visit_client_id, occurred_at: state.occurred_at, kind: state.visit_kind };
  }
  return body;
}

// The worker explains a theme found without any matching word by the nearest training phrase, marked
// with server/themes/semantic.py's SIMILAR_PREFIX (Dutch, stored as such): said here in the reader's
// language.
const SIMILAR_PREFIX = "lijkt op: ";
const evidence = (word) => (word.startsWith(SIMILAR_PREFIX) ? t("similar_to", { text: word.slice(SIMILAR_PREFIX.length) }) : word);

// How far back an unanswered intention is still asked about ("Gelukt?").
const INTENTION_LOOKBACK = 20;

// The most recent open intention in own reflections, newest first: the newest one with a "next
// time" text, unless a reflection in between answered "Gelukt?" (that answer closed what came before).
export function openIntention(items) {
  for (const item of items) {
    if (item.next_time && item.next_time.trim()) return item;
    if (item.previous_intention_outcome) return null;
  }
  return null;
}

// #/nieuw (a draft, or a fresh reflection), #/nieuw/<client_id> (fix one the server refused) and
// #/nieuw/bezoek/<visit_id> (from a nudge: the reflection belongs to that logged visit).
export async function reflectScreen(entryKey, visitId = null) {
  // Kept on the device (api.js keptDraft): the form opens without waiting for its database.
  const draftKey = userKey("reflection");
  let state;
  let problem = null;
  let restored = false;
  const entry = entryKey ? await store.get("outbox", entryKey) : null;
  if (entry) {
    state = entry.ui_state;
    problem = entry.problem;
  }
  if (!state) {
    const draft = await keptDraft(draftKey);
    restored = Boolean(draft && draft.state.what_happened);
    state = draft ? draft.state : freshState();
    if (visitId) Object.assign(state, { visit_id: visitId, visit_kind: null });
  }
  // A draft from before the team choice (or for a team left since): the team picked now.
  if (!myTeams().some((team) => team.id === state.team_id)) state.team_id = currentTeam() && currentTeam().id;

  // A refused reflection being fixed lives in its outbox entry; only a new one is a draft.
  // After Opslaan the text lives in the outbox: a late draft write (typing, a suggestion answer
  // still on its way) would bring the saved reflection back as a draft.
  let submitted = false;
  const saveDraft = debounce(() => submitted || keepDraft(draftKey, state), 250);
  const changed = () => {
    if (!entry && !submitted) saveDraft();
  };

  let safetyHint = null; // what the suggestion service saw; the server decides again on receipt
  const errorSummary = h("p", { class: "error-summary", role: "alert", hidden: true });
  const chipsEl = h("div", { class: "chips" });
  const whyEl = h("p", { class: "hint", "aria-live": "polite" });
  const themesHint = h("p", { class: "hint" }, navigator.onLine ? t("themes_hint") : t("themes_offline"));

  // 1. Closing the loop: the most recent intention nobody answered yet (not only the newest reflection's).
  const intentionArea = h("div");
  if (!state.intention_skipped && !state.previous_intention_outcome) {
    // After the form's first frame: starting its request costs a slow phone's main thread too.
    afterPaint(() => intentionCard().then((card) => card && intentionArea.replaceChildren(card)));
  }

  async function intentionCard() {
    const key = userKey("intention");
    try {
      const latest = await api(`/reflections?page_size=${INTENTION_LOOKBACK}`);
      const open = openIntention(latest.items);
      await store.put("kv", { key, text: open ? open.next_time : "", id: open ? open.id : null });
    } catch (error) {
      // Offline: the open intention the device saw last time, with what was written since (below).
    }
    // Reflections still on the phone are newer than anything the server listed: they come first.
    const local = (await store.pending(userId()))
      .filter((item) => item.kind === "reflection" && item.key !== entryKey)
      .map((item) => item.body).reverse();
    const saved = await store.get("kv", key);
    const open = openIntention([...local, ...(saved && saved.text ? [{ next_time: saved.text }] : [])]);
    if (!open) return null;
    const values = ["ja", "deels", "nee"];
    const buttons = values.map((value) => h("button", {
      type: "button", class: "secondary", "aria-pressed": String(state.previous_intention_outcome === value),
      onclick: () => {
        state.previous_intention_outcome = value;
        for (const b of buttons) b.setAttribute("aria-pressed", String(b === buttons[values.indexOf(value)]));
        changed();
      },
    }, t(`outcome_${value}`)));
    return h("section", { class: "panel intention" },
      h("p", {}, t("previous_intention", { text: open.next_time.trim() })),
      h("div", { class: "outcomes", role: "group", "aria-label": t("intention_outcome_label") }, buttons),
      h("div", { class: "intention-skip" },
        h("button", { type: "button", class: "link", onclick: () => {
          state.intention_skipped = true;
          state.previous_intention_outcome = null;
          intentionArea.replaceChildren();
          changed();
        } }, t("skip"))),
      h("p", { class: "error", hidden: true, "data-error-for": "previous_intention_outcome" }));
  }

  // 2–3. The four prompts as a short guided sequence.
  const prompts = PROMPTS.map(([name, label], index) => {
    const control = autoGrow(h("textarea", {
      name, rows: index === 0 ? "3" : "2", maxlength: "2000", value: state[name],
      required: index === 0, enterkeyhint: "next",
      oninput: (event) => {
        state[name] = event.target.value;
        changed();
        suggestSoon();
      },
    }));
    return h("div", { class: "prompt" },
      h("span", { class: "step-no", "aria-hidden": "true" }, String(index + 1)),
      field({ label: t(label), control, name, optional: index > 0, hint: index === 0 ? t("q_what_hint") : null }));
  });

  // Several teams: the team the reflection goes to is on screen before Opslaan.
  const teamField = teamPicker({ value: state.team_id, hint: t("team_hint_reflection"), onchange: (teamId) => {
    state.team_id = teamId;
    changed();
    suggestSoon(); // team themes differ per team
  } });

  // 4. Quick taps.
  const radios = (name, values, current, render, onpick) => {
    const group = uid(name);
    return values.map((value) => h("label", { class: `choice choice-${name}` },
      h("input", { type: "radio", name: group, value: String(value), checked: current === value,
        onchange: () => { onpick(value); changed(); } }),
      render(value)));
  };
  // 4–6. Below the prompts, and below the first screenful on a phone: built once the prompts are
  // on screen, so that a slow phone's first frame builds and lays out only what it shows (issue #24).
  function lowerPart() {
    const kindSet = h("fieldset", { class: "choices kinds", hidden: Boolean(state.visit_id) },
      h("legend", {}, t("contact_kind")),
      h("p", { class: "hint" }, t("contact_hint")),
      radios("kind", [null, ...KINDS], state.visit_kind,
        (k) => h("span", { class: "choice-title" }, t(k ? `kind_${k}` : "kind_none")),
        (k) => { state.visit_kind = k; }),
      h("p", { class: "error", hidden: true, "data-error-for": "visit" }));
    const zoneSet = h("fieldset", { class: "choices zones" },
      h("legend", {}, t("zone")),
      radios("zone", ZONES, state.learning_zone,
        (z) => [h("span", { class: "choice-title" }, t(`zone_${z}`)), h("span", { class: "choice-hint" }, t(`zone_${z}_hint`))],
        (z) => { state.learning_zone = z; }),
      h("p", { class: "error", hidden: true, "data-error-for": "learning_zone" }));
    const energySet = h("fieldset", { class: "choices energy" },
      h("legend", {}, t("energy")),
      h("div", { class: "dots" },
        h("span", { class: "dots-end", "aria-hidden": "true" }, t("energy_low")),
        radios("energy", [1, 2, 3, 4, 5], state.energy,
          (n) => [h("span", { class: "dot", "aria-hidden": "true" }), h("span", { class: "visually-hidden" }, t("energy_n", { n }))],
          (n) => { state.energy = n; }),
        h("span", { class: "dots-end", "aria-hidden": "true" }, t("energy_high"))),
      h("p", { class: "error", hidden: true, "data-error-for": "energy" }));
    renderChips();
    // 6. Visibility.
    const sentence = h("p", { class: "hint", id: uid("vis"), "aria-live": "polite" });
    const setSentence = () => { sentence.textContent = t(state.visibility === "team" ? "share_sentence" : "privacy_sentence"); };
    setSentence();
    const toggle = h("input", { type: "checkbox", role: "switch", checked: state.visibility === "team",
      "aria-describedby": sentence.id,
      onchange: (event) => { state.visibility = event.target.checked ? "team" : "private"; setSentence(); changed(); } });
    return [
      kindSet,
      zoneSet,
      energySet,
      h("section", { class: "themes", "aria-labelledby": "themes-label" },
        h("h2", { id: "themes-label" }, t("themes")), themesHint, chipsEl, whyEl,
        h("p", { class: "error", hidden: true, "data-error-for": "themes" })),
      h("div", { class: "switch-row" },
        h("label", { class: "switch" }, toggle, h("span", {}, t("share_team"))),
        sentence),
      dialog,
    ];
  }

  // 5. Theme chips.
  function renderChips() {
    chipsEl.replaceChildren(
      ...state.chips.map((chip) => h("button", {
        type: "button", class: `chip ${chip.confirmed ? "" : "chip-suggested"}`, "aria-pressed": "true",
        onclick: () => tapChip(chip),
      }, chip.label, chip.confirmed ? null : h("span", { class: "chip-tag" }, ` ${t("suggestion")}`))),
      h("button", { type: "button", class: "chip chip-add", "aria-label": t("add_theme"), onclick: openThemeList }, "+"));
  }

  function tapChip(chip) {
    if (!chip.confirmed) {
      chip.confirmed = true;
      whyEl.textContent = chip.matched && chip.matched.length ? `${chip.label}: ${t("recognised_by", { words: chip.matched.map(evidence).join(", ") })}` : "";
    } else {
      state.chips = state.chips.filter((c) => c !== chip);
      if (chip.origin === "suggested") state.dismissed.push(chip.id);
      whyEl.textContent = "";
    }
    renderChips();
    changed();
  }

  const suggestSoon = debounce(async () => {
    const text = PROMPTS.map(([name]) => state[name]).join("\n").trim();
    if (text.length < 12) return;
    let answer;
    try {
      answer = await api("/themes/suggest", { method: "POST", body: { text, team_id: teamIdForWrites(state.team_id) } });
    } catch (error) {
      themesHint.textContent = error.status === 0 ? t("themes_offline") : t("themes_hint");
      return;
    }
    themesHint.textContent = t("themes_hint");
    safetyHint = answer.safety_signal || null;
    const fresh = answer.items.filter((item) => !state.dismissed.includes(item.id)).slice(0, MAX_SUGGESTIONS);
    // Unconfirmed suggestions follow the text; what the author confirmed or added stays.
    state.chips = state.chips.filter((c) => c.confirmed || fresh.some((item) => item.id === c.id));
    for (const item of fresh) {
      const existing = state.chips.find((c) => c.id === item.id);
      if (existing) existing.matched = item.matched;
      else state.chips.push({ id: item.id, label: item.label, origin: "suggested", confirmed: false, matched: item.matched });
    }
    renderChips();
    changed();
  }, 700);

  const dialog = h("dialog", { class: "sheet", "aria-labelledby": "themes-title" });
  async function openThemeList() {
    const items = (await themeList(state.team_id)).filter((item) => item.group !== "ervaring");
    const chosen = new Set(state.chips.map((c) => c.id));
    const groups = [...new Set(items.map((item) => item.group))];
    const form = h("form", { method: "dialog" },
      h("h2", { id: "themes-title" }, t("all_themes")),
      items.length ? null : h("p", {}, t("needs_network")),
      groups.map((group) => h("fieldset", { class: "theme-group" },
        h("legend", {}, t(`group_${group}`)),
        items.filter((item) => item.group === group).map((item) => h("label", { class: "check" },
          h("input", { type: "checkbox", value: item.id, checked: chosen.has(item.id) }), item.label)))),
      h("div", { class: "bottom" }, h("button", { class: "primary big", value: "ok" }, t("done"))));
    dialog.replaceChildren(form);
    dialog.onclose = () => {
      const picked = [...form.querySelectorAll("input:checked")].map((input) => input.value);
      state.chips = state.chips.filter((c) => picked.includes(c.id));
      for (const id of picked) {
        const chip = state.chips.find((c) => c.id === id);
        if (chip) chip.confirmed = true;
        else state.chips.push({ id, label: items.find((i) => i.id === id).label, origin: "author", confirmed: true, matched: [] });
      }
      renderChips();
      changed();
    };
    dialog.showModal();
  }

  const form = h("form", { id: "reflect-form", novalidate: true },
    errorSummary,
    restored ? h("p", { class: "notice" }, t("draft_restored")) : null,
    teamField,
    intentionArea,
    prompts);

  const saveButton = h("button", { type: "submit", class: "primary big", form: "reflect-form" }, t("save"));
  const view = screen({ title: t("new_reflection"), bottom: saveButton }, form);

  if (problem) {
    // A refused reflection: its errors may belong to any field, so the whole form at once.
    form.append(...lowerPart());
    showProblem(problem);
  } else {
    afterPaint(() => form.append(...lowerPart()));
  }

  function showProblem(p) {
    const placed = showFieldErrors(form, p);
    errorSummary.hidden = false;
    errorSummary.textContent = placed ? t("check_fields") : (p.detail || t("error_generic"));
    // Straight to the first field to fix (after the form is on screen).
    requestAnimationFrame(() => {
      const invalid = form.querySelector("[aria-invalid]");
      if (invalid) invalid.focus();
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!state.what_happened.trim()) {
      showProblem({ errors: { what_happened: [t("required_what")] } });
      form.querySelector("textarea").focus();
      return;
    }
    saveButton.disabled = true;
    submitted = true;
    suggestSoon.cancel();
    // The UI state travels with the entry so a refused reflection reopens exactly as it was typed.
    const queued = await enqueue("reflection", "POST", "/api/v1/reflections", requestBody(state), { ui_state: state });
    if (!entry) forgetDraft(draftKey);
    view.replaceWith(savedScreen(queued, state, safetyHint));
  });

  return view;
}

// After Opslaan: on the phone → Verzonden ✓; then the next step (feedback) and, if needed, the meldcode.
function savedScreen(entry, state, safetyHint) {
  const status = h("p", { class: "sync sync-pending big-status", role: "status" }, t("saved_device"));
  const next = h("div", { class: "stack" }, state.visit_kind ? h("p", { class: "hint" }, t("no_visit_yet")) : null);
  const safetyArea = h("div");
  if (safetyHint) safetyArea.replaceChildren(safetyPanel(state.team_id));

  const update = async () => {
    let body = sent.get(entry.key);
    const stored = body ? null : await store.get("outbox", entry.key);
    // Gone from the device without an answer heard here: another sender (the service worker, another
    // tab) delivered it, and an entry only leaves the outbox once the server has it.
    if (!body && !stored) body = {};
    if (body) {
      status.textContent = t("sent");
      status.className = "sync sync-sent big-status";
      announce(t("sent"));
      if (body.safety_signal) {
        if (!safetyHint) safetyArea.replaceChildren(safetyPanel(state.team_id));
        // Read here: the start screen need not remind of it again.
        acknowledgeSafety(body.id);
      }
      next.replaceChildren(body.visit_id
        ? h("a", { class: "button secondary big", href: `#/feedback/${body.visit_id}` }, t("ask_resident"))
        : "");
      events.removeEventListener("outbox", update);
      return;
    }
    if (stored.state === "failed") {
      events.removeEventListener("outbox", update);
      // Back into the form, with the server's words next to the fields.
      view.replaceWith(await reflectScreen(entry.key));
    }
  };
  events.addEventListener("outbox", update);
  onLeave(() => events.removeEventListener("outbox", update));

  const team = myTeams().length > 1 && myTeams().find((item) => item.id === entry.body.team_id);
  const view = screen({ title: t("saved_title"), bottom: h("a", { class: "button primary big", href: "#/" }, t("to_home")) },
    status,
    team ? h("p", { class: "meta" }, `${t("team_label")}: ${team.name}`) : null,
    next,
    safetyArea);
  update();
  return view;
}
