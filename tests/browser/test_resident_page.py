"""The resident's page in a real Chromium: without JavaScript, no cookies, nothing from elsewhere."""

import pytest
from sqlalchemy import select

from server.extensions import db, limiter
from server.models import InwonerFeedback
from tests.browser.conftest import SCREENSHOTS, PageProblems, axe_violations, dump, new_context, screenshot
from tests.browser.test_layout_medewerker import OVERLAPS, TARGETS
from tests.support.factories import add_visit

pytestmark = pytest.mark.browser


@pytest.fixture
def feedback_path(app, medewerker, login):
    visit_id = add_visit(app, medewerker["id"], medewerker["team"])
    response = login(medewerker["id"]).post(f"/api/v1/visits/{visit_id}/feedback-link", json={})
    assert response.status_code == 201
    return "/f/" + response.get_json()["token"]


def test_resident_answers_without_javascript(app, browser, live_server, feedback_path):
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(feedback_path)
    screenshot(page, "30-inwoner-vragen")
    page.get_by_role("group", name="De medewerker nam mij serieus").get_by_text("Helemaal mee eens").click()
    page.get_by_role("group", name="We hebben samen naar oplossingen gezocht").get_by_text(
        "Mee eens", exact=True
    ).click()
    page.get_by_label("Wat wilt u ons nog zeggen?").fill("Fijn dat u de tijd nam.")
    page.get_by_text("Ja, graag").click()
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("heading", name="Dank u wel.").wait_for()
    screenshot(page, "31-inwoner-bedankt")

    assert context.cookies() == []
    assert requested and all(url.startswith(live_server + "/f/") for url in requested), requested
    with app.app_context():
        [answer] = db.session.scalars(select(InwonerFeedback)).all()
        assert answer.scores == {"serieus": 5, "samen_oplossingen": 4}
        assert answer.comment == "Fijn dat u de tijd nam." and answer.contact_requested is True

    page.goto(feedback_path)
    assert "al beantwoord" in page.content()
    screenshot(page, "32-inwoner-al-beantwoord")
    context.close()


