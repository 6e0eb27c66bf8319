"""Resident feedback: links, the /f/<token> page, the worker, and what the medewerker sees."""

import hashlib
import logging
import re
import secrets
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.extensions import db, limiter
from server.models import FeedbackLink, InwonerFeedback, Notification, Team, utcnow
from tests.support.factories import add_visit


@pytest.fixture
def make_visit(app):
    def make(author_id, team_id):
        return add_visit(app, author_id, team_id)

    return make


@pytest.fixture
def owner(make_team, make_user, login):
    """One medewerker, Alice, and her team: cheaper than team_setup where nobody else is needed."""
    team = make_team()
    alice = make_user(team, "medewerker", name="Alice")
    return {"team": team, "alice": alice, "client": {"alice": login(alice)}}


@pytest.fixture
def link(owner, make_visit):
    """A fresh feedback link on one of Alice's visits: (token, response body, visit id)."""
    visit_id = make_visit(owner["alice"], owner["team"])
    response = owner["client"]["alice"].post(f"/api/v1/visits/{visit_id}/feedback-link", json={})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return body["token"], body, visit_id


def form_nonce(html: str) -> str:
    return re.search(r'name="nonce" value="([^"]+)"', html).group(1)


def open_form(client, token, lang=""):
    response = client.get(f"/f/{token}" + (f"?lang={lang}" if lang else ""))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def submit(client, token, **fields):
    html = open_form(client, token)
    data = {"nonce": form_nonce(html), "serieus": "5", "samen_oplossingen": "4", "contact": "nee"}
    data.update(fields)
    return client.post(f"/f/{token}", data=data)


def feedback_rows(app):
    with app.app_context():
        return db.session.scalars(select(InwonerFeedback)).all()


