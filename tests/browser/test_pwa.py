"""The PWA in a real Chromium: installable, opens offline, the outbox delivers exactly once,
logout leaves nothing behind, every screen is accessible and looks right at 360×640."""

import re
import time
import uuid
from datetime import date, timedelta

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    PageProblems,
    axe_violations,
    dump,
    log_in,
    new_context,
    screenshot,
    wait_for_service_worker,
)
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

SAFETY_TEXT = (
    "Bij het huisbezoek zag ik blauwe plekken op de armen van het jongste kind. Moeder was erg stil."
)
THEME_TEXT = (
    "Mevrouw heeft een huurachterstand en de deurwaarder is al langs geweest. "
    "We hebben samen gebeld met de schuldhulpverlening."
)


def reflections_of(app, user_id):
    from server.extensions import db
    from server.models import Reflection

    with app.app_context():
        db.session.remove()
        rows = db.session.scalars(select(Reflection).where(Reflection.author_id == user_id)).all()
        return [(str(r.client_id), r.what_happened) for r in rows]


def wait_until(check, timeout=15.0, page=None):
    """Poll check(); with a page, wait through Playwright so its events (CDP, console) keep arriving."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        if page is not None:
            page.wait_for_timeout(200)
        else:
            time.sleep(0.2)


def write_reflection(page, text: str) -> None:
    page.get_by_role("link", name="Nieuwe reflectie").click()
    page.get_by_label("Wat gebeurde er?").fill(text)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Opgeslagen op je telefoon")).to_be_visible()
    page.get_by_role("link", name="Naar start").click()
    expect(page.get_by_role("link", name="Nieuwe reflectie")).to_be_visible()


def outbox_and_drafts(page) -> dict:
    return page.evaluate("""async () => ({
        outbox: (await leerlusStore.all('outbox')).length,
        drafts: Object.keys(localStorage).filter((key) => key.startsWith('leerlus.draft:')).length,
    })""")


def test_installable(playwright_instance, live_server, tmp_path):
    # Installability is not reported in incognito contexts ("in-incognito"): use a real profile.
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        viewport=PHONE,
        base_url=live_server,
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        problems = PageProblems(page)
        page.goto("/app/")
        wait_for_service_worker(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [], manifest["errors"]
        errors = wait_until(
            lambda: cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == [], 10
        )
        assert errors, cdp.send("Page.getInstallabilityErrors")
        assert problems.errors == []
    finally:
        context.close()


def test_opens_offline_after_first_load(context, page, medewerker):
    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Hallo Sanne")).to_be_visible()
    expect(page.locator("#offline")).to_contain_text("Je bent offline")
    page.get_by_role("link", name="Nieuwe reflectie").click()
    expect(page.get_by_label("Wat gebeurde er?")).to_be_visible()
    expect(page.get_by_text("Offline: geen suggesties")).to_be_visible()


def test_offline_outbox_delivers_exactly_once(app, context, page, medewerker):
    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    context.set_offline(True)
    write_reflection(page, "Eerste reflectie in de kelder zonder bereik.")
    write_reflection(page, "Tweede reflectie, nog steeds offline.")
    page.reload()
    pending = page.get_by_text("Op je telefoon — wordt verzonden zodra er verbinding is")
    expect(pending).to_have_count(2)
    screenshot(page, "13-start-offline-wachtrij")
    assert reflections_of(app, medewerker["id"]) == []

    context.set_offline(False)  # the page's `online` event starts the replay
    expect(page.locator("main").get_by_text("Verzonden ✓")).to_have_count(2, timeout=20000)
    expect(pending).to_have_count(0)
    rows = reflections_of(app, medewerker["id"])
    assert sorted(text for _, text in rows) == [
        "Eerste reflectie in de kelder zonder bereik.",
        "Tweede reflectie, nog steeds offline.",
    ]
    assert len({client_id for client_id, _ in rows}) == 2
    # Drafts and sent entries are gone from the device once the server has them.
    assert outbox_and_drafts(page) == {"outbox": 0, "drafts": 0}

    # Replay on start: reloading and another round of the timer send nothing twice.
    page.reload()
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 1000))")
    assert len(reflections_of(app, medewerker["id"])) == 2


def test_start_up_replay_sends_what_was_left(app, context, page, medewerker):
    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    context.set_offline(True)
    write_reflection(page, "Geschreven voor de app dichtging.")
    page.close()
    context.set_offline(False)
    again = context.new_page()
    problems = PageProblems(again)
    again.goto("/app/")
    assert wait_until(lambda: len(reflections_of(app, medewerker["id"])) == 1)
    expect(again.locator("main").get_by_text("Verzonden ✓")).to_have_count(1)
    assert problems.errors == []


def test_typing_is_kept_on_the_device(page, medewerker):
    log_in(page, medewerker["email"])
    page.get_by_role("link", name="Nieuwe reflectie").click()
    page.get_by_label("Wat gebeurde er?").fill("Half getypt in de auto")
    page.get_by_label("Wat viel je op?").fill("Ze wilde eerst niet praten")
    # Drafts are written a moment after the last keystroke: wait until the device holds this one.
    assert page.evaluate(
        """async (key) => {
      for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
        const draft = JSON.parse(localStorage.getItem("leerlus.draft:" + key));
        if (draft && draft.state.noticed === "Ze wilde eerst niet praten") return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    }""",
        f"{medewerker['id']}:reflection",
    )
    page.reload()
    expect(page.get_by_text("Je vorige tekst staat er nog.")).to_be_visible()
    expect(page.get_by_label("Wat gebeurde er?")).to_have_value("Half getypt in de auto")
    expect(page.get_by_label("Wat viel je op?")).to_have_value("Ze wilde eerst niet praten")


def test_textareas_fit_their_text_typed_and_restored(page, medewerker):
    """Every prompt grows with its text while typing and when a draft is opened again (all of a
    screen's textareas are fitted in its first frame, together: pwa/lib/ui.js autoGrow)."""
    long = "\n".join(f"Regel {n} van wat er gebeurde" for n in range(8))
    fits = """() => [...document.querySelectorAll("textarea")].map((t) => t.scrollHeight <= t.clientHeight + 1)"""
    log_in(page, medewerker["email"])
    page.get_by_role("link", name="Nieuwe reflectie").click()
    page.get_by_label("Wat gebeurde er?").fill(long)
    page.get_by_label("Wat viel je op?").fill(long)
    assert page.evaluate(fits) == [True] * 4
    page.wait_for_timeout(600)  # the draft is written a moment after the last keystroke
    page.reload()
    expect(page.get_by_label("Wat viel je op?")).to_have_value(long)
    page.wait_for_function(fits.replace(".map(", ".every("), polling="raf")
    assert page.evaluate(fits) == [True] * 4
    heights = page.evaluate("""() => [...document.querySelectorAll("textarea")].map((t) => t.clientHeight)""")
    assert heights[0] > 2 * heights[2] and heights[1] > 2 * heights[3]


def test_refused_reflection_shows_the_problem_next_to_the_field(app, browser, live_server, medewerker):
    # Without a service worker: its Background Sync would send past the page's fake 422.
    context = new_context(browser, live_server, service_workers="block")
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, medewerker["email"])
    page.route(
        "**/api/v1/reflections",
        lambda route: (
            route.fulfill(
                status=422,
                content_type="application/problem+json",
                body='{"type":"about:blank","title":"Ongeldige invoer","status":422,"detail":"Ongeldige invoer",'
                '"errors":{"why":["Dit veld is te lang."]}}',
            )
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.get_by_role("link", name="Nieuwe reflectie").click()
    page.get_by_label("Wat gebeurde er?").fill("Een reflectie die de server eerst weigert.")
    page.get_by_label("Waarom werkte het").fill("Te lange uitleg")
    page.get_by_role("button", name="Opslaan").click()
    why = page.get_by_label("Waarom werkte het")
    expect(why).to_have_attribute("aria-invalid", "")
    expect(page.get_by_text("Dit veld is te lang.")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Kijk nog even naar de velden")
    screenshot(page, "14-nieuwe-reflectie-geweigerd")
    page.unroute("**/api/v1/reflections")
    why.fill("Korter")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Verzonden ✓")).to_be_visible()
    assert [text for _, text in reflections_of(app, medewerker["id"])] == [
        "Een reflectie die de server eerst weigert."
    ]
    assert problems.errors == []
    context.close()


def test_logout_on_a_shared_phone_leaves_nothing_for_the_next_user(app, context, page, medewerker, make_user):
    """T14: A's queued reflection is neither replayed under B's session nor kept on the device."""
    from server.extensions import db
    from server.models import User

    colleague = make_user(medewerker["team"], "medewerker", name="Bram")
    with app.app_context():
        colleague_email = db.session.get(User, colleague).email
    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    context.set_offline(True)
    write_reflection(page, "Van Sanne, nog niet verzonden.")
    page.get_by_role("link", name="Instellingen").click()
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    assert "1 berichten" in messages[0]
    assert page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)") == []
    assert page.evaluate("async () => await caches.keys()") == []
    # What stays in localStorage is the device's: its language and the logout still to be sent.
    assert page.evaluate("() => Object.keys(localStorage)") == ["leerlus.logout-pending"]

    context.set_offline(False)
    log_in(page, colleague_email)
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 1500))")
    assert reflections_of(app, colleague) == []
    assert reflections_of(app, medewerker["id"]) == []


