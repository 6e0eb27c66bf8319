"""How the PWA loads on a weak connection: only the screen's own modules, no wait for GET /me when
the device knows the session, no second download for the precache, and lazily loaded screens
still open offline."""

import json
import re
import threading
from collections import Counter

import pytest
from playwright.sync_api import expect

from server.config import pwa_dir
from server.pwa import version
from tests.browser.conftest import PageProblems, log_in, new_context, screenshot, wait_for_service_worker
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

MODULE = re.compile(r"/app/((?:screens/|lib/)?\w+)\.js")


def modules_requested(requests: list[str]) -> set[str]:
    return {m.group(1) for url in requests if (m := MODULE.search(url))}


class ServedRequests:
    """What reached the live server (page and service worker alike), by path and query."""

    def __init__(self, app):
        self.app = app
        self.seen: Counter = Counter()
        self.lock = threading.Lock()

    def __enter__(self):
        inner = self.original = self.app.wsgi_app

        def counting(environ, start_response):
            def start(status, headers, exc_info=None):
                if status.startswith("200"):
                    query = environ.get("QUERY_STRING")
                    with self.lock:
                        self.seen[environ["PATH_INFO"] + (f"?{query}" if query else "")] += 1
                return start_response(status, headers, exc_info)

            return inner(environ, start_response=start)

        self.app.wsgi_app = counting
        return self

    def __exit__(self, *exc):
        self.app.wsgi_app = self.original


# When the login screen's module was asked for, and when the form was first in the page (FIRST_FRAME_PROBE).
LOGIN_ASKED_AND_FORM_SHOWN = """() => new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    const login = list.getEntries().find((entry) => entry.name.includes("/screens/login.js"));
    if (!login) return;
    observer.disconnect();
    resolve([login.startTime, window.__firstFrame.at]);
  }).observe({ type: "resource", buffered: true });
})"""


def test_the_reflection_screen_loads_only_its_own_modules(browser, live_server, medewerker):
    context = new_context(browser, live_server, service_workers="block")
    try:
        page = context.new_page()
        log_in(page, medewerker["email"])
        context.add_init_script(FIRST_FRAME_PROBE)
        fresh = context.new_page()
        problems = PageProblems(fresh)
        requested = []
        fresh.on("request", lambda request: requested.append(request.url))
        with fresh.expect_request(re.compile(r"/app/screens/login\.js\?v=\w+$")):
            fresh.goto("/app/#/nieuw")
            expect(fresh.get_by_label("Wat gebeurde er?")).to_be_visible()
        # Its modules came with the document (issue #24): not one module request, so nothing of the
        # other screens, nor English, nor the push script either; only once the form is on screen
        # the login screen, which a logged-in page load's document leaves out (a logout or an
        # ended session must find it).
        assert modules_requested(requested) == {"screens/login"}, requested
        login_asked, form_shown = fresh.evaluate(LOGIN_ASKED_AND_FORM_SHOWN)
        assert login_asked >= form_shown
        app_files = {
            url.split("?")[0]
            for url in requested
            if "/app/" in url and not re.search(r"\.(png|webmanifest)$", url)
        }
        # The other screens' texts come after the form (test_the_other_screens_texts_come_after_the_form).
        assert app_files == {
            f"{live_server}/app/",
            f"{live_server}/app/screens/login.js",
            f"{live_server}/app/locale/nl.json",
        }, requested
        # GET /me's answer and the stylesheet came with the document too.
        assert not [url for url in requested if "/api/v1/me" in url], requested
        # A later screen imports the same instances through the document's import map.
        fresh.goto("/app/#/instellingen")
        expect(fresh.get_by_role("heading", name="Instellingen")).to_be_visible()
        loaded = modules_requested(requested)
        assert "screens/settings" in loaded and "screens/reflect" not in loaded, loaded
        assert all("bundled=1" in url for url in requested if "/app/lib/api.js" in url), requested
        same = fresh.evaluate(
            """async (url) => (await import(url)).session === (await self.leerlusBundle.load("lib/api.js")).session""",
            f"/app/lib/api.js?v={version()}",
        )
        assert same
        # The Dutch catalogue is fetched once (the document holds its own screens' texts), English never.
        assert len([url for url in requested if "/app/locale/nl.json" in url]) == 1, requested
        assert not [url for url in requested if "/app/locale/en.json" in url], requested
        # Every module URL carries the app's version (cached as immutable, never revalidated).
        assert all("?v=" in url for url in requested if MODULE.search(url)), requested
        assert problems.errors == []
    finally:
        context.close()