def test_link_is_random_hashed_and_expires_per_team_setting(app, link):
    token, body, visit_id = link
    assert len(token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert body["url"] == f"http://leerlus.test/f/{token}"
    assert body["qr_svg"].startswith("<svg") and "href" not in body["qr_svg"]
    with app.app_context():
        row = db.session.scalar(select(FeedbackLink))
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str([row.token_hash, row.id])
        assert timedelta(days=13, hours=23) < row.expires_at - row.created_at <= timedelta(days=14)


def test_asking_again_revokes_the_older_link(app, link, owner):
    old_token, _, visit_id = link
    again = owner["client"]["alice"].post(f"/api/v1/visits/{visit_id}/feedback-link", json={"language": "tr"})
    assert again.status_code == 201
    client = app.test_client()
    assert client.get(f"/f/{old_token}").status_code == 410
    page = client.get(f"/f/{again.get_json()['token']}")
    assert page.status_code == 200 and 'lang="tr"' in page.get_data(as_text=True)


def test_only_the_visit_author_can_ask(team_setup, make_visit):
    visit_id = make_visit(team_setup["alice"], team_setup["team"])
    for who in ("bob", "lead", "stranger"):
        response = team_setup["client"][who].post(f"/api/v1/visits/{visit_id}/feedback-link", json={})
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"


def test_get_twice_then_post_succeeds_and_second_post_is_gone(app, link):
    token, _, _ = link
    client = app.test_client()
    open_form(client, token)
    html = open_form(client, token)
    assert "Hoe was ons bezoek?" in html and "Helemaal mee eens" in html
    response = client.post(
        f"/f/{token}",
        data={
            "nonce": form_nonce(html),
            "serieus": "5",
            "samen_oplossingen": "2",
            "comment": "Fijn gesprek.",
            "contact": "ja",
        },
    )
    assert response.status_code == 200
    assert "Dank u wel." in response.get_data(as_text=True)
    again = client.post(f"/f/{token}", data={"nonce": form_nonce(html), "serieus": "1"})
    assert again.status_code == 410
    assert "al beantwoord" in again.get_data(as_text=True)
    assert client.get(f"/f/{token}").status_code == 410
    [row] = feedback_rows(app)
    assert row.scores == {"serieus": 5, "samen_oplossingen": 2}
    assert row.contact_requested is True and row.language == "nl"
    assert row.comment == "Fijn gesprek."


def test_author_is_the_medewerker_and_event_is_emitted(app, link, owner):
    token, _, visit_id = link
    submit(app.test_client(), token)
    [row] = feedback_rows(app)
    assert row.medewerker_id == owner["alice"] and row.visit_id == visit_id
    assert row.team_id == owner["team"]
    with app.app_context():
        from server.models import OutboxEvent

        kinds = [(e.kind, e.payload) for e in db.session.scalars(select(OutboxEvent))]
    assert ("feedback.submitted", {"feedback_id": str(row.id)}) in kinds


def test_expired_link_is_410_with_contact_route(app, link, owner):
    token, _, _ = link
    with app.app_context():
        db.session.get(Team, owner["team"]).contact_route = "bel 14 020 of mail wijkteam@gemeente.nl"
        row = db.session.scalar(select(FeedbackLink))
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    client = app.test_client()
    page = client.get(f"/f/{token}")
    assert page.status_code == 410
    html = page.get_data(as_text=True)
    assert "werkt niet meer" in html and "bel 14 020" in html
    assert "410" not in html
    assert client.post(f"/f/{token}", data={"serieus": "4"}).status_code == 410
    assert feedback_rows(app) == []


def test_unknown_token_is_a_friendly_404(anonymous):
    for method in ("get", "post"):
        response = getattr(anonymous.http, method)(f"/f/{secrets.token_urlsafe(32)}")
        assert response.status_code == 404
        assert response.mimetype == "text/html"
        assert "niet vinden" in response.get_data(as_text=True)


def test_form_without_valid_nonce_keeps_the_answers(app, link):
    token, _, _ = link
    response = app.test_client().post(
        f"/f/{token}", data={"nonce": "forged", "serieus": "3", "comment": "mijn tekst"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "stond lang open" in html and "mijn tekst" in html
    assert re.search(r'name="serieus" value="3" checked', html)
    assert feedback_rows(app) == []


def test_empty_and_too_long_answers_are_refused_kindly(app, link):
    token, _, _ = link
    client = app.test_client()
    nonce = form_nonce(open_form(client, token))
    empty = client.post(f"/f/{token}", data={"nonce": nonce, "contact": "nee"})
    assert empty.status_code == 422 and "minstens één vraag" in empty.get_data(as_text=True)
    long = client.post(f"/f/{token}", data={"nonce": nonce, "comment": "a" * 1001})
    assert long.status_code == 422 and "te lang" in long.get_data(as_text=True)
    assert feedback_rows(app) == []
    assert client.post(f"/f/{token}", data={"nonce": nonce, "comment": "a" * 1000}).status_code == 200


def test_fifty_concurrent_posts_make_exactly_one_answer(app, link, monkeypatch):
    token, _, _ = link
    # Rate limits would turn most of these into 429s; here the database alone must decide.
    monkeypatch.setattr(limiter, "enabled", False)
    nonce = form_nonce(open_form(app.test_client(), token))
    statuses = []
    barrier = threading.Barrier(50)

    def post():
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post(f"/f/{token}", data={"nonce": nonce, "serieus": "4"}).status_code)

    threads = [threading.Thread(target=post) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [410] * 49
    assert len(feedback_rows(app)) == 1


def test_resident_pages_set_no_cookie_and_load_nothing_from_elsewhere(app, link, owner):
    token, _, _ = link
    # Even a logged-in medewerker opening the link gets no cookie from these pages.
    client = owner["client"]["alice"].http
    responses = [client.get(f"/f/{token}"), client.get(f"/f/{token}?lang=ar"), client.get("/f/onbekend")]
    html = responses[0].get_data(as_text=True)
    responses.append(client.post(f"/f/{token}", data={"nonce": form_nonce(html), "serieus": "5"}))
    responses.append(client.get(f"/f/{token}"))
    for response in responses:
        assert "Set-Cookie" not in response.headers
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
        page = response.get_data(as_text=True)
        # One script, from this origin, optional (read-aloud); nothing inline.
        assert re.findall(r"<script[^>]*>", page) == ['<script src="/f/read-aloud.js" defer>']
        assert "script-src 'self'" in csp and "unsafe-eval" not in csp
        assert not re.search(r"(src|href|action)=\"(https?:)?//", page)
        assert "http://" not in page and "https://" not in page
        assert len(response.data) < 30 * 1024
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_inline_style_matches_its_csp_hash(app, link):
    import base64

    token, _, _ = link
    response = app.test_client().get(f"/f/{token}")
    css = re.search(r"<style>(.*?)</style>", response.get_data(as_text=True), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "lang,direction,submit_text",
    [
        ("nl", "ltr", "Versturen"),
        ("en", "ltr", "Send"),
        ("tr", "ltr", "Gönder"),
        ("ar", "rtl", "إرسال"),
        ("pl", "ltr", "Wyślij"),
        ("uk", "ltr", "Надіслати"),
    ],
)
def test_every_language_with_its_direction_and_language_links(app, link, lang, direction, submit_text):
    token, _, _ = link
    response = app.test_client().get(f"/f/{token}?lang={lang}")
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert submit_text in html and response.headers["Content-Language"] == lang
    for own_name in ("Nederlands", "English", "Türkçe", "العربية", "Polski", "Українська"):
        assert own_name in html
    assert html.count('type="radio"') == 2 * 5 + 2
    assert f'action="?lang={lang}"' in html


def test_arabic_answer_is_stored_with_its_language(app, link):
    token, _, _ = link
    client = app.test_client()
    html = open_form(client, token, "ar")
    response = client.post(f"/f/{token}?lang=ar", data={"nonce": form_nonce(html), "serieus": "4"})
    assert 'dir="rtl"' in response.get_data(as_text=True)
    assert feedback_rows(app)[0].language == "ar"


def test_team_wmo_items_choose_the_statements(app, owner, make_visit):
    with app.app_context():
        db.session.get(Team, owner["team"]).wmo_items = ["serieus", "past_bij_vraag", "kwaliteit_leven"]
        db.session.commit()
    visit_id = make_visit(owner["alice"], owner["team"])
    token = owner["client"]["alice"].post(f"/api/v1/visits/{visit_id}/feedback-link").get_json()["token"]
    html = open_form(app.test_client(), token)
    assert "De hulp past bij mijn vraag" in html and "Door de hulp kan ik beter mijn leven leiden" in html
    assert "samen naar oplossingen" not in html


def test_brute_force_of_random_tokens_gets_429(anonymous):
    statuses = [anonymous.http.get(f"/f/{secrets.token_urlsafe(32)}").status_code for _ in range(25)]
    assert statuses[0] == 404 and statuses[-1] == 429
    limited = anonymous.http.get(f"/f/{secrets.token_urlsafe(32)}")
    assert limited.status_code == 429 and limited.headers.get("Retry-After")
    assert "Even geduld" in limited.get_data(as_text=True)
    assert "Set-Cookie" not in limited.headers


def test_one_token_is_limited_across_addresses(app, link):
    token, _, _ = link
    client = app.test_client()
    statuses = [
        client.get(f"/f/{token}", environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code for i in range(25)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_oversized_body_is_a_friendly_413(app, link):
    token, _, _ = link
    response = app.test_client().post(f"/f/{token}", data={"comment": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413
    assert "te lang" in response.get_data(as_text=True)


def test_correction_once_within_grace_period(app, link):
    token, _, _ = link
    client = app.test_client()
    thanks = submit(client, token, serieus="1").get_data(as_text=True)
    correction = re.search(r'name="correction" value="([^"]+)"', thanks).group(1)
    fixed = client.post(
        f"/f/{token}", data={"correction": correction, "serieus": "5", "comment": "Sorry!", "contact": "nee"}
    )
    assert fixed.status_code == 200 and "aangepast" in fixed.get_data(as_text=True)
    [row] = feedback_rows(app)
    assert row.scores == {"serieus": 5} and row.comment == "Sorry!" and row.corrected_at is not None
    twice = client.post(f"/f/{token}", data={"correction": correction, "serieus": "1"})
    assert twice.status_code == 410
    assert feedback_rows(app)[0].scores == {"serieus": 5}


def test_correction_expires(app, link, monkeypatch):
    token, _, _ = link
    client = app.test_client()
    thanks = submit(client, token).get_data(as_text=True)
    correction = re.search(r'name="correction" value="([^"]+)"', thanks).group(1)
    import itsdangerous.timed

    later = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: later(self) + 601)
    assert client.post(f"/f/{token}", data={"correction": correction, "serieus": "1"}).status_code == 410


def test_token_never_reaches_the_app_log(app, link, caplog):
    token, _, _ = link
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        submit(client, token)
        client.get(f"/f/{token}")
        client.post(f"/f/{token}", data={"serieus": "2"})
    assert token not in caplog.text


def test_markup_in_comment_is_stored_faithfully_and_rendered_escaped(app, link, run_jobs, owner):
    token, _, _ = link
    client = app.test_client()
    evil = '<script>alert("x")</script><b>vet</b> & "quotes"'
    html = open_form(client, token)
    invalid = client.post(f"/f/{token}", data={"nonce": "stale", "comment": evil})
    assert "<script>alert" not in invalid.get_data(as_text=True)
    assert "&lt;script&gt;" in invalid.get_data(as_text=True)
    client.post(f"/f/{token}", data={"nonce": form_nonce(html), "comment": evil, "serieus": "3"})
    assert feedback_rows(app)[0].comment == evil
    run_jobs()
    response = owner["client"]["alice"].get("/api/v1/feedback")
    assert response.mimetype == "application/json"
    [item] = response.get_json()["items"]
    # JSON carries plain text (never HTML, never pre-escaped); the PWA escapes it when rendering.
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "&lt;" not in item["comment"] and "vet" in item["comment"]


def test_worker_deidentifies_classifies_and_asks_for_contact(app, link, run_jobs, owner):
    token, _, _ = link
    comment = (
        "De medewerker luisterde echt naar mij en nam de tijd. Ze legde alles duidelijk uit. "
        "Bel me gerust op 06-12345678."
    )
    submit(app.test_client(), token, comment=comment, contact="ja")
    run_jobs()
    [row] = feedback_rows(app)
    assert row.processed_at is not None
    assert "12345678" not in row.comment_deidentified
    assert row.comment == comment  # the raw text stays for the retention job
    with app.app_context():
        themes = {t.theme_id for t in db.session.get(InwonerFeedback, row.id).themes}
        [notice] = db.session.scalars(select(Notification)).all()
    assert themes and all(theme.startswith("ervaring-") for theme in themes)
    assert notice.user_id == owner["alice"] and notice.kind == "feedback-contact"
    assert notice.dedupe_key == f"feedback-contact:{row.id}" and notice.ref == {"feedback_id": str(row.id)}

    # Idempotent: running the job again changes nothing and adds no second notification.
    from workers.feedback import process_feedback

    with app.app_context():
        process_feedback(str(row.id))
        assert db.session.scalar(select(func.count(Notification.id))) == 1
        assert {t.theme_id for t in db.session.get(InwonerFeedback, row.id).themes} == themes


def test_only_the_visit_author_sees_the_feedback_and_their_rate(app, team_setup, run_jobs, make_visit):
    visit_id = make_visit(team_setup["alice"], team_setup["team"])
    token = team_setup["client"]["alice"].post(f"/api/v1/visits/{visit_id}/feedback-link").get_json()["token"]
    # A second link that nobody answers lowers Alice's response rate.
    other_visit = make_visit(team_setup["alice"], team_setup["team"])
    team_setup["client"]["alice"].post(f"/api/v1/visits/{other_visit}/feedback-link")
    submit(app.test_client(), token, comment="Ik voelde me gehoord.")

    before = team_setup["client"]["alice"].get("/api/v1/feedback").get_json()
    assert before["items"][0]["comment"] is None and before["items"][0]["processed"] is False
    run_jobs()
    mine = team_setup["client"]["alice"].get("/api/v1/feedback?page_size=5").get_json()
    assert mine["total"] == 1 and mine["page"] == 1 and mine["page_size"] == 5
    [item] = mine["items"]
    assert item["scores"] == {"serieus": 5, "samen_oplossingen": 4}
    assert item["comment"] == "Ik voelde me gehoord." and item["processed"] is True
    assert mine["response_rate"] == {"issued": 2, "answered": 1, "rate": 0.5}
    for who in ("bob", "lead", "stranger"):
        theirs = team_setup["client"][who].get("/api/v1/feedback").get_json()
        assert theirs["items"] == [] and theirs["total"] == 0
        assert theirs["response_rate"] == {"issued": 0, "answered": 0, "rate": None}


def test_feedback_list_needs_login_and_validates_paging(anonymous, owner):
    assert anonymous.get("/api/v1/feedback").status_code == 401
    assert owner["client"]["alice"].get("/api/v1/feedback?page_size=101").status_code == 422


def test_tokens_have_at_least_128_bits_from_a_url_safe_alphabet():
    from server.auth.tokens import new_token

    tokens = {new_token() for _ in range(100_000)}
    assert len(tokens) == 100_000
    assert all(len(token) == 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token) for token in tokens)
