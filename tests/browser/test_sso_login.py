""" "Inloggen met je werkaccount" in Chromium: the PWA's button, the real OpenID Provider's login page,
back to the app logged in; and a refused login comes back with its reason on the login screen."""

import contextlib
import json
import threading
import uuid
from datetime import timedelta

import pytest
from werkzeug.serving import make_server

from tests.api.test_sso import OIDC_DIR, start_idp
from tests.browser.conftest import PageProblems, new_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (OIDC_DIR / "node_modules" / "oidc-provider").exists(),
        reason="npm ci in tests/oidc first (.ci/run does)",
    ),
]


@pytest.fixture
def sso_site(app, tmp_path):
    """The app configured for one IdP, served on a port the system picked, and that IdP redirecting
    back to it. The server is bound before the app exists (a port chosen beforehand and bound later
    can be taken in between), so it serves whatever `site` holds."""
    from server import create_app

    site = {}
    server = make_server(
        "127.0.0.1", 0, lambda environ, respond: site["app"](environ, respond), threaded=True
    )
    base = f"http://127.0.0.1:{server.socket.getsockname()[1]}"
    with start_idp(tmp_path, f"{base}/api/v1/auth/sso/werk/callback", f"{base}/app/") as issuer:
        site["app"] = sso = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "PUBLIC_BASE_URL": base,
                "OIDC_PROVIDERS": json.dumps(
                    [
                        {
                            "name": "werk",
                            "issuer": issuer,
                            "client_id": "leerlus",
                            "client_secret": "leerlus-test-secret",
                        }
                    ]
                ),
            }
        )
        thread = threading.Thread(target=server.serve_forever, name="sso-live-server", daemon=True)
        thread.start()
        try:
            yield sso, base
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()


def test_work_account_login_in_chromium(browser, sso_site, make_team):
    from server.extensions import db
    from server.models import Invitation, utcnow

    sso, base = sso_site
    team = make_team("Wijkteam Werk")
    with sso.app_context():
        db.session.add(
            Invitation(
                team_id=team,
                email="nieuw.collega@gemeente.test",
                role="medewerker",
                token_hash=uuid.uuid4().hex,
                expires_at=utcnow() + timedelta(days=7),
            )
        )
        db.session.commit()
    # Nobody with that address: refused, and the login screen says why.
    with chromium_page(browser, base) as page:
        page.goto("/app/")
        page.get_by_role("link", name="Inloggen met je werkaccount").click()
        at_idp_login(page, "stranger")
        page.get_by_text("Vraag je teamleider om een uitnodiging.").wait_for()
        assert "#/login?sso=geen-uitnodiging" in page.url
    # Invited: the account is made and the app opens.
    with chromium_page(browser, base) as page:
        page.goto("/app/")
        page.get_by_role("link", name="Inloggen met je werkaccount").click()
        at_idp_login(page, "invited")
        page.get_by_role("link", name="Nieuwe reflectie").wait_for()
        assert page.url.startswith(f"{base}/app/")


def at_idp_login(page, account: str) -> None:
    page.locator("input[name=login]").fill(account)
    page.locator("input[name=password]").fill("wat-dan-ook")
    page.locator("button[type=submit]").click()


@contextlib.contextmanager
def chromium_page(browser, base):
    context = new_context(browser, base)
    page = context.new_page()
    problems = PageProblems(page)
    try:
        yield page
    finally:
        context.close()
    assert problems.errors == []
