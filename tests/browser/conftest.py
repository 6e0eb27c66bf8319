"""Browser-test infrastructure: the real app on a free port, and Chromium driven by Playwright.

The live server uses the same `app` fixture as the rest of the suite (same DATABASE_URL/REDIS_URL),
served by werkzeug in a thread, so a test can check in the database what the browser sent.
Chromium is the Debian package at /usr/bin/chromium (this machine cannot download browsers);
the tests skip with a clear reason only when it is missing.
"""

import json
import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import ARTIFACTS, TEST_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
]
PHONE = {"width": 360, "height": 640}
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = ARTIFACTS / "screens"
# A state the page reaches after a background retry or a worker job can take longer than
# Playwright's 5 s default on a busy CI machine; waiting longer for a state is not waiting for time.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    # The browser keeps the machine's real clock even when the suite runs under libfaketime
    # (docs/testing.md): Chromium aborts on a faked clock, and the app takes its dates from the server.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LD_PRELOAD", "FAKETIME"))}
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
    yield browser
    browser.close()


class PageProblems:
    """Script errors and CSP violations seen on a page: the app must have none."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Uncaught" in text):
            self.errors.append(f"console: {text}")


def new_context(browser, base_url, **options):
    """A phone-sized context: 360×640, Dutch, Amsterdam time, touch."""
    context = browser.new_context(
        base_url=base_url,
        viewport=options.pop("viewport", PHONE),
        device_scale_factor=1,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        has_touch=True,
        **options,
    )
    context.set_default_timeout(10000)
    return context


@pytest.fixture
def context(browser, live_server):
    context = new_context(browser, live_server)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    problems = PageProblems(page)
    yield page
    assert problems.errors == []


@pytest.fixture
def medewerker(make_team, make_user, app):
    """A medewerker in a team: {"id", "email", "team"}."""
    from server.extensions import db
    from server.models import User

    team = make_team("Wijkteam Noord")
    user_id = make_user(team, "medewerker", name="Sanne")
    with app.app_context():
        email = db.session.get(User, user_id).email
    return {"id": user_id, "email": email, "team": team}


def log_in(page, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/app/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Nieuwe reflectie").wait_for()


def wait_for_service_worker(page) -> None:
    """Until the precache is complete and the worker controls the page (so it opens offline)."""
    # A function, not an expression string: strings are eval()ed in the page, which the CSP forbids.
    page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null"
        " && navigator.serviceWorker.controller.state === 'activated'"
    )


def axe_violations(page, min_impact=("serious", "critical")) -> list[dict]:
    # Evaluated through the DevTools protocol, which the page's strict CSP does not block
    # (an injected <script> would be, and the CSP stays on in these tests).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in min_impact
    ]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def dump(value) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False)
