"""Every medewerker screen fits a phone of 320, 360 and 414 px: no horizontal scrolling
(scrollWidth <= innerWidth), no two interactive elements on top of each other, and no text spilling
out of its button (which overlaps the neighbour without the boxes overlapping)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.api.test_notifications_inbox import add_notification, make_visit
from tests.browser.conftest import dump, log_in
from tests.browser.test_intervisie_screens import _offered_case
from tests.support.dutch import DUTCH_WORDS

pytestmark = pytest.mark.browser

WIDTHS = (320, 360, 414)
SCREENS = (
    "#/",
    "#/nieuw",
    "#/reflecties",
    "#/acties",
    "#/feedback",
    "#/meldingen",
    "#/instellingen",
    "#/ontwikkeling",
    "#/teamvragen",
    "#/intervisie",
    "#/portfolio",
    "#/inwoners",
    "#/team/reflecties",
    "#/tweede-factor",
)

# Pairs of visible interactive elements whose boxes overlap by more than a pixel; an element inside
# another (a radio inside its label) is one target, and the sticky bottom bar floats over the content
# by design (the content scrolls out from under it).
OVERLAPS = """() => {
  const selector = "a[href], button, input, select, textarea, [role=switch], [tabindex]:not([tabindex='-1'])";
  const items = [...document.querySelectorAll(selector)].filter((el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // checkVisibility: not inside a closed <details> (its content keeps a layout box but is not shown).
    return box.width > 2 && box.height > 2 && style.visibility !== "hidden" && style.opacity !== "0" && el.checkVisibility();
  });
  // The part of an element one can see: its box cut by every ancestor that clips (a scroll region
  // such as present mode's stage hides what is scrolled under the footer).
  const visible = (el) => {
    let { left, top, right, bottom } = el.getBoundingClientRect();
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX === "visible" && style.overflowY === "visible") continue;
      const clip = box.getBoundingClientRect();
      [left, top] = [Math.max(left, clip.left), Math.max(top, clip.top)];
      [right, bottom] = [Math.min(right, clip.right), Math.min(bottom, clip.bottom)];
    }
    return { left, top, right, bottom };
  };
  const found = [];
  const name = (el) => `${el.tagName.toLowerCase()}:${(el.textContent || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 30)}`;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      if (a.contains(b) || b.contains(a)) continue;
      if (a.closest("label") && a.closest("label") === b.closest("label")) continue;
      if (Boolean(a.closest(".bottom")) !== Boolean(b.closest(".bottom"))) continue;
      const p = visible(a), q = visible(b);
      const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (x > 1 && y > 1) found.push([name(a), name(b)]);
    }
  }
  // Text wider than its own button spills over its neighbour even when the boxes do not overlap.
  for (const el of items) {
    // Fields and scroll regions (a wide table on a phone) scroll their own content by design.
    const style = getComputedStyle(el);
    if (style.display === "inline" || !el.clientWidth || el.matches("input, textarea, select")) continue;
    if (["auto", "scroll"].includes(style.overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) found.push([name(el), `text ${el.scrollWidth}px in a box of ${el.clientWidth}px`]);
  }
  return found;
}"""


# Touch targets of at least 44 × 44 CSS px (WCAG 2.5.5, issue #18). A radio or checkbox counts with
# its label (the label is what a finger hits); a control inside a box that is clickable as a whole
# (the board's tiles: the pointer cursor starts at that box) counts with that box. Exempt, as WCAG
# 2.5.8 allows: a link inline in running text (its size is the text's), and elements hidden from
# the eye (a visually-hidden input whose label is measured instead).
TARGETS = """() => {
  const selector = "button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button], [role=switch]";
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.checkVisibility()) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.opacity === "0") continue;
    let target = el;
    if (el.matches("input[type=radio], input[type=checkbox]")) {
      target = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    }
    const pointer = (node) => node && node !== document.body && getComputedStyle(node).cursor === "pointer";
    for (let box = el.parentElement; pointer(box); box = box.parentElement) {
      if (!pointer(box.parentElement)) target = box; // where the clickable box begins (cursor inherits)
    }
    const box = target.getBoundingClientRect();
    if (box.width <= 2 && box.height <= 2) continue; // visually hidden: its label is the target
    if (el.matches("a") && style.display === "inline" && el.parentElement) {
      const text = el.parentElement.textContent.replace(el.textContent, "").trim();
      if (text.length > 0) continue; // inline in a sentence (WCAG 2.5.8 exception)
    }
    if (box.width < 43.5 || box.height < 43.5) {
      const name = `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ")[0] : ""}:` +
        (el.textContent || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 24);
      small.push(`${name} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""

# Dutch words in an English screen (tests/support/dutch.py) mean a text that bypassed t(). What people
# typed is not the app's to translate: every text of theirs in the database (names, reflections, action
# titles, a team's own themes, pseudonyms) is cut out first, and so are quotes and fields; whatever
# Dutch remains is the app's own.
DUTCH = """([words, typed]) => {
  const skip = "blockquote, .quote, textarea, input, code";
  typed = typed.filter((text) => text.length > 2).sort((a, b) => b.length - a.length);
  const found = new Set();
  const check = (text, where) => {
    const bare = text.trim().replace(/…$/, "");
    if (!bare || typed.some((own) => own.includes(bare))) return; // a name, or a shortened text of theirs
    for (const own of typed) text = text.split(own).join(" ");
    for (const word of (text.toLowerCase().match(/[\\p{L}']+/gu) || [])) {
      if (words.includes(word)) found.add(`${where}: "${word}" in "${text.trim().slice(0, 70)}"`);
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !parent.checkVisibility()) continue;
    check(node.textContent, parent.tagName.toLowerCase());
  }
  for (const el of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
    if (!el.checkVisibility() || el.closest(skip)) continue;
    for (const name of ["aria-label", "placeholder", "title"]) {
      if (el.hasAttribute(name)) check(el.getAttribute(name), `${el.tagName.toLowerCase()}[${name}]`);
    }
  }
  return [...found];
}"""
TYPED_COLUMNS = {
    *("name", "display_name", "title", "text", "text_deidentified", "said_deidentified", "what_happened"),
    *("noticed", "why", "next_time", "pseudonym", "term", "insight", "learned", "description", "comment"),
    *("comment_deidentified", "label"),
}


def typed_texts(app) -> list[str]:
    """Every text people typed, as stored (the standard themes' labels are the app's, not theirs)."""
    from sqlalchemy import String, Text, select

    from server.extensions import db, metadata
    from server.themes import THEMES

    standard = {theme.label for theme in THEMES}
    texts = set()
    with app.app_context():
        for table in metadata.tables.values():
            for column in table.columns:
                if column.name in TYPED_COLUMNS and isinstance(column.type, String | Text):
                    texts |= {value for value in db.session.scalars(select(column).distinct()) if value}
    return sorted(texts - standard)


def dutch_in_english(page, app) -> list[str]:
    return page.evaluate(DUTCH, [sorted(DUTCH_WORDS), typed_texts(app)])


def open_screen(page, route: str) -> None:
    """A full load of the screen, so "network idle" means its data has arrived: a hash change alone
    would leave the previous screen (and its heading) in place while the new one still loads."""
    page.goto("about:blank")
    page.goto(f"/app/{route}", wait_until="networkidle")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    page.wait_for_function("() => !document.querySelector('#view .loading')")


def _seed(app, medewerker) -> tuple[str, str, str]:
    """A visit with a reflection shared with the team and a notification about it:
    (visit, notification, reflection)."""
    from server.extensions import db
    from server.models import Reflection

    visit_id = make_visit(
        app, medewerker["id"], medewerker["team"], pseudonym="Mevrouw met de lange achternaam"
    )
    with app.app_context():
        reflection = Reflection(
            client_id=uuid.uuid4(),
            author_id=medewerker["id"],
            team_id=medewerker["team"],
            visit_id=visit_id,
            occurred_at=datetime.now(UTC) - timedelta(days=1),
            what_happened="Een lang gesprek over de huurachterstand en wat mevrouw zelf al geprobeerd had.",
            next_time="Eerst vragen wat mevrouw zelf wil, daarna pas oplossingen aandragen",
            visibility="team",
            payload_hash="0" * 64,
        )
        db.session.add(reflection)
        db.session.commit()
        reflection_id = str(reflection.id)
    notification = add_notification(app, medewerker["id"], "feedback-contact", {"visit_id": str(visit_id)})
    return str(visit_id), notification, reflection_id


def _session(app, medewerker) -> str:
    """A running intervisie session on an offered case, led by the medewerker."""
    from datetime import date

    from server.extensions import db
    from server.models import IntervisieSession

    case_id = _offered_case(app, medewerker["team"], medewerker["id"])
    with app.app_context():
        session = IntervisieSession(
            client_id=uuid.uuid4(),
            payload_hash="0" * 64,
            team_id=medewerker["team"],
            case_id=case_id,
            facilitator_id=medewerker["id"],
            method="moreel_beraad",
            theme_id="geldzorgen-schulden",
            held_on=date(2026, 12, 7),
        )
        db.session.add(session)
        db.session.commit()
        return str(session.id)


def screen_problems(app, page, route: str, width: int, lang: str) -> list[dict]:
    """What is wrong with the open screen: horizontal scrolling, overlapping targets, targets under 44
    px, and (in English, checked once at the narrowest width) Dutch words."""
    problems = []
    wide = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    if wide[0] > wide[1]:
        problems.append({"width": width, "route": route, "scrollWidth": wide[0]})
    overlaps = page.evaluate(OVERLAPS)
    if overlaps:
        problems.append({"width": width, "route": route, "overlaps": overlaps})
    small = page.evaluate(TARGETS)
    if small:
        problems.append({"width": width, "route": route, "targets under 44 px": small})
    dutch = dutch_in_english(page, app) if lang == "en" and width == WIDTHS[0] else []
    if dutch:
        problems.append({"route": route, "dutch in English": dutch})
    return problems


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_medewerker_screen_fits_and_nothing_overlaps(app, page, medewerker, lang):
    visit, notification, reflection = _seed(app, medewerker)
    session = _session(app, medewerker)
    log_in(page, medewerker["email"])
    if lang == "en":
        page.goto("/app/#/instellingen")
        page.get_by_text("English").click()
        expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 700})
        screens = (f"#/nieuw/bezoek/{visit}", f"#/melding/{notification}", f"#/feedback/{visit}")
        for route in (*SCREENS, *screens, f"#/meldcode/{reflection}", f"#/intervisie/{session}"):
            open_screen(page, route)
            if route.startswith("#/intervisie/"):  # the session itself, not an error page
                expect(page.locator(".iv-current")).to_be_visible()
            problems += screen_problems(app, page, route, width, lang)
    assert problems == [], dump(problems)


# The screens before anyone is logged in (an e-mailed link with an unknown token shows its own page).
PUBLIC_SCREENS = (
    "#/login",
    "#/wachtwoord-vergeten",
    "#/wachtwoord/onbekend",
    "#/uitnodiging/onbekend",
    "#/gemeente-uitnodiging/onbekend",
)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_screens_before_logging_in_fit_too(app, page, lang):
    page.goto("/app/")
    page.evaluate("(lang) => localStorage.setItem('leerlus.lang', lang)", lang)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 700})
        for route in PUBLIC_SCREENS:
            open_screen(page, route)
            problems += screen_problems(app, page, route, width, lang)
    assert problems == [], dump(problems)
