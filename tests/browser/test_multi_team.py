"""Someone in several teams (a medewerker in two wijkteams, a teamleider leading two) picks the team:
a compact "Team" picker, remembered on the device per user, sent as team_id with every write that
needs it (offline too: a queued write keeps its team) and used for team-scoped reads. With one team
there is no picker at all."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import axe_violations, dump, log_in, screenshot, wait_for_service_worker

pytestmark = pytest.mark.browser


def _join(app, user_id, team_id, role):
    from server.extensions import db
    from server.models import Membership

    with app.app_context():
        db.session.add(Membership(user_id=user_id, team_id=team_id, role=role))
        db.session.commit()


def _email(app, user_id):
    from server.extensions import db
    from server.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def _reflections(app, user_id):
    from server.extensions import db
    from server.models import Reflection

    with app.app_context():
        db.session.remove()
        rows = db.session.scalars(select(Reflection).where(Reflection.author_id == user_id)).all()
        return [(r.team_id, r.what_happened) for r in rows]


def _questions(app, user_id):
    from server.extensions import db
    from server.models import LearningQuestion

    with app.app_context():
        db.session.remove()
        rows = db.session.scalars(select(LearningQuestion).where(LearningQuestion.author_id == user_id)).all()
        return [(q.team_id, q.text) for q in rows]


def _accessible(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = axe_violations(page)
    assert violations == [], dump(violations)


def _picker(page):
    return page.get_by_role("combobox", name="Team", exact=True)


def _member(page, name):
    return page.locator("li.card strong").filter(has_text=re.compile(f"^{name}$"))


def _shown(picker) -> str:
    return picker.evaluate("(select) => select.options[select.selectedIndex].text")


@pytest.fixture
def two_teams(app, make_team, make_user):
    """Sanne, medewerker in Wijkteam Noord and in Wijkteam Zuid: {"id", "email", "teams": {name: id}}."""
    teams = {"Wijkteam Noord": make_team("Wijkteam Noord"), "Wijkteam Zuid": make_team("Wijkteam Zuid")}
    user = make_user(teams["Wijkteam Noord"], "medewerker", name="Sanne")
    _join(app, user, teams["Wijkteam Zuid"], "medewerker")
    return {"id": user, "email": _email(app, user), "teams": teams}


def _other(teams, name):
    return next(other for other in teams if other != name)


def test_medewerker_in_two_teams_writes_to_the_team_picked(app, page, two_teams):
    teams = two_teams["teams"]
    log_in(page, two_teams["email"])
    picker = _picker(page)
    expect(picker).to_be_visible()
    second = _other(teams, _shown(picker))
    picker.select_option(label=second)
    _accessible(page)
    screenshot(page, "70-start-twee-teams")

    # The form shows where the reflection goes before Opslaan.
    page.get_by_role("link", name="Nieuwe reflectie").click()
    page.get_by_label("Wat gebeurde er?").fill("Samen met de buurtcoach bij mevrouw langs geweest.")
    expect(_picker(page)).to_have_value(str(teams[second]))
    expect(page.get_by_text("Je reflectie gaat naar dit team.")).to_be_visible()
    _accessible(page)
    screenshot(page, "71-nieuwe-reflectie-twee-teams")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Verzonden ✓")).to_be_visible()
    expect(page.get_by_text(f"Team: {second}")).to_be_visible()
    assert _reflections(app, two_teams["id"]) == [
        (teams[second], "Samen met de buurtcoach bij mevrouw langs geweest.")
    ]

    # The choice is remembered on the device: after a reload both the start screen and the form have it.
    page.get_by_role("link", name="Naar start").click()
    page.reload()
    expect(_picker(page)).to_have_value(str(teams[second]))
    page.get_by_role("link", name="Nieuwe reflectie").click()
    expect(_picker(page)).to_have_value(str(teams[second]))

    # Picked in the form itself: this reflection goes to the first team.
    first = _other(teams, second)
    page.get_by_label("Wat gebeurde er?").fill("Tweede reflectie, nu voor het andere team.")
    _picker(page).select_option(label=first)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Verzonden ✓")).to_be_visible()
    assert sorted(_reflections(app, two_teams["id"]), key=lambda row: row[1]) == [
        (teams[second], "Samen met de buurtcoach bij mevrouw langs geweest."),
        (teams[first], "Tweede reflectie, nu voor het andere team."),
    ]

    # A contact for a feedback link goes to the picked team too.
    page.goto("/app/#/feedback")
    expect(_picker(page)).to_have_value(str(teams[first]))
    _accessible(page)

    # A learning question too (without team_id the API refuses it for someone in two teams).
    page.goto("/app/#/ontwikkeling")
    page.get_by_label("Wat wil je leren?").fill("Hoe begin ik over schulden?")
    _picker(page).select_option(label=second)
    page.get_by_role("button", name="Leervraag toevoegen").click()
    expect(page.locator(".card").filter(has_text="Hoe begin ik over schulden?")).to_be_visible()
    assert _questions(app, two_teams["id"]) == [(teams[second], "Hoe begin ik over schulden?")]

    # Team-scoped reads ask for the picked team.
    for route, path in (
        ("#/team/reflecties", "/api/v1/team/reflections"),
        ("#/teamvragen", "/api/v1/team/learning-questions"),
    ):
        with page.expect_response(lambda response, path=path: path in response.url) as answer:
            page.goto(f"/app/{route}")
        assert answer.value.status == 200
        assert f"team_id={teams[second]}" in answer.value.url
        expect(_picker(page)).to_have_value(str(teams[second]))
        _accessible(page)


def test_offline_write_keeps_the_team_it_was_made_for(app, context, page, two_teams):
    teams = two_teams["teams"]
    log_in(page, two_teams["email"])
    wait_for_service_worker(page)
    first = _shown(_picker(page))
    second = _other(teams, first)
    _picker(page).select_option(label=second)

    context.set_offline(True)
    page.get_by_role("link", name="Nieuwe reflectie").click()
    expect(_picker(page)).to_have_value(str(teams[second]))
    page.get_by_label("Wat gebeurde er?").fill("In de kelder geschreven, voor het tweede team.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Opgeslagen op je telefoon")).to_be_visible()
    page.get_by_role("link", name="Naar start").click()

    # Switching back before the connection returns does not move what is already waiting.
    _picker(page).select_option(label=first)
    waiting = page.locator("main .card").filter(has_text="Op je telefoon")
    expect(waiting).to_contain_text(f"voor {second}")
    screenshot(page, "72-start-twee-teams-wachtrij")
    assert _reflections(app, two_teams["id"]) == []

    context.set_offline(False)
    expect(page.locator("main").get_by_text("Verzonden ✓")).to_have_count(1, timeout=20000)
    assert _reflections(app, two_teams["id"]) == [
        (teams[second], "In de kelder geschreven, voor het tweede team.")
    ]


def test_teamleider_leading_two_teams_switches_team_screen_and_weekoverzicht(app, page, make_team, make_user):
    from server.extensions import db
    from server.models import Team

    teams = {"Wijkteam Noord": make_team("Wijkteam Noord"), "Wijkteam Zuid": make_team("Wijkteam Zuid")}
    members = {"Wijkteam Noord": "Noor", "Wijkteam Zuid": "Zeger"}
    lead = make_user(teams["Wijkteam Noord"], "teamleider", name="Lotte")
    _join(app, lead, teams["Wijkteam Zuid"], "teamleider")
    for name, member in members.items():
        make_user(teams[name], "medewerker", name=member)
    log_in(page, _email(app, lead))

    page.get_by_role("link", name="Team", exact=True).click()
    expect(page.get_by_role("heading", name="Teamleden")).to_be_visible()
    first = _shown(_picker(page))
    second = _other(teams, first)
    expect(_member(page, members[first])).to_be_visible()
    _picker(page).select_option(label=second)
    expect(_member(page, members[second])).to_be_visible()
    assert _member(page, members[first]).count() == 0
    _accessible(page)
    screenshot(page, "73-team-twee-teams")

    # Settings are saved for the team on screen, and only for that one.
    page.get_by_label("Minimaal aantal collega's per cijfer (k)").fill("4")
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.get_by_text("Opgeslagen ✓").first).to_be_visible()
    with app.app_context():
        assert db.session.get(Team, teams[second]).k_threshold == 4
        assert db.session.get(Team, teams[first]).k_threshold == 3

    page.reload()
    expect(_member(page, members[second])).to_be_visible()
    expect(_picker(page)).to_have_value(str(teams[second]))

    # The weekoverzicht follows the same choice, and switches with its own picker.
    page.goto("/app/#/weekoverzicht")
    make_last = page.get_by_role("link", name="Maak het overzicht van vorige week")
    expect(make_last).to_have_attribute(
        "href", re.compile(rf"^#/weekoverzicht/{teams[second]}/\d{{4}}-W\d{{2}}$")
    )
    expect(_picker(page)).to_have_value(str(teams[second]))
    _picker(page).select_option(label=first)
    expect(make_last).to_have_attribute(
        "href", re.compile(rf"^#/weekoverzicht/{teams[first]}/\d{{4}}-W\d{{2}}$")
    )
    _accessible(page)
    screenshot(page, "74-weekoverzicht-twee-teams")

    # The leeragenda (theme of the month, knowledge map) is per team as well.
    page.goto("/app/#/leeragenda")
    expect(_picker(page)).to_have_value(str(teams[first]))


def test_one_team_shows_no_picker(app, page, medewerker, make_user):
    log_in(page, medewerker["email"])
    expect(page.get_by_role("heading", name="Hallo Sanne")).to_be_visible()
    assert _picker(page).count() == 0
    page.get_by_role("link", name="Nieuwe reflectie").click()
    expect(page.get_by_label("Wat gebeurde er?")).to_be_visible()
    assert _picker(page).count() == 0
    page.get_by_label("Wat gebeurde er?").fill("Eén team, geen keuze nodig.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Verzonden ✓")).to_be_visible()
    assert _reflections(app, medewerker["id"]) == [(medewerker["team"], "Eén team, geen keuze nodig.")]
    assert page.get_by_text("Team: ").count() == 0

    lead = make_user(medewerker["team"], "teamleider", name="Lotte")
    page.get_by_role("link", name="Naar start").click()
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    log_in(page, _email(app, lead))
    page.goto("/app/#/team")
    expect(page.get_by_role("heading", name="Teamleden")).to_be_visible()
    assert _picker(page).count() == 0
    expect(page.get_by_text("Wijkteam Noord")).to_be_visible()
    page.goto("/app/#/weekoverzicht")
    expect(page.get_by_role("link", name="Maak het overzicht van vorige week")).to_be_visible()
    assert _picker(page).count() == 0
