// DOM helpers. Text always goes in as text nodes (never innerHTML), so nothing a user typed or
// a server sent can turn into markup.
import { serverNow } from "./api.js?v=__VERSION__";
import { t } from "./i18n.js?v=__VERSION__";

const SVG = "http://www.w3.org/2000/svg";
const PROPERTIES = new Set(["value", "checked", "disabled", "hidden", "htmlFor"]);

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

// The same for SVG elements (charts, sparklines): attributes only.
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, value);
  for (const child of children.flat(Infinity)) if (child) el.append(child);
  return el;
}

export function emptyState(text) {
  return h("p", { class: "empty" }, text);
}

// What to tell the user about a failed API call (an ApiError): no connection, or the server's detail.
export function problemText(error) {
  return error.status === 0 ? t("needs_network") : (error.problem && error.problem.detail) || t("error_generic");
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let counter = 0;
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

// One screen: a top bar (back link, title), scrolling content, and the main action at the bottom.
export function screen({ title, back = "#/", extra = null, bottom = null }, ...content) {
  return h("div", { class: "screen" },
    h("header", { class: "topbar" },
      back ? h("a", { class: "back", href: back }, h("span", { "aria-hidden": "true" }, "‹ "), t(back === "#/" ? "home" : "back")) : null,
      h("h1", { tabindex: "-1" }, title),
      extra),
    h("div", { class: "content" }, content),
    bottom ? h("div", { class: "bottom" }, bottom) : null);
}

// A labelled form control with its hint and its error (filled from a 422 problem document).
export function field({ label, control, hint = null, optional = false, name = null }) {
  const id = control.id || (control.id = uid("f"));
  const hintEl = hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null;
  const errorEl = h("p", { class: "error", id: `${id}-error`, hidden: true, "data-error-for": name || "" });
  control.setAttribute("aria-describedby", [hintEl ? hintEl.id : "", errorEl.id].join(" ").trim());
  return h("div", { class: "field" },
    h("label", { for: id }, label, optional ? h("span", { class: "optional" }, ` (${t("optional")})`) : null),
    hintEl, control, errorEl);
}

// Show a problem document's field errors next to their fields; answers whether any were placed.
export function showFieldErrors(root, problem) {
  let placed = false;
  for (const el of root.querySelectorAll("[data-error-for]")) {
    const messages = (problem && problem.errors && problem.errors[el.dataset.errorFor]) || [];
    el.hidden = messages.length === 0;
    el.textContent = messages.join(" ");
    // Errors of single controls carry the control's id; looked up in root (maybe not in the document yet).
    const control = el.id && root.querySelector(`#${CSS.escape(el.id.replace(/-error$/, ""))}`);
    if (control) control.toggleAttribute("aria-invalid", messages.length > 0);
    placed = placed || messages.length > 0;
  }
  return placed;
}

// Textareas grow with their text, so nothing scrolls inside a tiny box on a phone. A new screen's
// textareas (four on the reflection screen) are fitted together in its first frame: every height
// reset, then every read, so the layout is computed once rather than once per textarea.
const unfitted = new Set();

export function autoGrow(textarea) {
  textarea.addEventListener("input", () => fitHeights([textarea]));
  if (!unfitted.size) requestAnimationFrame(() => fitHeights([...unfitted]));
  unfitted.add(textarea);
  return textarea;
}

function fitHeights(textareas) {
  for (const textarea of textareas) {
    unfitted.delete(textarea);
    textarea.style.height = "auto";
  }
  // The text's height plus the borders (box-sizing: border-box).
  const heights = textareas.map((t) => t.scrollHeight + t.offsetHeight - t.clientHeight);
  textareas.forEach((textarea, index) => { textarea.style.height = `${heights[index]}px`; });
}

// fn once the next frame is painted: a frame's animation callbacks run before its paint, and a task
// queued from one runs after it.
export function afterPaint(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

export function announce(text) {
  const region = document.getElementById("announce");
  region.textContent = "";
  // A fresh text node after a tick makes screen readers announce repeated messages too.
  setTimeout(() => { region.textContent = text; }, 50);
}

export function debounce(fn, ms) {
  let timer = null;
  const call = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}

// Work a screen started (listeners, timers) that must stop when the user navigates away.
const leaving = [];
export function onLeave(fn) {
  leaving.push(fn);
}
export function leave() {
  while (leaving.length) leaving.pop()();
}

// Local time with its offset, as the API wants it (2026-11-28T14:05:00+01:00).
export function isoNow() {
  const now = serverNow();
  const offset = -now.getTimezoneOffset();
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const local = new Date(now.getTime() + offset * 60000).toISOString().slice(0, 19);
  return `${local}${offset >= 0 ? "+" : "-"}${pad(offset / 60)}:${pad(offset % 60)}`;
}
