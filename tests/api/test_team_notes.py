"""'Jullie zeiden, wij deden': the teamleider's weekly note to medewerkers and the residents' line.

Nothing is shown before a worker de-identified it and the teamleider published that version; a
changed text is reviewed again. Medewerkers get a push (quiet hours apply at send time).
"""

import re

from sqlalchemy import select

from server.extensions import db
from server.models import Notification, TeamNote
from tests.support.factories import add_visit

WEEK = "2026-W47"
NOTE = "Jullie schreven vaak over wachtlijsten GGZ. We spreken met de POH af wie overbrugt. Bel Jan op 06-12345678."


def test_weekly_note_reaches_medewerkers_only_after_review_and_publish(team_setup, app, run_jobs):
    lead, alice, stranger = (team_setup["client"][n] for n in ("lead", "alice", "stranger"))
    team = team_setup["team"]
    path = f"/api/v1/teams/{team}/notes/medewerkers/{WEEK}"
    assert alice.put(path, json={"text": NOTE}).status_code == 403
    assert stranger.put(path, json={"text": NOTE}).status_code == 404
    assert lead.put(path, json={"text": "  "}).status_code == 422
    assert lead.put(f"/api/v1/teams/{team}/notes/iedereen/{WEEK}", json={"text": NOTE}).status_code == 404

    saved = lead.put(path, json={"text": NOTE})
    assert saved.status_code == 200 and saved.get_json()["status"] == "reviewing"
    assert lead.post(f"{path}/publish").status_code == 409  # not de-identified yet
    assert alice.get(f"/api/v1/teams/{team}/notes/medewerkers").get_json()["text"] is None

    run_jobs()
    ready = lead.get(path).get_json()
    assert ready["status"] == "ready"
    assert "06-12345678" not in ready["text_deidentified"] and "POH" in ready["text_deidentified"]
    assert alice.get(f"/api/v1/teams/{team}/notes/medewerkers").get_json()["text"] is None  # not published

    assert lead.post(f"{path}/publish").get_json()["status"] == "published"
    seen = alice.get(f"/api/v1/teams/{team}/notes/medewerkers").get_json()
    assert seen == {
        "iso_week": WEEK,
        "text": ready["text_deidentified"],
        "published_at": seen["published_at"],
    }
    assert stranger.get(f"/api/v1/teams/{team}/notes/medewerkers").status_code == 404
    with app.app_context():
        pushed = {
            row.user_id
            for row in db.session.scalars(select(Notification).where(Notification.kind == "team-note"))
        }
    assert pushed == {team_setup["alice"], team_setup["bob"]}
    lead.post(f"{path}/publish")  # publishing twice pushes once
    with app.app_context():
        assert (
            len(db.session.scalars(select(Notification).where(Notification.kind == "team-note")).all()) == 2
        )

    # A rewrite is reviewed again; meanwhile nothing of it (nor the old version) is shown.
    assert lead.put(path, json={"text": "Nieuwe tekst."}).get_json()["status"] == "reviewing"
    assert alice.get(f"/api/v1/teams/{team}/notes/medewerkers").get_json() == {
        "iso_week": None,
        "text": None,
        "published_at": None,
    }


def _link(app, client, author, team):
    visit_id = add_visit(app, author, team)
    return client.post(f"/api/v1/visits/{visit_id}/feedback-link", json={}).get_json()["token"]


def _thanks(app, token):
    client = app.test_client()
    html = client.get(f"/f/{token}").get_data(as_text=True)
    nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
    return client.post(
        f"/f/{token}", data={"nonce": nonce, "serieus": "5", "samen_oplossingen": "4", "contact": "nee"}
    ).get_data(as_text=True)


def test_residents_line_on_the_thank_you_page(team_setup, app, run_jobs):
    lead, alice = team_setup["client"]["lead"], team_setup["client"]["alice"]
    team = team_setup["team"]
    path = f"/api/v1/teams/{team}/notes/inwoners/{WEEK}"
    assert (
        lead.put(path, json={"text": "We bellen binnen twee dagen terug."}).status_code == 422
    )  # said missing
    lead.put(
        path,
        json={
            "said": "U moest lang wachten op een terugbelafspraak, zei mevrouw De Vries.",
            "text": "We bellen binnen twee dagen terug.",
        },
    )
    assert "Wij doen" not in _thanks(app, _link(app, alice, team_setup["alice"], team))  # not reviewed

    run_jobs()
    assert "Wij doen" not in _thanks(app, _link(app, alice, team_setup["alice"], team))  # not published
    lead.post(f"{path}/publish")
    html = _thanks(app, _link(app, alice, team_setup["alice"], team))
    assert "Wij doen:</strong> We bellen binnen twee dagen terug." in html
    assert "U zei:</strong>" in html and "De Vries" not in html
    with app.app_context():
        assert db.session.scalar(select(TeamNote.published_at)) is not None
    # Another team's residents do not see it.
    other = team_setup["other_team"]
    stranger = team_setup["client"]["stranger"]
    assert "Wij doen" not in _thanks(app, _link(app, stranger, team_setup["stranger"], other))
