// Weekoverzicht: the team's weekly digest, ordered like a bordsessie, readable on a phone and
// printable on A4. The server already applied the k threshold: suppressed cells are shown as
// their reason, never as a number, and nothing is computed from them here.
import { api, currentTeam, myTeams, serverNow, session } from "../lib/api.js?v=__VERSION__";
import {
  actionsSection, numbersSection, residentsSection, signalsSection, storedSuggestion, suggestionSection, themesSection,
  zonesSection,
} from "../lib/digestparts.js?v=__VERSION__";
import { formatDate, formatWeek, t } from "../lib/i18n.js?v=__VERSION__";
import { LEADS } from "../lib/learning.js?v=__VERSION__";
import { teamPicker } from "../lib/teampicker.js?v=__VERSION__";
import { emptyState, h, onLeave, problemText, screen } from "../lib/ui.js?v=__VERSION__";

const POLL_MS = 2000;
const POLL_TRIES = 90;

// Whose weekly overviews to show: the teams the user leads, or else all their teams (medewerkers
// may see themes); the picked one among them.
function digestRoles() {
  return myTeams(LEADS).length ? LEADS : null;
}

function digestTeam() {
  return currentTeam(digestRoles());
}

function isLead(teamId) {
  return (session.me.teams || []).some((team) => team.id === teamId && LEADS.includes(team.role));
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

function lastWeek() {
  return weekOf(new Date(serverNow().getTime() - 7 * 86400000));
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
        h("span", { class: "text" }, formatWeek(item.iso_week)),
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
    h("p", { class: "meta" }, formatWeek(isoWeek)), body, status,
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