def test_a_logged_in_page_load_leaves_the_login_screen_out(browser, live_server, medewerker):
    """The login screen is no part of a logged-in page load's document (issue #24: less to load on a
    slow phone), and still comes, by URL and sharing the document's modules, when the session ends."""
    context = new_context(browser, live_server, service_workers="block")
    try:
        page = context.new_page()
        log_in(page, medewerker["email"])
        assert page.evaluate("""() => self.leerlusBundle.has("screens/login.js")""")  # logged out: held
        fresh = context.new_page()
        problems = PageProblems(fresh)
        fresh.goto("/app/#/nieuw")
        expect(fresh.get_by_label("Wat gebeurde er?")).to_be_visible()
        held = fresh.evaluate("""() => ["screens/login.js", "screens/reflect.js", "screens/home.js"]
            .filter((name) => self.leerlusBundle.has(name))""")
        assert held == ["screens/reflect.js", "screens/home.js"]
        context.clear_cookies()  # the session ends on the server: the next call answers 401
        fresh.goto("/app/#/reflecties")
        expect(fresh.get_by_role("heading", name="Inloggen")).to_be_visible()
        expect(fresh.get_by_text("Je bent uitgelogd.")).to_be_visible()
        fresh.get_by_label("E-mailadres").fill(medewerker["email"])
        fresh.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
        fresh.get_by_role("button", name="Inloggen").click()
        expect(fresh.get_by_role("heading", name="Mijn reflecties")).to_be_visible()
        assert problems.errors == []
    finally:
        context.close()


# When the whole Dutch catalogue was asked for, and when the form was first in the page (FIRST_FRAME_PROBE).
TEXTS_ASKED_AND_FORM_SHOWN = LOGIN_ASKED_AND_FORM_SHOWN.replace("/screens/login.js", "/locale/nl.json")


def test_the_other_screens_texts_come_after_the_form(browser, live_server, medewerker):
    """The document carries the Dutch texts of the screens it holds, not the whole catalogue (issue
    #24: that was 13 KB of a phone's 46 KB first download); the rest is fetched once the form is on
    screen, and a later screen shows its own texts, not their keys."""
    context = new_context(browser, live_server, service_workers="block")
    try:
        log_in(context.new_page(), medewerker["email"])
        context.add_init_script(FIRST_FRAME_PROBE)
        fresh = context.new_page()
        problems = PageProblems(fresh)
        with fresh.expect_request(re.compile(r"/app/locale/nl\.json\?v=\w+$")):
            fresh.goto("/app/#/nieuw")
            expect(fresh.get_by_label("Wat gebeurde er?")).to_be_visible()
        inline = fresh.evaluate("""() => JSON.parse(document.getElementById("i18n-nl").textContent)""")
        assert inline["q_what"] == "Wat gebeurde er?" and "zone_comfort_hint" in inline
        assert "quiet_title" not in inline and "login_title" not in inline  # other screens' texts
        texts_asked, form_shown = fresh.evaluate(TEXTS_ASKED_AND_FORM_SHOWN)
        assert texts_asked >= form_shown
        fresh.goto("/app/#/instellingen")
        expect(fresh.get_by_role("heading", name="Instellingen")).to_be_visible()
        expect(fresh.get_by_role("heading", name="Rustige uren en herinnering")).to_be_visible()
        assert problems.errors == []
    finally:
        context.close()