def test_feedback_for_a_contact_without_reflection(page, medewerker):
    log_in(page, medewerker["email"])
    page.get_by_role("link", name="Vraag feedback").click()
    page.get_by_role("radio", name="telefoontje").check()
    page.get_by_role("button", name="Maak link").click()
    expect(page.get_by_role("img", name="QR-code")).to_be_visible()
    expect(page.locator(".readable-link")).to_contain_text("/f/")


def test_push_message_shows_a_notification(context, page, medewerker, live_server):
    context.grant_permissions(["notifications"], origin=live_server)
    log_in(page, medewerker["email"])
    wait_for_service_worker(page)
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    cdp.send("ServiceWorker.enable")
    assert wait_until(lambda: any(r["scopeURL"].endswith("/app/") for r in registrations), 5, page)
    registration = next(r for r in registrations if r["scopeURL"].endswith("/app/"))
    for data in (
        '{"title": "Je weekoverzicht staat klaar", "body": "Open Leerlus", "url": "/app/#/reflecties"}',
        "not json",
    ):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server, "registrationId": registration["registrationId"], "data": data},
        )

    def notifications():
        shown = page.evaluate("""async () => (await (await navigator.serviceWorker.ready)
            .getNotifications()).map((n) => [n.title, n.body, n.data.url])""")
        return shown if len(shown) == 2 else None

    shown = wait_until(notifications, 5, page)
    assert sorted(shown) == [
        ["Je weekoverzicht staat klaar", "Open Leerlus", "/app/#/reflecties"],
        ["Leerlus", "Er is iets nieuws voor je in Leerlus.", "/app/"],
    ]


