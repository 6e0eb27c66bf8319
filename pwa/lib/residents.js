// What the feedback and inwoners screens share about residents: the resident page's language and
// version for a new link or a batch of cards, and the cards' PDF.
import { ApiError, session } from "./api.js?v=__VERSION__";
import { t } from "./i18n.js?v=__VERSION__";
import { h } from "./ui.js?v=__VERSION__";

// The resident page's languages, each in its own name (the resident reads them).
const RESIDENT_LANGUAGES = [["nl", "Nederlands"], ["en", "English"], ["tr", "Türkçe"], ["ar", "العربية"],
  ["pl", "Polski"], ["uk", "Українська"]];

// Language and version (adult Wmo or youth 12-17) for a new link or a batch of cards.
export function residentOptions() {
  const language = h("select", { name: "language" }, RESIDENT_LANGUAGES.map(([code, name]) => h("option", { value: code, lang: code }, name)));
  const youth = h("input", { type: "checkbox", name: "youth" });
  const element = h("div", { class: "resident-options" },
    h("label", {}, t("resident_language"), " ", language),
    h("label", { class: "check" }, youth, " ", t("variant_jeugd")));
  return { element, value: () => ({ language: language.value, ...(youth.checked ? { variant: "jeugd" } : {}) }) };
}

// A PDF from a POST (the cards): fetched with the session, then handed to the browser to open or print.
export async function openPdf(path, body, name) {
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", Accept: "application/pdf", "X-CSRF-Token": session.csrf || "" } });
  } catch (error) {
    throw new ApiError(0, {});
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  const url = URL.createObjectURL(await response.blob());
  h("a", { href: url, download: `${name}.pdf` }).click();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