# Everything the page shows or reads out: its text and its labels.
SHOWN_TEXT = """() => [document.body.innerText, ...[...document.querySelectorAll("[aria-label], [placeholder], [title]")]
  .flatMap((el) => ["aria-label", "placeholder", "title"].map((name) => el.getAttribute(name) || ""))].join("\\n")"""
SIZES = {"320": (320, 640), "360": (360, 640), "1280": (1280, 800)}


def test_the_screens_in_the_document_need_no_other_texts(browser, live_server, medewerker):
    """With the catalogue kept away, the login, start and reflection screens still show every text
    from the document alone: the server found each key their modules name (first_screen_texts), not
    a key shown in place of its text. Screenshots of the reflection form at 320, 360 and 1280 px."""
    catalogue = json.loads((pwa_dir() / "locale" / "nl.json").read_text(encoding="utf-8"))
    keys = [key for key in catalogue if re.search(r"[_.]", key)]  # "team" is a Dutch word too

    def keys_shown(page) -> list[str]:
        text = page.evaluate(SHOWN_TEXT)
        return [key for key in keys if re.search(rf"(?<![\w.]){re.escape(key)}(?![\w.])", text)]

    context = new_context(browser, live_server, service_workers="block")
    try:
        context.route(re.compile(r"/app/locale/"), lambda route: route.abort())
        page = context.new_page()
        problems = PageProblems(page)
        page.goto("/app/")
        expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
        shown = {"login": keys_shown(page)}
        log_in(page, medewerker["email"])
        shown["start"] = keys_shown(page)
        page.goto("/app/#/nieuw")
        page.reload()  # a logged-in page load: the document without the login screen
        expect(page.get_by_role("radio", name="huisbezoek")).to_be_visible()  # the whole form
        shown["reflection"] = keys_shown(page)
        assert shown == {"login": [], "start": [], "reflection": []}
        for name, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
            screenshot(page, f"nieuwe-reflectie-eigen-teksten-{name}")
        assert problems.errors == []
    finally:
        context.close()


def device_with_only_a_session(browser, live_server, email: str):
    """A new device that holds a session cookie (logged in elsewhere) and nothing else yet."""
    first = new_context(browser, live_server, service_workers="block")
    try:
        log_in(first.new_page(), email)
        cookies = first.cookies()
    finally:
        first.close()
    device = new_context(browser, live_server, service_workers="block")
    device.add_cookies(cookies)
    return device


def test_a_new_device_with_a_session_fetches_the_login_screen_after_the_form(
    browser, live_server, medewerker
):
    """bench.pwa's first load: a session cookie, nothing on the device yet. The login screen, left out
    of that document, is fetched once the form is on screen, not early as a new phone's guess."""
    device = device_with_only_a_session(browser, live_server, medewerker["email"])
    try:
        device.add_init_script(FIRST_FRAME_PROBE)
        page = device.new_page()
        problems = PageProblems(page)
        with page.expect_request(re.compile(r"/app/screens/login\.js\?v=\w+$")):
            page.goto("/app/#/nieuw")
            expect(page.get_by_label("Wat gebeurde er?")).to_be_visible()
        login_asked, form_shown = page.evaluate(LOGIN_ASKED_AND_FORM_SHOWN)
        assert login_asked >= form_shown
        assert problems.errors == []
    finally:
        device.close()


# Runs before the page's scripts: the page's IndexedDB opens succeed only once the test says so (their
# upgrade, which creates a new device's database, runs as usual).
HOLD_DATABASE_OPEN = """(() => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  window.__releaseDatabase = () => release();
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...args) {
    const request = open.apply(this, args);
    let handler = null;
    request.addEventListener("success", (event) => { held.then(() => handler && handler.call(request, event)); });
    Object.defineProperty(request, "onsuccess", { get: () => handler, set: (fn) => { handler = fn; } });
    return request;
  };
})();"""