def test_second_factor_step(app, page, make_team, make_user):
    secret = pyotp.random_base32()
    team = make_team()
    user_id = make_user(team, "teamleider", name="Tessa", mfa_enabled=True, totp_secret=secret)
    from server.extensions import db
    from server.models import User

    with app.app_context():
        email = db.session.get(User, user_id).email
    page.goto("/app/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    code = page.get_by_label("Code (6 cijfers)")
    expect(code).to_be_focused()
    screenshot(page, "15-inlogcode")
    assert axe_violations(page) == []
    code.fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Die code klopt niet.")).to_be_visible()
    code.fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Hallo Tessa")).to_be_visible()


def test_keyboard_reaches_everything_on_the_reflection_screen(app, page, medewerker):
    log_in(page, medewerker["email"])
    page.get_by_role("link", name="Nieuwe reflectie").click()
    page.get_by_label("Wat gebeurde er?").focus()
    page.keyboard.type("Alleen met het toetsenbord geschreven.")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("""() => {
            const el = document.activeElement;
            return `${el.tagName.toLowerCase()}|${el.getAttribute('role') || el.type || ''}|${
                (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent).trim()}`;
        }""")
        )
        if reached[-1].startswith("button|submit|Opslaan"):
            break
    joined = "\n".join(reached)
    for expected in (
        "textarea|textarea|Wat viel je op?",
        "input|radio|geen",
        "input|radio|Comfortzone",
        "input|radio|1 van 5",
        "button|button|+",
        "input|switch|Deel met mijn team",
        "button|submit|Opslaan",
    ):
        assert expected in joined, f"{expected!r} not reached by Tab:\n{joined}"
    # Choices work from the keyboard too: arrows pick a zone, space flips the switch, Enter saves.
    page.get_by_role("radio", name="Comfortzone").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name=re.compile("Leerzone"))).to_be_checked()
    page.get_by_role("switch").focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("switch")).to_be_checked()
    page.get_by_role("button", name="Opslaan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Verzonden ✓")).to_be_visible()
    with app.app_context():
        from server.extensions import db
        from server.models import Reflection

        db.session.remove()
        row = db.session.scalar(select(Reflection).where(Reflection.author_id == medewerker["id"]))
        assert (row.learning_zone, row.visibility) == ("learning", "team")


