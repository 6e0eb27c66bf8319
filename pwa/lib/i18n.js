// The app's texts: the gettext catalogues server/translations/<lang>/LC_MESSAGES/pwa.po (the one kind
// of file a translator edits), compiled by `make i18n` to pwa/locale/<lang>.json. The app shell
// (index.html) carries the Dutch texts of the screens it holds, so the first screen needs no extra
// request; the whole Dutch catalogue comes after it (allTexts: app.js asks once the first screen is
// up, and before any screen the document does not hold). English is fetched once for those who
// chose it. The service worker precaches both. Missing English falls back to Dutch.
const inline = document.getElementById("i18n-nl");
let nl = inline ? JSON.parse(inline.textContent) : await fetchTexts("nl");
let complete = inline ? null : Promise.resolve();

let en = null;

async function fetchTexts(code) {
  const response = await fetch(`/app/locale/${code}.json?v=__VERSION__`);
  if (!response.ok) throw new Error(`${code}.json: ${response.status}`);
  return response.json();
}

// Answers once every Dutch text is here; a failed fetch (offline without the service worker) is
// asked again by the next call.
export function allTexts() {
  complete ??= fetchTexts("nl").then((texts) => { nl = texts; }, (error) => {
    complete = null;
    throw error;
  });
  return complete;
}

async function loadEnglish() {
  en ??= await fetchTexts("en");
}

// Plural forms as the catalogue's Plural-Forms say for nl and en: nplurals=2; plural=(n != 1).
const pluralIndex = (n) => (n === 1 ? 0 : 1);

// The device's language, not its user's: it stays when someone logs out (api.js forgetUser).
export const LANGUAGE_KEY = "leerlus.lang";
let lang = localStorage.getItem(LANGUAGE_KEY) === "en" ? "en" : "nl";
if (lang === "en") {
  try {
    await loadEnglish();
  } catch (error) {
    lang = "nl"; // not loaded (offline before the service worker had it): Dutch this time
  }
}
document.documentElement.lang = lang;

// t(key, { name: "Ans" }) fills {name}; a key with plural forms picks one by vars.n (or vars.count).
export function t(key, vars = {}) {
  let text = (lang === "en" ? en[key] : undefined) ?? nl[key] ?? key;
  if (Array.isArray(text)) text = text[pluralIndex(Number(vars.n ?? vars.count ?? 0))] ?? text[0];
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

export function language() {
  return lang;
}

// Answers when the language is in use (English may need fetching first; it stays Dutch if that fails).
export async function setLanguage(code) {
  if (code === "en") {
    try {
      await loadEnglish();
    } catch (error) {
      return;
    }
  }
  lang = code === "en" ? "en" : "nl";
  localStorage.setItem(LANGUAGE_KEY, lang);
  document.documentElement.lang = lang;
}

// The Monday to Sunday of an ISO week ("2026-W48"), as UTC dates.
export function weekDays(isoWeek) {
  const [year, week] = isoWeek.split("-W").map(Number);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4.getTime() + ((week - 1) * 7 - ((jan4.getUTCDay() || 7) - 1)) * 86400000);
  return [monday, new Date(monday.getTime() + 6 * 86400000)];
}

// A week as people say it: "week 48 (23–29 nov)", "week 1 (29 dec – 4 jan)"; never "2026-W48".
export function formatWeek(isoWeek) {
  if (!/^\d{4}-W\d{2}$/.test(isoWeek || "")) return isoWeek || "";
  const [monday, sunday] = weekDays(isoWeek);
  const locale = lang === "en" ? "en-GB" : "nl-NL";
  const day = (d, month) => d.toLocaleDateString(locale, { day: "numeric", month: month ? "short" : undefined, timeZone: "UTC" });
  const sameMonth = monday.getUTCMonth() === sunday.getUTCMonth();
  const range = sameMonth ? `${day(monday, false)}–${day(sunday, true)}` : `${day(monday, true)} – ${day(sunday, true)}`;
  return `${t("week_n", { n: Number(isoWeek.slice(-2)) })} (${range.replace(/\./g, "")})`;
}

export function formatDate(iso, withTime = true) {
  const options = withTime
    ? { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }
    : { day: "numeric", month: "long" };
  return new Date(iso).toLocaleString(lang === "en" ? "en-GB" : "nl-NL", options);
}

// A text by key, or `fallback` when the catalogue has no such key (a label the server stored).
export function tOr(key, fallback, vars = {}) {
  return ((lang === "en" ? en[key] : undefined) ?? nl[key]) ? t(key, vars) : fallback;
}

// A standard theme's name in the reader's language (theme.<id>): stored digests keep the Dutch label
// of their time, so it is translated here on the way to the screen; a team's own theme stays as typed.
export function themeName(id, label) {
  return tOr(`theme.${id}`, label);
}
