"""The pages behind e-mailed links: accepting an invitation and choosing a new password."""

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_an_invited_colleague_sets_a_password_and_lands_in_the_app(page, team_setup):
    invite = (
        team_setup["client"]["lead"]
        .post(
            f"/api/v1/teams/{team_setup['team']}/invitations",
            json={"email": "nieuwe.collega@test.leerlus.nl"},
        )
        .get_json()
    )
    page.goto(invite["invite_url"].replace("http://leerlus.test", ""))
    expect(page.get_by_role("heading", name="Welkom bij Leerlus")).to_be_visible()
    screenshot(page, "50-uitnodiging")
    assert axe_violations(page) == []
    page.get_by_label("Wachtwoord (minstens 10 tekens)").fill("kort")
    page.get_by_role("button", name="Account maken en inloggen").click()
    expect(page.get_by_text("minstens 10 tekens").last).to_be_visible()
    page.get_by_label("Je naam").fill("Noor")
    page.get_by_label("Wachtwoord (minstens 10 tekens)").fill("een lang wachtwoord")
    page.get_by_role("button", name="Account maken en inloggen").click()
    expect(page.get_by_role("heading", name="Hallo Noor")).to_be_visible()


def test_a_reset_link_sets_a_new_password(page, team_setup, app, anonymous):
    from server.auth.links import link_token
    from server.extensions import db
    from server.models import PasswordReset, User

    with app.app_context():
        email = db.session.get(User, team_setup["alice"]).email
    assert anonymous.post("/api/v1/auth/password-reset", json={"email": email}).status_code == 202
    with app.app_context():
        reset = db.session.query(PasswordReset).one()
        token = link_token("reset", reset.id)
    page.goto("/app/#/wachtwoord-vergeten")
    expect(page.get_by_role("heading", name="Wachtwoord vergeten")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"/app/#/wachtwoord/{token}")
    page.get_by_label("Wachtwoord (minstens 10 tekens)").fill("mijn nieuwe wachtwoord")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_text("Je wachtwoord is veranderd.")).to_be_visible()
    old = anonymous.post("/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD})
    assert old.status_code == 401


def test_enrolling_a_second_factor_from_the_settings(page, medewerker):
    log_in(page, medewerker["email"])
    page.goto("/app/#/instellingen")
    page.get_by_role("link", name="Tweede factor").click()
    page.get_by_role("button", name="Tweede factor instellen").click()
    expect(page.get_by_role("img", name="QR-code voor je authenticator-app")).to_be_visible()
    secret = page.locator("code.secret").inner_text()
    screenshot(page, "51-tweede-factor")
    assert axe_violations(page) == []
    page.get_by_label("Code (6 cijfers)").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Code controleren en aanzetten").click()
    expect(page.get_by_text("Bewaar deze herstelcodes")).to_be_visible()
    assert page.locator("ul.recovery-codes li").count() == 10