def test_a_new_device_opens_the_form_before_its_database_is_open(browser, live_server, medewerker):
    """On a new device nothing can be in the database the page is creating: the reflection screen
    reads its draft without waiting for the open to succeed (issue #24: a slow phone's first load
    waited for it), and the database works as usual once open."""
    device = device_with_only_a_session(browser, live_server, medewerker["email"])
    try:
        device.add_init_script(HOLD_DATABASE_OPEN)
        page = device.new_page()
        problems = PageProblems(page)
        page.goto("/app/#/nieuw")
        expect(page.get_by_label("Wat gebeurde er?")).to_be_visible()
        page.evaluate("window.__releaseDatabase()")
        page.get_by_label("Wat gebeurde er?").fill("Geschreven op een nieuwe telefoon.")
        assert (
            page.evaluate(
                """async (key) => {
          for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
            const draft = JSON.parse(localStorage.getItem("leerlus.draft:" + key));
            if (draft) return draft.state.what_happened;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          return null;
        }""",
                f"{medewerker['id']}:reflection",
            )
            == "Geschreven op een nieuwe telefoon."
        )
        assert problems.errors == []
    finally:
        device.close()


WAIT_FOR_DRAFT = """async (key) => {
  for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
    if (localStorage.getItem("leerlus.draft:" + key)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}"""


def test_a_used_device_opens_the_form_and_its_draft_before_its_database_is_open(
    browser, live_server, medewerker
):
    """A repeat start on a slow phone (issue #24, docs/performance.md item 25): the session kept on
    the device and the draft of the reflection come without the device's database, so neither waits
    for its round trips; the outbox still works once the database is open."""
    context = new_context(browser, live_server, service_workers="block")
    try:
        page = context.new_page()
        log_in(page, medewerker["email"])
        page.get_by_role("link", name="Nieuwe reflectie").click()
        page.get_by_label("Wat gebeurde er?").fill("Half getypt voor de volgende start.")
        assert page.evaluate(WAIT_FOR_DRAFT, f"{medewerker['id']}:reflection")
        page.close()
        context.add_init_script(HOLD_DATABASE_OPEN)
        again = context.new_page()
        problems = PageProblems(again)
        again.route("**/api/v1/me", lambda route: None)  # never answered: the kept session opens it
        again.goto("/app/#/nieuw")
        expect(again.get_by_label("Wat gebeurde er?")).to_have_value("Half getypt voor de volgende start.")
        expect(again.get_by_text("Je vorige tekst staat er nog.")).to_be_visible()
        again.evaluate("window.__releaseDatabase()")
        assert again.evaluate("async () => (await leerlusStore.all('outbox')).length") == 0
        assert problems.errors == []
    finally:
        context.close()


def test_an_update_moves_the_session_and_draft_out_of_the_database(browser, live_server, medewerker):
    """A phone that used the app before item 25 kept its session and drafts in the device's
    database: the first start after the update opens from them (GET /me not answering) and moves
    them, so neither an offline start nor half-typed text is lost, and nothing stays behind there."""
    context = new_context(browser, live_server, service_workers="block")
    key = f"{medewerker['id']}:reflection"
    try:
        page = context.new_page()
        log_in(page, medewerker["email"])
        expect(page.get_by_role("link", name="Nieuwe reflectie")).to_be_visible()
        # The device as the app before item 25 left it.
        page.evaluate(
            """async (key) => {
          const me = JSON.parse(localStorage.getItem("leerlus.session"));
          const state = { client_id: crypto.randomUUID(), what_happened: "Getypt voor de update.",
            noticed: "", why: "", next_time: "", chips: [], dismissed: [], visibility: "private" };
          await leerlusStore.put("kv", { key: "me", value: me });
          await leerlusStore.put("drafts", { key, state });
          localStorage.clear();
        }""",
            key,
        )
        page.close()
        later = context.new_page()
        problems = PageProblems(later)
        later.route("**/api/v1/me", lambda route: route.fulfill(status=503))
        later.goto("/app/#/nieuw")
        expect(later.get_by_label("Wat gebeurde er?")).to_have_value("Getypt voor de update.")
        assert later.evaluate("() => JSON.parse(localStorage.getItem('leerlus.session')).user.id") == str(
            medewerker["id"]
        )
        assert later.evaluate(
            "async () => [(await leerlusStore.all('drafts')).length, await leerlusStore.get('kv', 'me')]"
        ) == [0, None]
        assert problems.errors == []
    finally:
        context.close()


