"""The gemeente level through the API: the beleidsmedewerker's access, invitations, and the CEO export
against a hand-computed example."""

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.themes import THEMES
from tests.api import test_authz_matrix as matrix
from tests.api.test_authz_matrix import POLICY, _call, _client
from tests.conftest import ApiClient

world = matrix.world  # the matrix's fixture: one team with objects of every kind

AMS = ZoneInfo("Europe/Amsterdam")
TODAY = datetime(2026, 11, 28, 10, 0, tzinfo=AMS)
# The routes a beleidsmedewerker may use besides their own account: the gemeente's aggregates.
ORGANISATION_ROUTES = {
    ("GET", "/api/v1/organisations"): 200,
    ("GET", "/api/v1/organisations/<uuid:organisation_id>"): 200,
    ("GET", "/api/v1/organisations/<uuid:organisation_id>/overview"): 200,
    ("GET", "/api/v1/organisations/<uuid:organisation_id>/export.csv"): 200,
    ("POST", "/api/v1/organisations"): 403,
    ("PATCH", "/api/v1/organisations/<uuid:organisation_id>"): 403,
    ("POST", "/api/v1/organisations/<uuid:organisation_id>/invitations"): 403,
}


def _policy_member(app, organisation_id) -> uuid.UUID:
    from server.auth.passwords import hash_password
    from server.extensions import db
    from server.models import OrganisationMembership, User
    from tests.conftest import TEST_PASSWORD

    with app.app_context():
        user = User(
            email=f"beleid-{uuid.uuid4().hex[:6]}@gemeente.nl",
            display_name="Bram Beleid",
            password_hash=hash_password(TEST_PASSWORD),
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(
            OrganisationMembership(user_id=user.id, organisation_id=organisation_id, role="beleidsmedewerker")
        )
        db.session.commit()
        return user.id


def test_a_beleidsmedewerker_reaches_only_the_aggregates(app, world, make_user):
    """Every route of the authorisation matrix, as a beleidsmedewerker of the team's gemeente."""
    policy = _client(app, "127.0.2.1", _policy_member(app, uuid.UUID(world["ids"]["organisation"])))
    mismatches = []
    for (method, rule), cases in POLICY.items():
        if rule.endswith("/logout"):  # both end the caller's session (local and single sign-on)
            continue
        for case in cases:
            ids = dict(world["ids"])
            if case.fresh:
                ids |= case.fresh(world, make_user)
            path = case.path.format(**ids)
            response = _call(policy, method, path, case.body(world | {"ids": ids}) if case.body else None)
            own_account = rule.startswith(("/api/v1/me", "/api/v1/auth/"))
            if (method, rule) in ORGANISATION_ROUTES:
                allowed = {ORGANISATION_ROUTES[(method, rule)]}
            elif case.expect["anonymous"] == case.expect["stranger"] or own_account:
                allowed = {case.expect["stranger"]}  # public, or the caller's own account
            else:
                allowed = {401, 403, 404}
            if response.status_code not in allowed:
                mismatches.append(f"{method} {path}: {response.status_code}, expected {allowed}")
    assert not mismatches, "\n".join(mismatches)


def test_other_gemeenten_and_team_roles_get_404_alike(app, world):
    from server.extensions import db
    from server.models import Organisation

    with app.app_context():
        other = Organisation(name="Andere gemeente")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    policy = _client(app, "127.0.2.2", _policy_member(app, uuid.UUID(world["ids"]["organisation"])))
    for path in (
        f"/api/v1/organisations/{other_id}/overview",
        f"/api/v1/organisations/{uuid.uuid4()}/overview",
    ):
        response = policy.get(path)
        assert response.status_code == 404
        assert response.get_json()["detail"] == "Deze gemeente bestaat niet, of je hoort er niet bij."
    listed = policy.get("/api/v1/organisations").get_json()
    assert [item["name"] for item in listed] == ["Gemeente Matrix"]
    assert world["clients"]["lead"].get("/api/v1/organisations").get_json() == []


def test_beheerder_invites_a_beleidsmedewerker_who_needs_a_second_factor_in_production(
    app, make_team, make_user, login, anonymous
):
    admin = login(make_user(make_team("Beheer"), "beheerder"))
    created = admin.post("/api/v1/organisations", json={"name": "Gemeente Uitnodiging"})
    assert created.status_code == 201
    organisation = created.get_json()["id"]
    invitation = admin.post(
        f"/api/v1/organisations/{organisation}/invitations", json={"email": "Nieuw@Gemeente.nl"}
    )
    assert invitation.status_code == 201
    token = invitation.get_json()["invite_url"].rsplit("/", 1)[1]
    accepted = anonymous.post(
        f"/api/v1/organisation-invitations/{token}/accept",
        json={"password": "een lang wachtwoord 7", "display_name": "Nina"},
    )
    assert accepted.status_code == 201, accepted.get_json()
    me = accepted.get_json()
    assert me["teams"] == [] and me["organisations"][0]["role"] == "beleidsmedewerker"
    again = ApiClient(app.test_client()).post(
        f"/api/v1/organisation-invitations/{token}/accept", json={"password": "x" * 12}
    )
    assert again.status_code == 410
    assert again.get_json()["type"] == "/problems/invitation-used"
    client = ApiClient(anonymous.http, me["csrf_token"])
    assert client.get("/api/v1/visits").status_code == 403
    assert client.get(f"/api/v1/organisations/{organisation}").status_code == 200
    app.config["MFA_REQUIRED_ROLES"] = ("teamleider", "beheerder", "beleidsmedewerker")
    try:
        refused = client.get(f"/api/v1/organisations/{organisation}/overview")
        assert refused.status_code == 403
        assert refused.get_json()["type"].endswith("/problems/mfa-required")
    finally:
        app.config["MFA_REQUIRED_ROLES"] = ()


def test_the_invitation_link_says_which_gemeente_and_what_is_wrong_with_it(
    app, make_team, make_user, login, anonymous, clock
):
    """GET shows the gemeente before accepting; unknown, used and expired links each get their own
    problem document in Dutch (unknown: 404 alike for any guess; used and expired: 410)."""
    clock(TODAY)
    admin = login(make_user(make_team("Beheer"), "beheerder"))
    organisation = admin.post("/api/v1/organisations", json={"name": "Gemeente Linkdam"}).get_json()["id"]

    def invite(email):
        answer = admin.post(f"/api/v1/organisations/{organisation}/invitations", json={"email": email})
        return answer.get_json()["invite_url"].rsplit("/", 1)[1]

    token = invite("Lees@Gemeente.nl")
    shown = anonymous.get(f"/api/v1/organisation-invitations/{token}")
    assert shown.status_code == 200
    body = shown.get_json()
    assert body["organisation"] == "Gemeente Linkdam"
    assert (body["role"], body["email"]) == ("beleidsmedewerker", "lees@gemeente.nl")
    assert set(body) == {"organisation", "role", "email", "expires_at", "second_factor"}
    assert body["second_factor"] is False  # MFA_REQUIRED_ROLES is empty outside production

    unknown = anonymous.get("/api/v1/organisation-invitations/" + "A" * 43)
    assert unknown.status_code == 404
    assert unknown.headers["Content-Type"].startswith("application/problem+json")
    assert unknown.get_json()["type"] == "/problems/invitation-unknown"
    assert "klopt niet" in unknown.get_json()["detail"]

    # A password made of the invitee's own e-mail address is refused, as for a team invitation.
    weak = anonymous.post(
        f"/api/v1/organisation-invitations/{token}/accept", json={"password": "lees@gemeente.nl"}
    )
    assert weak.status_code == 422 and "password" in weak.get_json()["errors"]

    stale = invite("laat@gemeente.nl")
    clock(TODAY + timedelta(days=7, minutes=1))
    for response in (
        anonymous.get(f"/api/v1/organisation-invitations/{stale}"),
        anonymous.post(
            f"/api/v1/organisation-invitations/{stale}/accept", json={"password": "een lang wachtwoord 7"}
        ),
    ):
        assert response.status_code == 410
        problem = response.get_json()
        assert problem["type"] == "/problems/invitation-expired"
        assert problem["detail"].startswith("Deze uitnodiging is verlopen")


# -- the CEO export against a hand-computed example -------------------------------------------------------

# September 2026, one team with six medewerkers. Resident answers on "serieus", one per medewerker:
SERIEUS = [5, 4, 4, 3, 2, 5]  # n 6; (helemaal) mee eens 4 of 6 = 67 %; mean 23 / 6 = 3,83
SAMEN = [4, 5, 2]  # n 3 < k 5: suppressed
LINKS_SENT = 10  # 6 answered: 60 %
SECRET = "Mevrouw Jansen aan de Kerkstraat 12"


@pytest.fixture
def september(app, make_team, make_user, clock):
    from server.extensions import db
    from server.models import (
        FeedbackLink,
        InwonerFeedback,
        Organisation,
        OrganisationMembership,
        Reflection,
        Team,
        Visit,
    )

    clock(TODAY)
    team = make_team("Wijkteam Centrum", wmo_items=["serieus", "samen_oplossingen"])
    staff = [make_user(team, "medewerker") for _ in range(6)]
    with app.app_context():
        organisation = Organisation(name="Gemeente Testdam", k_threshold=5)
        db.session.add(organisation)
        db.session.flush()
        db.session.get(Team, team).organisation_id = organisation.id
        moment = datetime(2026, 9, 10, 10, 0, tzinfo=UTC)
        for n in range(LINKS_SENT):
            author = staff[n % 6]
            visit = Visit(
                client_id=uuid.uuid4(),
                author_id=author,
                team_id=team,
                occurred_at=moment,
                kind="huisbezoek",
                payload_hash="x",
            )
            db.session.add(visit)
            db.session.flush()
            link = FeedbackLink(
                token_hash=uuid.uuid4().hex,
                visit_id=visit.id,
                team_id=team,
                created_by_id=author,
                created_at=moment,
                expires_at=moment + timedelta(days=14),
            )
            db.session.add(link)
            db.session.flush()
            if n < 6:
                scores = {"serieus": SERIEUS[n]} | ({"samen_oplossingen": SAMEN[n]} if n < 3 else {})
                db.session.add(
                    InwonerFeedback(
                        link_id=link.id,
                        team_id=team,
                        visit_id=visit.id,
                        medewerker_id=author,
                        submitted_at=moment + timedelta(hours=2),
                        scores=scores,
                        comment=SECRET,
                    )
                )
            db.session.add(
                Reflection(
                    client_id=uuid.uuid4(),
                    author_id=author,
                    team_id=team,
                    occurred_at=moment,
                    received_at=moment,
                    what_happened=SECRET,
                    payload_hash="x",
                    learning_zone="learning",
                )
            )
        db.session.commit()
        organisation_id = organisation.id
    policy = _policy_member(app, organisation_id)
    with app.app_context():
        assert db.session.query(OrganisationMembership).count() == 1
    return {"organisation": organisation_id, "policy": policy}


def test_the_overview_has_numbers_and_never_text(app, september, login):
    client = login(september["policy"])
    response = client.get(f"/api/v1/organisations/{september['organisation']}/overview?period=2026-09")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert SECRET not in response.get_data(as_text=True)
    serieus = next(item for item in body["residents"] if item["item"] == "serieus")
    assert serieus["org"]["value"] == {"n": 6, "agree": 4, "agree_share": 0.667, "mean": 3.83}
    samen = next(item for item in body["residents"] if item["item"] == "samen_oplossingen")
    assert samen["org"].get("suppressed") is True
    assert body["response_rate"]["org"]["value"] == {"sent": 10, "answered": 6, "rate": 0.6}
    assert "beoordelen van medewerkers" in body["purpose"]
    learning = next(zone for zone in body["learning_zones"] if zone["zone"] == "learning")
    assert learning["org"]["value"] == {"reflections": 10, "authors": 6}
    # November is not over: not published (its figures would still change).
    late = client.get(f"/api/v1/organisations/{september['organisation']}/overview?period=2026-11")
    assert late.status_code == 422
    assert (
        client.get(f"/api/v1/organisations/{september['organisation']}/overview?period=2026-13").status_code
        == 422
    )


def test_the_csv_export_matches_the_hand_computed_example(app, september, login):
    client = login(september["policy"])
    response = client.get(f"/api/v1/organisations/{september['organisation']}/export.csv?period=2026-Q3")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and SECRET not in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert list(rows[0]) == [
        "organisatie",
        "eenheid",
        "periode",
        "soort",
        "domein",
        "item",
        "stelling_ceo",
        "n",
        "percentage_helemaal_mee_eens",
        "gemiddelde_1_5",
        "onderdrukt",
    ]
    by_item = {row["item"]: row for row in rows if row["soort"] in ("stelling", "respons")}
    assert {
        key: by_item["serieus"][key]
        for key in (
            "eenheid",
            "periode",
            "stelling_ceo",
            "n",
            "percentage_helemaal_mee_eens",
            "gemiddelde_1_5",
            "onderdrukt",
        )
    } == {
        "eenheid": "Gemeente Testdam",
        "periode": "2026-Q3",
        "stelling_ceo": "De medewerker nam mij serieus.",
        "n": "6",
        "percentage_helemaal_mee_eens": "67",
        "gemiddelde_1_5": "3,83",
        "onderdrukt": "nee",
    }
    assert by_item["samen_oplossingen"]["n"] == "" and by_item["samen_oplossingen"]["onderdrukt"] == "ja"
    assert (by_item["respons"]["n"], by_item["respons"]["percentage_helemaal_mee_eens"]) == ("10", "60")
    kinds = [row["soort"] for row in rows]
    assert "methode" in kinds and "doelbinding" in kinds
    # One team: nothing per team (it would repeat the gemeente's figure).
    assert {row["eenheid"] for row in rows} == {"Gemeente Testdam"}


def test_the_demo_gemeente_shows_teams_overige_and_suppression(app, clock, anonymous):
    from server.demo import PASSWORD, seed_demo
    from server.demo.organisation import ORGANISATION_ID, POLICY_EMAIL

    clock(TODAY)
    with app.app_context():
        seed_demo()
    login = anonymous.post("/api/v1/auth/login", json={"email": POLICY_EMAIL, "password": PASSWORD})
    assert login.status_code == 200
    client = ApiClient(anonymous.http, login.get_json()["csrf_token"])
    body = client.get(f"/api/v1/organisations/{ORGANISATION_ID}/overview?period=2026-Q3").get_json()
    assert body["published"] is True
    names = [team["label"] for team in body["teams"]]
    assert "Wijkteam Centrum" in names and names[-1] == "Overige teams"
    assert "Wijkteam Zuid" not in names  # three medewerkers: under k
    cells = [cell for theme in body["themes"]["items"] for cell in theme["teams"].values()]
    assert any("value" in cell for cell in cells) and any(cell.get("suppressed") for cell in cells)
    default = client.get(f"/api/v1/organisations/{ORGANISATION_ID}/overview").get_json()
    assert default["period"] == {"kind": "month", "value": "2026-10", "months": ["2026-10"]}
    # In English the overview's own words are English; names people typed stay as typed (issue #18).
    assert client.patch("/api/v1/me", json={"language": "en"}).status_code == 200
    english = client.get(f"/api/v1/organisations/{ORGANISATION_ID}/overview?period=2026-Q3").get_json()
    assert (
        english["teams"][-1]["label"] == "Other teams"
        and english["teams"][0]["label"] == body["teams"][0]["label"]
    )
    assert "not for judging staff" in english["purpose"] and "'Other teams'" in english["method"][1]
    assert [zone["label"] for zone in english["learning_zones"]][-1] == "No zone chosen"
    themes = {theme["id"]: theme["label"] for theme in english["themes"]["items"]}
    standard = {theme.id: theme.label for theme in THEMES}
    assert themes.keys() & standard.keys()
    assert all(label != standard[key] for key, label in themes.items() if key in standard)


def test_leads_and_accounts_they_recently_invited_do_not_make_up_k_for_the_gemeente(app, september, login):
    """The sock-puppet attack of the team digest, on the gemeente's September: six authors and k 5.
    When one of them is the team's teamleider and another an account that teamleider invited in
    the last 30 days of the month, only four make up k: every figure they are in is suppressed."""
    from sqlalchemy import select

    from server.extensions import db
    from server.models import Invitation, Membership, Reflection, User

    client = login(september["policy"])
    url = f"/api/v1/organisations/{september['organisation']}/overview?period=2026-09"

    def figures() -> dict:
        body = client.get(url).get_json()
        return {
            "zone": next(z for z in body["learning_zones"] if z["zone"] == "learning")["org"],
            "serieus": next(i for i in body["residents"] if i["item"] == "serieus")["org"],
            "response": body["response_rate"]["org"],
        }

    assert all("value" in cell for cell in figures().values())
    with app.app_context():
        team_id, *_ = db.session.execute(select(Reflection.team_id)).first()
        authors = sorted({str(a) for a in db.session.scalars(select(Reflection.author_id))})
        lead, invited = authors[0], authors[1]
        membership = db.session.scalar(
            select(Membership).where(Membership.user_id == uuid.UUID(lead), Membership.team_id == team_id)
        )
        membership.role = "teamleider"
        invitation = Invitation(
            team_id=team_id,
            email=db.session.get(User, uuid.UUID(invited)).email,
            role="medewerker",
            token_hash=uuid.uuid4().hex,
            invited_by_id=uuid.UUID(lead),
            expires_at=datetime(2026, 9, 28, tzinfo=UTC),
            accepted_at=datetime(2026, 9, 21, tzinfo=UTC),  # 9 days before the month ended
        )
        db.session.add(invitation)
        db.session.commit()
        invitation_id = invitation.id
    shown = figures()
    assert all(cell.get("suppressed") is True for cell in shown.values()), shown
    # An account invited more than 30 days before the month ended counts again: five make up k.
    with app.app_context():
        db.session.get(Invitation, invitation_id).accepted_at = datetime(2026, 8, 30, tzinfo=UTC)
        db.session.commit()
    shown = figures()
    # Everyone is still counted in the figure itself (the teamleider's reflections too).
    assert shown["zone"]["value"] == {"reflections": 10, "authors": 6}
    assert shown["serieus"]["value"]["n"] == 6


def test_a_theme_given_after_the_month_was_published_does_not_move_it(app, september, login):
    """Differencing on the gemeente's September: once the month is published, a theme given to one
    of its reflections later (an edit, a reclassification, the refine job) must not raise a figure
    from 5 to 6 authors, nor lift a theme over k: the change would point at that one row."""
    from sqlalchemy import select

    from server.extensions import db
    from server.models import Reflection, ReflectionTheme

    client = login(september["policy"])
    url = f"/api/v1/organisations/{september['organisation']}/overview?period=2026-09"
    known = datetime(2026, 9, 10, 12, 0, tzinfo=UTC)  # themed in September, before the cut-off

    def themes() -> dict:
        return {t["id"]: t["org"] for t in client.get(url).get_json()["themes"]["items"]}

    def give(reflection_id, theme_id, **when) -> None:
        db.session.add(
            ReflectionTheme(reflection_id=reflection_id, theme_id=theme_id, source="author", **when)
        )

    with app.app_context():
        first_of_each: dict = {}
        for reflection_id, author_id in db.session.execute(
            select(Reflection.id, Reflection.author_id).order_by(Reflection.id)
        ):
            first_of_each.setdefault(author_id, reflection_id)
        *five, sixth = first_of_each.values()
        for reflection_id in five:
            give(reflection_id, "wonen", assigned_at=known)
        db.session.commit()
    before = themes()
    assert before["wonen"]["value"]["authors"] == 5 and "geldzorgen-schulden" not in before

    with app.app_context():
        # Given now (TODAY, after September's cut-off): one more author for wonen, six for a new theme.
        give(sixth, "wonen")
        for reflection_id in [*five, sixth]:
            give(reflection_id, "geldzorgen-schulden")
        db.session.commit()
    assert themes() == before
