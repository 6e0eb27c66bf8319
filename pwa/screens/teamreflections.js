// Gedeeld door collega's: reflections the team shared, de-identified, by ISO week. The API gives
// no author and no dates finer than the week, so nothing here can point at a colleague.
import { api, currentTeam, teamQuery } from "../lib/api.js?v=__VERSION__";
import { formatWeek, t } from "../lib/i18n.js?v=__VERSION__";
import { teamPicker } from "../lib/teampicker.js?v=__VERSION__";
import { emptyState, h, problemText, screen } from "../lib/ui.js?v=__VERSION__";

const PAGE_SIZE = 30;
const FIELDS = ["what_happened", "noticed", "why", "next_time"];

function sharedCard(item) {
  return h("li", { class: "card" },
    FIELDS.filter((field) => item[field]).map((field) => h("p", { class: `text${field === "next_time" ? " next" : ""}` },
      field === "what_happened" ? "" : h("span", { class: "field-name" }, `${t(`s_${field}`)} `), item[field])),
    item.themes.length ? h("ul", { class: "tags", "aria-label": t("themes") }, item.themes.map((theme) => h("li", {}, theme.label))) : null,
    acknowledge(item));
}

// Thank or answer the writer without learning who it is: the server tells the author, not you.
function acknowledge(item) {
  const status = h("p", { class: "hint", role: "status" });
  const answer = h("textarea", { rows: "2", maxlength: "500", "aria-label": t("ack_answer_label") });
  const form = h("form", { class: "ack-form", hidden: true }, answer,
    h("button", { type: "submit", class: "secondary" }, t("ack_send")));
  const send = async (kind, text = "") => {
    try {
      await api(`/team/reflections/${item.id}/acknowledgements`, { method: "POST",
        body: { client_id: crypto.randomUUID(), kind, text } });
      status.textContent = t(kind === "thanks" ? "ack_thanked" : "ack_sent");
      form.hidden = true;
    } catch (error) {
      status.textContent = problemText(error);
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (answer.value.trim()) send("reply", answer.value);
  });
  return h("div", { class: "ack" },
    h("div", { class: "row" },
      h("button", { type: "button", class: "secondary", onclick: () => send("thanks") }, "Bedankt"),
      h("button", { type: "button", class: "secondary", onclick: () => { form.hidden = !form.hidden; if (!form.hidden) answer.focus(); } },
        "Reageer")),
    form, status);
}

export async function teamReflectionsScreen() {
  const list = h("div");
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("more"));
  const view = screen({ title: t("shared_title") }, teamPicker(), h("p", { class: "hint" }, t("shared_hint")), list, more);
  const team = currentTeam();
  let page = 0;
  let lastWeek = null;
  let group = null;
  const load = async () => {
    more.disabled = true;
    try {
      const answer = await api(`/team/reflections?page=${page + 1}&page_size=${PAGE_SIZE}${teamQuery(team)}`);
      page = answer.page;
      for (const item of answer.items) {
        if (item.iso_week !== lastWeek) {
          lastWeek = item.iso_week;
          group = h("ul", { class: "cards" });
          list.append(h("h2", {}, formatWeek(item.iso_week)), group);
        }
        group.append(sharedCard(item));
      }
      if (!answer.total) list.replaceChildren(emptyState(t("shared_none")));
      more.hidden = answer.page * answer.page_size >= answer.total;
    } catch (error) {
      list.append(emptyState(problemText(error)));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener("click", load);
  await load();
  return view;
}