# Runs before the page's scripts: what the reflection form holds when its first prompt is inserted,
# before any frame can be painted (a MutationObserver's callback runs before the next task).
FIRST_FRAME_PROBE = """(() => {
  const observer = new MutationObserver(() => {
    const form = document.getElementById("reflect-form");
    if (!form || !form.querySelector('textarea[name="what_happened"]')) return;
    observer.disconnect();
    window.__firstFrame = {
      prompts: form.querySelectorAll("textarea").length,
      radios: form.querySelectorAll("input[type=radio]").length,
      switch: Boolean(form.querySelector("[role=switch]")),
      at: performance.now(),
    };
  });
  observer.observe(document, { childList: true, subtree: true });
})();"""


def test_the_reflection_form_paints_its_prompts_first(browser, live_server, medewerker):
    """A slow phone's first frame of the form builds and lays out the four prompts only (issue #24);
    the quick taps, themes and sharing switch below them follow, with what the draft holds."""
    context = new_context(browser, live_server, service_workers="block")
    try:
        page = context.new_page()
        log_in(page, medewerker["email"])
        context.add_init_script(FIRST_FRAME_PROBE)
        fresh = context.new_page()
        problems = PageProblems(fresh)
        fresh.goto("/app/#/nieuw")
        expect(fresh.get_by_label("Wat gebeurde er?")).to_be_visible()
        first = fresh.evaluate("window.__firstFrame")
        assert {key: first[key] for key in ("prompts", "radios", "switch")} == {
            "prompts": 4,
            "radios": 0,
            "switch": False,
        }
        expect(fresh.get_by_role("radio", name="Comfortzone")).to_be_visible()
        expect(fresh.get_by_role("switch")).to_be_visible()
        expect(fresh.get_by_role("button", name="Thema toevoegen")).to_be_visible()
        fresh.get_by_label("Wat gebeurde er?").fill("Een concept met een gekozen zone.")
        fresh.get_by_role("radio", name="Comfortzone").check()
        fresh.get_by_role("switch").check()
        # The draft is kept on the device (a moment after the last change); a new page builds the
        # lower part from it.
        assert (
            fresh.evaluate(
                """async (key) => {
          for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
            const draft = JSON.parse(localStorage.getItem("leerlus.draft:" + key));
            if (draft && draft.state.visibility === "team") return draft.state.learning_zone;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          return null;
        }""",
                f"{medewerker['id']}:reflection",
            )
            == "comfort"
        )
        again = context.new_page()
        again.goto("/app/#/nieuw")
        expect(again.get_by_label("Wat gebeurde er?")).to_have_value("Een concept met een gekozen zone.")
        expect(again.get_by_role("radio", name="Comfortzone")).to_be_checked()
        expect(again.get_by_role("switch")).to_be_checked()
        assert problems.errors == []
    finally:
        context.close()


def test_a_known_session_opens_without_waiting_for_the_network(browser, live_server, medewerker):
    """One bar on a doorstep: GET /me never answers, and the form is there anyway (the page from the
    service worker, whose copy of the document carries no GET /me)."""
    context = new_context(browser, live_server)
    try:
        page = context.new_page()
        log_in(page, medewerker["email"])
        wait_for_service_worker(page)
        stalled = context.new_page()
        problems = PageProblems(stalled)
        held = []
        stalled.route("**/api/v1/me", lambda route: held.append(route))  # never answered
        stalled.goto("/app/#/nieuw")
        expect(stalled.get_by_label("Wat gebeurde er?")).to_be_visible(timeout=5000)
        assert held, "GET /me was not even asked"
        stalled.get_by_label("Wat gebeurde er?").fill("Getypt terwijl de verbinding hangt.")
        expect(stalled.get_by_role("heading", name="Inloggen")).to_have_count(0)
        # A call that gets no answer ends as "no connection" (status 0), the offline path.
        status = stalled.evaluate(
            """async (url) => {
            const { api } = await import(url);
            try { await api("/me", { timeout: 300 }); return "answered"; } catch (error) { return error.status; }
        }""",
            f"/app/lib/api.js?v={version()}",
        )
        assert status == 0
        for route in held:
            route.abort()
        assert problems.errors == []
    finally:
        context.close()