def test_every_screen_is_accessible_and_looks_right(app, context, page, medewerker, login, make_user):
    """Walks through every screen: axe-core (no serious or critical violations) and a 360×640 screenshot."""
    found = {}

    def check(name, full_page=False):
        found[name] = axe_violations(page)
        screenshot(page, name)
        if full_page:
            page.screenshot(path=str(screenshot_path(name + "-volledig")), full_page=True)

    page.goto("/app/")
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    check("01-inloggen")
    log_in(page, medewerker["email"])
    expect(page.get_by_text("Nog geen reflecties")).to_be_visible()
    check("02-start-leeg")

    # New reflection: suggestions while typing, the reason behind a chip, the full list.
    page.get_by_role("link", name="Nieuwe reflectie").click()
    page.get_by_label("Wat gebeurde er?").fill(THEME_TEXT)
    suggestion = page.locator(".chip-suggested").first
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page.get_by_text("herkend aan:")).to_be_visible()
    page.get_by_label("Wat doe je volgende keer?").fill("Eerder vragen naar post die niet geopend is.")
    page.get_by_role("radio", name="huisbezoek").check()
    page.get_by_role("radio", name=re.compile("Leerzone")).check()
    page.get_by_role("radio", name="4 van 5").check()
    page.get_by_label("Wat gebeurde er?").scroll_into_view_if_needed()
    check("03-nieuwe-reflectie", full_page=True)
    page.get_by_role("button", name="Thema toevoegen").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    check("04-themalijst")
    page.get_by_label("Gespreksvoering").check()
    page.get_by_role("button", name="Klaar").click()
    expect(page.locator(".chip", has_text="Gespreksvoering")).to_be_visible()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Verzonden ✓")).to_be_visible()
    check("05-verzonden")

    # Vraag feedback: full-screen QR code and the short code to read aloud.
    page.get_by_role("link", name="Vraag feedback aan de inwoner").click()
    expect(page.get_by_role("img", name="QR-code")).to_be_visible()
    expect(page.get_by_text("Scan mij — 4 korte vragen over ons bezoek")).to_be_visible()
    expect(page.locator(".readable-code")).to_be_visible()
    expect(page.locator(".readable-link")).to_contain_text("/f/")
    check("06-vraag-feedback")
    link = page.locator(".readable-link").text_content()

    # The link is kept on the device and shown again (not replaced) when opened later.
    page.get_by_role("link", name="Start").click()
    page.get_by_role("link", name="Laatste feedbacklink opnieuw tonen").click()
    expect(page.locator(".readable-link")).to_have_text(link)

    # Closing the loop: the intention from last time, then a safety signal (with the team's keeper).
    from server.extensions import db
    from server.models import ThemeKeeper

    keeper = make_user(medewerker["team"], "medewerker", name="Fatima")
    with app.app_context():
        db.session.add(ThemeKeeper(team_id=medewerker["team"], theme_id="huiselijk-geweld", user_id=keeper))
        db.session.commit()
    page.get_by_role("link", name="Start").click()
    page.get_by_role("link", name="Nieuwe reflectie").click()
    expect(page.get_by_text("Vorige keer nam je je voor: “Eerder vragen naar post")).to_be_visible()
    page.get_by_role("button", name="Deels").click()
    page.get_by_label("Wat gebeurde er?").fill(SAFETY_TEXT)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Let op: mogelijk onveilige situatie")).to_be_visible()
    expect(page.get_by_text("Breng de signalen in kaart.")).to_be_visible()
    expect(page.get_by_text("Aandachtsfunctionaris in je team: Fatima")).to_be_visible()
    check("08-meldcode", full_page=True)
    from server.models import Reflection

    with app.app_context():
        db.session.remove()
        outcomes = db.session.scalars(
            select(Reflection.previous_intention_outcome).where(Reflection.author_id == medewerker["id"])
        ).all()
        assert sorted(o or "" for o in outcomes) == ["", "deels"]

    # Actions (one due soon) and the start screen with everything on it.
    client = login(medewerker["id"])
    due = (date.today() + timedelta(days=2)).isoformat()
    response = client.post(
        "/api/v1/actions",
        json={"client_id": str(uuid.uuid4()), "title": "Bel de schuldhulpverlening terug", "due": due},
    )
    assert response.status_code == 201, response.get_json()
    page.get_by_role("link", name="Naar start").click()
    expect(page.get_by_text("Bel de schuldhulpverlening terug")).to_be_visible()
    check("07-start")
    page.get_by_role("link", name="Al mijn reflecties").click()
    expect(page.locator("main").get_by_text("Verzonden ✓")).to_have_count(2)
    check("09-mijn-reflecties")
    page.get_by_role("link", name="Start").click()
    page.get_by_role("link", name="Al mijn acties").click()
    expect(page.get_by_role("heading", name="Mijn acties")).to_be_visible()
    page.get_by_role("button", name="Gedaan").click()
    expect(page.get_by_role("button", name="Toch nog open")).to_be_visible()
    check("10-mijn-acties")
    page.get_by_role("link", name="Start").click()
    page.get_by_role("link", name="Instellingen").click()
    check("11-instellingen")

    # Dark mode: contrast must hold there too.
    page.emulate_media(color_scheme="dark")
    page.get_by_role("link", name="Start").click()
    check("12-start-donker")
    page.get_by_role("link", name="Nieuwe reflectie").click()
    check("12b-nieuwe-reflectie-donker")
    page.emulate_media(color_scheme="light")

    # English on request.
    page.get_by_role("link", name="Start").click()
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_text("English").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    check("16-settings-english")

    assert {name: v for name, v in found.items() if v} == {}, dump(found)


def screenshot_path(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