@pytest.mark.parametrize("lang,scheme", [("nl", "light"), ("ar", "dark")])
def test_resident_page_is_accessible(browser, live_server, feedback_path, lang, scheme):
    # JavaScript on only so axe-core can run; the page itself has none.
    context = new_context(browser, live_server, color_scheme=scheme)
    page = context.new_page()
    problems = PageProblems(page)
    page.goto(f"{feedback_path}?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    violations = axe_violations(page)
    screenshot(page, f"33-inwoner-{lang}-{scheme}")
    assert violations == [], dump(violations)
    assert problems.errors == []
    context.close()


# Chromium here has no speech voices: a stand-in speechSynthesis with chosen voices, installed
# before the page's own script runs (through the DevTools protocol, which the page's CSP allows).
FAKE_VOICES = """(langs) => {
  const spoken = [];
  window.__spoken = spoken;
  const synth = new EventTarget();
  synth.getVoices = () => langs.map((lang) => ({ lang, name: 'stem ' + lang }));
  synth.speak = (utterance) => spoken.push([utterance.lang, utterance.text]);
  synth.cancel = () => {};
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}"""


def with_voices(context, langs):
    context.add_init_script(f"({FAKE_VOICES})({langs!r})")


def test_read_aloud_button_only_where_a_voice_exists(browser, live_server, feedback_path):
    context = new_context(browser, live_server)
    with_voices(context, ["nl-NL", "en-GB"])
    page = context.new_page()
    problems = PageProblems(page)
    page.goto(feedback_path)
    button = page.get_by_role("button", name="Lees voor")
    button.wait_for()
    screenshot(page, "34-inwoner-voorlezen")
    button.click()
    assert page.get_by_role("button", name="Stop met voorlezen").get_attribute("aria-pressed") == "true"
    spoken = page.evaluate("() => window.__spoken")
    assert spoken[0] == ["nl-NL", "Hoe was ons bezoek?"]
    texts = [text for _, text in spoken]
    assert "De medewerker nam mij serieus" in texts and "Versturen" in texts and "Lees voor" not in texts
    assert not any("Nederlands" in text for text in texts)  # the language list is not read
    page.goto(f"{feedback_path}?lang=en")
    page.get_by_role("button", name="Read aloud").wait_for()
    # No Arabic voice on this phone: no button, and the page is as it always was.
    page.goto(f"{feedback_path}?lang=ar")
    page.get_by_role("button", name="إرسال").wait_for()
    page.wait_for_load_state("load")
    assert page.locator("button.read-aloud").count() == 0
    assert problems.errors == []
    context.close()


def test_no_read_aloud_without_speech_or_without_javascript(browser, live_server, feedback_path):
    for options in ({"java_script_enabled": False}, {}):
        context = new_context(browser, live_server, **options)
        page = context.new_page()
        page.goto(feedback_path)
        page.wait_for_load_state("load")
        assert page.get_by_role("button", name="Versturen").is_visible()
        assert page.locator("button.read-aloud").count() == 0
        context.close()


@pytest.fixture
def youth_path(app, medewerker, login):
    visit_id = add_visit(app, medewerker["id"], medewerker["team"])
    response = login(medewerker["id"]).post(
        f"/api/v1/visits/{visit_id}/feedback-link", json={"variant": "jeugd"}
    )
    assert response.status_code == 201
    return "/f/" + response.get_json()["token"], response.get_json()["code"]


def test_youth_page_without_javascript_and_accessible(app, browser, live_server, youth_path):
    path, _ = youth_path
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto(path)
    page.get_by_role("heading", name="Hoe was het gesprek?").wait_for()
    screenshot(page, "35-jongere-vragen")
    page.screenshot(path=str(SCREENSHOTS / "35-jongere-vragen-hele-pagina.png"), full_page=True)
    page.get_by_role("group", name="Ik werd serieus genomen").get_by_text("Helemaal waar").click()
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("heading", name="Bedankt!").wait_for()
    assert context.cookies() == []
    with app.app_context():
        [answer] = db.session.scalars(select(InwonerFeedback)).all()
        assert answer.scores == {"jeugd_serieus": 5}
    context.close()
    context = new_context(browser, live_server)
    page = context.new_page()
    page.goto("/f/code")
    violations = axe_violations(page)
    assert violations == [], dump(violations)
    context.close()


def test_resident_types_the_card_code_without_javascript(app, browser, live_server, youth_path):
    _, code = youth_path
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/f/code")
    page.get_by_label("Typ uw code").fill(code.lower().replace("-", " "))
    screenshot(page, "36-inwoner-code")
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("group", name="Ik mocht meebeslissen over de hulp").get_by_text(
        "Waar", exact=True
    ).click()
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("heading", name="Bedankt!").wait_for()
    with app.app_context():
        assert db.session.scalars(select(InwonerFeedback)).one().scores == {"jeugd_meebeslissen": 4}
    context.close()


LANGUAGES = ("nl", "en", "tr", "ar", "pl", "uk")
WIDTHS = (320, 360, 414)


@pytest.fixture
def gemeente_path(app, make_team, make_user, login):
    """A link of a team that works for a gemeente, with all five Wmo statements (the longest form)."""
    from server.models import Organisation, Team

    with app.app_context():
        organisation = Organisation(name="Gemeente Rivierstad")
        db.session.add(organisation)
        db.session.commit()
        organisation_id = organisation.id
    team_id = make_team(
        "Wijkteam Oost-Binnenstad",
        organisation_id=organisation_id,
        wmo_items=["serieus", "samen_oplossingen", "past_bij_vraag", "weet_waar_terecht", "kwaliteit_leven"],
    )
    with app.app_context():
        assert db.session.get(Team, team_id).organisation_id == organisation_id
    user_id = make_user(team_id, "medewerker")
    visit_id = add_visit(app, user_id, team_id)
    response = login(user_id).post(f"/api/v1/visits/{visit_id}/feedback-link", json={})
    assert response.status_code == 201
    return "/f/" + response.get_json()["token"]


def test_resident_pages_reflow_at_phone_widths_in_every_language(browser, live_server, gemeente_path):
    """WCAG 1.4.10: no horizontal scrolling at 320, 360 and 414 px, in all six languages, on the
    questions page, on the page where a resident types a code, and on an "unknown link" page; and on
    each, no overlapping targets and none under 44 × 44 px (WCAG 2.5.5)."""
    too_wide = []
    for width in WIDTHS:
        context = new_context(
            browser, live_server, java_script_enabled=False, viewport={"width": width, "height": 640}
        )
        page = context.new_page()
        for lang in LANGUAGES:
            limiter.reset()  # 36 pages of one link in a few seconds are more than a resident may ask for
            for path in (
                f"{gemeente_path}?lang={lang}",
                f"/f/code?lang={lang}",
                f"/f/{'x' * 43}?lang={lang}",
            ):
                page.goto(path)
                assert page.locator("html").get_attribute("lang") == lang
                scroll, inner = page.evaluate(
                    "() => [document.documentElement.scrollWidth, window.innerWidth]"
                )
                assert page.locator("h1").count() == 1
                if scroll > inner:
                    too_wide.append((width, lang, path.split("?")[0][-6:], scroll))
                # Nothing a resident taps overlaps another target or is under 44 × 44 px.
                for check in (OVERLAPS, TARGETS):
                    found = page.evaluate(check)
                    if found:
                        too_wide.append((width, lang, path.split("?")[0][-6:], found))
            if width == 360 and lang in ("nl", "tr", "ar"):
                page.goto(f"{gemeente_path}?lang={lang}")
                page.screenshot(path=str(SCREENSHOTS / f"37-inwoner-{lang}-360.png"), full_page=True)
        context.close()
    assert too_wide == [], too_wide
    # A wrong code on a narrow phone: the error in the resident's language, what was typed kept.
    context = new_context(
        browser, live_server, java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.goto("/f/?lang=ar")
    page.get_by_label("اكتب رمزك").fill("7kq4 m2")
    page.get_by_role("button", name="التالي").click()
    page.get_by_role("alert").get_by_text("لقد كتبت 6").wait_for()
    assert page.get_by_label("اكتب رمزك").input_value() == "7kq4 m2"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "38-inwoner-code-fout-ar-320")
    context.close()
    # On a laptop the five faces stand in one row under each statement.
    context = new_context(
        browser, live_server, java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    limiter.reset()
    page.goto(gemeente_path)
    tops = (
        page.locator("fieldset")
        .first.locator(".faces label")
        .evaluate_all("(labels) => labels.map((label) => label.getBoundingClientRect().top)")
    )
    assert len(tops) == 5 and len(set(tops)) == 1
    screenshot(page, "39-inwoner-nl-1280")
    context.close()