def test_a_new_phone_needs_the_document_and_get_me_only(browser, live_server):
    """On 3G each round trip is half a second (issue #24): with no session yet (a new phone), the
    login screen comes with the document, and the document's first script asks GET /me at once."""
    context = new_context(browser, live_server, service_workers="block")
    try:
        fresh = context.new_page()
        problems = PageProblems(fresh)
        requested = []
        fresh.on("request", lambda request: requested.append(request.url))
        fresh.goto("/app/#/nieuw")
        expect(fresh.get_by_label("E-mailadres")).to_be_visible()
        fresh.wait_for_timeout(300)
        assert modules_requested(requested) == set(), requested
        assert [url for url in requested if "/api/v1/me" in url] == [f"{live_server}/api/v1/me"], requested
        # Besides the document only the other screens' texts, once the login screen is up.
        assert {
            url.split("?")[0]
            for url in requested
            if "/app/" in url and not re.search(r"\.(png|webmanifest)$", url)
        } == {f"{live_server}/app/", f"{live_server}/app/locale/nl.json"}, requested
        assert problems.errors == []
    finally:
        context.close()


def test_first_visit_downloads_each_file_once(app, browser, live_server, medewerker):
    """The service worker's precache reuses what the page just loaded (versioned URLs)."""
    context = new_context(browser, live_server)
    try:
        page = context.new_page()
        with ServedRequests(app) as served:
            log_in(page, medewerker["email"])
            wait_for_service_worker(page)
            page.wait_for_timeout(300)
        versioned = {url: n for url, n in served.seen.items() if url.startswith("/app/") and "?v=" in url}
        assert {url: n for url, n in versioned.items() if n > 1} == {}, served.seen
        assert "/app/screens/reflect.js" in {url.split("?")[0] for url in versioned}, served.seen
    finally:
        context.close()


def test_screens_never_opened_online_open_offline(context, page, medewerker):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    assert "screens/settings" not in modules_requested(requested)  # loaded lazily, not yet by the page
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Hallo Sanne")).to_be_visible()
    page.get_by_role("link", name="Instellingen").click()
    expect(page.get_by_role("heading", name="Instellingen")).to_be_visible()
    page.get_by_text("English").click()  # English comes from the precache too
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    page.get_by_text("Nederlands").click()
    expect(page.get_by_role("heading", name="Instellingen")).to_be_visible()
    page.goto("/app/#/reflecties")
    expect(page.get_by_role("heading", name="Mijn reflecties")).to_be_visible()


def test_a_session_ended_on_the_server_leads_to_login(browser, live_server, medewerker):
    """The screen opens from the device's copy; GET /me's 401 then asks to log in again."""
    context = new_context(browser, live_server, service_workers="block")
    try:
        page = context.new_page()
        problems = PageProblems(page)
        log_in(page, medewerker["email"])
        context.clear_cookies()  # as if the session expired or was ended elsewhere
        page.goto("/app/#/nieuw")
        expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
        expect(page.get_by_text("Je bent uitgelogd.")).to_be_visible()
        assert problems.errors == []
    finally:
        context.close()


def test_logging_out_offline_after_an_offline_start_shows_the_login_screen(context, page, medewerker):
    """This page started from the session on the device (no login module loaded); logging out
    removes the precache and the service worker, and the login screen must still come."""
    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Hallo Sanne")).to_be_visible()
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    assert page.evaluate("async () => await caches.keys()") == []
