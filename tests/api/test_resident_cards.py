"""Leave-behind cards (PDF), short codes typed at /f/code, and tying a batch card to a visit.

The PDFs are rendered with PDFium (pypdfium2) and the QR codes read back with ZXing (zxing-cpp):
the same kind of decoder a phone camera uses, not segno's own matrix.
"""

import hashlib
import hmac
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
import zxingcpp
from sqlalchemy import select

from server.extensions import db
from server.models import FeedbackLink, InwonerFeedback, Team, utcnow
from server.resident import codes
from tests.support.factories import add_visit

MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture
def alice(make_team, make_user, login):
    team = make_team("Wijkteam Noord")
    user = make_user(team, "medewerker", name="Alice")
    return {"team": team, "id": user, "client": login(user)}


@pytest.fixture
def visit(app, alice):
    return new_visit(app, alice)


def new_visit(app, who):
    return add_visit(app, who["id"], who["team"])


def pages(pdf_bytes: bytes) -> list[dict]:
    """Per page: size in mm, the URLs its QR codes decode to, and its text."""
    document = pdfium.PdfDocument(pdf_bytes)
    result = []
    try:
        for page in document:
            width, height = page.get_size()
            image = page.render(scale=200 / 72).to_pil()
            result.append(
                {
                    "size": (round(width / MM), round(height / MM)),
                    "urls": sorted(
                        code.text
                        for code in zxingcpp.read_barcodes(image)
                        if code.format == zxingcpp.BarcodeFormat.QRCode
                    ),
                    "text": page.get_textpage().get_text_range(),
                }
            )
    finally:
        document.close()
    return result


def printed_codes(text: str) -> list[str]:
    return re.findall(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b", text)


def path_of(url: str) -> str:
    assert url.startswith("http://leerlus.test/f/"), url
    return url.removeprefix("http://leerlus.test")


def test_a6_card_for_a_visit_decodes_to_a_working_link(app, alice, visit):
    response = alice["client"].post(f"/api/v1/visits/{visit}/feedback-card", json={})
    assert response.status_code == 201 and response.mimetype == "application/pdf"
    [page] = pages(response.data)
    assert page["size"] == (105, 148)
    [url] = page["urls"]
    form = app.test_client().get(path_of(url))
    assert form.status_code == 200 and "Hoe was ons bezoek?" in form.get_data(as_text=True)
    text = page["text"]
    assert "Wijkteam Noord" in text
    assert "4 korte vragen over mijn bezoek — u hoeft uw naam niet te geven" in " ".join(text.split())
    assert "leerlus.test/f/code" in text
    with app.app_context():
        link = db.session.scalar(select(FeedbackLink))
        assert link.visit_id == visit
        assert f"Geldig tot {link.expires_at.astimezone(ZoneInfo('Europe/Amsterdam')):%d-%m-%Y}" in text
        # The printed code opens the same link; only its HMAC is stored.
        [code] = printed_codes(text)
        canonical = code.replace("-", "")
        key = app.config["SECRET_KEY"].encode()
        assert (
            link.code_hash
            == hmac.new(key, b"feedback-code:" + canonical.encode(), hashlib.sha256).hexdigest()
        )
        assert canonical not in str([link.token_hash, link.code_hash, link.id])


def test_a_new_card_replaces_the_visits_older_link(app, alice, visit):
    first = alice["client"].post(f"/api/v1/visits/{visit}/feedback-link", json={}).get_json()
    card = alice["client"].post(f"/api/v1/visits/{visit}/feedback-card", json={"layout": "a4"})
    [page] = pages(card.data)
    assert page["size"] == (210, 297) and len(page["urls"]) == 1
    client = app.test_client()
    assert client.get(f"/f/{first['token']}").status_code == 410
    assert client.get(path_of(page["urls"][0])).status_code == 200


@pytest.mark.parametrize(
    "lang,sentence,valid",
    [
        ("nl", "4 korte vragen over mijn bezoek — u hoeft uw naam niet te geven", "Geldig tot"),
        ("en", "4 short questions about my visit — you do not have to give your name", "Valid until"),
        ("tr", "Ziyaretimle ilgili 4 kısa soru — adınızı yazmanız gerekmez", "Son geçerlilik tarihi"),
        ("pl", "4 krótkie pytania o moją wizytę — nie musisz podawać imienia", "Ważne do"),
        ("uk", "4 короткі запитання про мій візит — Вам не потрібно називати ім'я", "Дійсний до"),
    ],
)
def test_card_text_is_in_the_residents_language(app, alice, visit, lang, sentence, valid):
    response = alice["client"].post(f"/api/v1/visits/{visit}/feedback-card", json={"language": lang})
    [page] = pages(response.data)
    text = " ".join(page["text"].split())
    assert sentence in text and valid in text
    form = app.test_client().get(path_of(page["urls"][0]))
    assert f'<html lang="{lang}"' in form.get_data(as_text=True)


def test_arabic_card_is_shaped_and_opens_right_to_left(app, alice, visit):
    response = alice["client"].post(f"/api/v1/visits/{visit}/feedback-card", json={"language": "ar"})
    [page] = pages(response.data)
    # HarfBuzz replaces letters by their joined forms, so the text layer holds glyphs, not the
    # catalogue's code points: check the QR code, the code and the direction of the page it opens.
    assert len(printed_codes(page["text"])) == 1
    form = app.test_client().get(path_of(page["urls"][0])).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in form


def test_batch_prints_four_cards_per_a4_page_each_a_fresh_unbound_link(app, alice):
    response = alice["client"].post(
        f"/api/v1/teams/{alice['team']}/feedback-cards", json={"count": 6, "language": "en"}
    )
    assert response.status_code == 201 and response.mimetype == "application/pdf"
    first, second = pages(response.data)
    assert first["size"] == second["size"] == (210, 297)
    assert len(first["urls"]) == 4 and len(second["urls"]) == 2
    assert len(printed_codes(first["text"])) == 4 and len(printed_codes(second["text"])) == 2
    urls = first["urls"] + second["urls"]
    assert len(set(urls)) == 6
    client = app.test_client()
    assert all(client.get(path_of(url)).status_code == 200 for url in urls)
    with app.app_context():
        links = db.session.scalars(select(FeedbackLink)).all()
        assert len(links) == 6 and all(link.visit_id is None and link.language == "en" for link in links)
        assert len({link.code_hash for link in links}) == 6


def test_batch_needs_membership_and_a_sane_count(alice, team_setup):
    other = team_setup["team"]
    assert alice["client"].post(f"/api/v1/teams/{other}/feedback-cards", json={"count": 2}).status_code == 404
    for count in (0, 41):
        response = alice["client"].post(
            f"/api/v1/teams/{alice['team']}/feedback-cards", json={"count": count}
        )
        assert response.status_code == 422 and response.mimetype == "application/problem+json"


def test_resident_types_the_code_and_answers_without_the_token(app, alice, visit):
    body = alice["client"].post(f"/api/v1/visits/{visit}/feedback-link", json={"language": "tr"}).get_json()
    code = body["code"]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    assert body["code_url"] == "leerlus.test/f/code"
    client = app.test_client()
    entry = client.get("/f/code")
    assert entry.status_code == 200 and "Typ uw code" in entry.get_data(as_text=True)
    # Typed sloppily: lower case, a space instead of the dash, the letter O for zero.
    typed = code.lower().replace("-", " ").replace("0", "o")
    form = client.post("/f/code", data={"code": typed})
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and '<html lang="tr"' in html and "Gönder" in html
    assert f'name="code" value="{code}"' in html and body["token"] not in html
    nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
    thanks = client.post(
        "/f/code?lang=tr", data={"code": code, "nonce": nonce, "serieus": "4", "contact": "nee"}
    )
    assert thanks.status_code == 200 and "Teşekkür ederiz." in thanks.get_data(as_text=True)
    with app.app_context():
        [answer] = db.session.scalars(select(InwonerFeedback)).all()
        assert (
            answer.scores == {"serieus": 4}
            and answer.visit_id == visit
            and answer.medewerker_id == alice["id"]
        )
    # Single use, whichever way in.
    assert client.get(f"/f/{body['token']}").status_code == 410
    again = client.post("/f/code", data={"code": code})
    assert again.status_code == 410 and "zaten cevaplandı" in again.get_data(as_text=True)


def test_unknown_malformed_and_expired_codes(app, alice, visit):
    client = app.test_client()
    body = alice["client"].post(f"/api/v1/visits/{visit}/feedback-link", json={}).get_json()
    # A code of the wrong length says how many characters were typed, in the resident's language,
    # and keeps what was typed in the field.
    short = client.post("/f/?lang=nl", data={"code": "7kq4 m2x"})
    page = short.get_data(as_text=True)
    assert short.status_code == 422 and "Een code heeft 8 tekens, zoals 7KQ4-M2XD. U typte er 7." in page
    assert 'value="7kq4 m2x"' in page
    turkish = client.post("/f/code?lang=tr", data={"code": "abc"})
    assert turkish.status_code == 422 and "Siz 3 karakter yazdınız" in turkish.get_data(as_text=True)
    for typed in ("ZZZZ-ZZZZ", "<script>", "U" * 8):
        response = client.post("/f/code", data={"code": typed})
        assert response.status_code == 404
        assert "Deze code kennen wij niet" in response.get_data(as_text=True)
    assert "&lt;script&gt;" in client.post("/f/", data={"code": "<script>"}).get_data(as_text=True)
    # Wrong guesses lose nothing: the link is still open and its right code still works.
    right = client.post("/f/", data={"code": body["code"].lower().replace("-", " ")})
    assert right.status_code == 200 and 'name="nonce"' in right.get_data(as_text=True)
    with app.app_context():
        link = db.session.scalar(select(FeedbackLink))
        assert link.used_at is None and link.revoked_at is None
        link.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    # The code expires with its link.
    expired = client.post("/f/code", data={"code": body["code"]}, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert expired.status_code == 410 and "Deze code werkt niet meer" in expired.get_data(as_text=True)


def test_the_code_page_is_at_f_too_in_every_language(app):
    client = app.test_client()
    for lang, title in [
        ("nl", "Hebt u een code gekregen?"),
        ("ar", "هل حصلت على رمز؟"),
        ("uk", "Ви отримали код?"),
    ]:
        response = client.get(f"/f/?lang={lang}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and title in page and f'lang="{lang}"' in page


def test_guessing_codes_is_rate_limited(anonymous):
    # /f/ and /f/code share one budget per address: ten guesses a minute.
    statuses = [
        anonymous.http.post("/f/" if n % 2 else "/f/code", data={"code": codes.new_code()}).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [404] * 10 and statuses[10] == 429
    limited = anonymous.http.post("/f/?lang=pl", data={"code": codes.new_code()})
    assert limited.status_code == 429 and limited.headers["Retry-After"]
    assert "Spróbuj ponownie za minutę" in limited.get_data(as_text=True)
    assert limited.headers["Content-Language"] == "pl"


def test_codes_use_an_unambiguous_alphabet_and_forgive_typing():
    assert not set("ILOU") & set(codes.ALPHABET) and len(codes.ALPHABET) == 32
    generated = {codes.new_code() for _ in range(2000)}
    assert len(generated) == 2000 and all(len(code) == 8 for code in generated)
    # Read aloud, nothing can be mistaken: no 0/O and no 1/I/L in a new code; all 30 others occur.
    used = set("".join(generated))
    assert not used & set("01OIL") and used == set(codes.DRAWN) and len(codes.DRAWN) == 30
    assert codes.normalise(" 7kq4-m2xd ") == "7KQ4M2XD"
    assert codes.normalise("1O1L-I0AB") == "101110AB"
    assert codes.normalise("7KQ4-M2X") is None and codes.normalise("7KQ4-M2XU") is None


def test_batch_card_is_tied_to_a_visit_only_when_used_for_it(app, alice, visit, make_user, login):
    pdf = alice["client"].post(f"/api/v1/teams/{alice['team']}/feedback-cards", json={"count": 1}).data
    [page] = pages(pdf)
    [code] = printed_codes(page["text"])
    [url] = page["urls"]
    # Not handed out yet: it does not count as issued.
    rate = alice["client"].get("/api/v1/feedback").get_json()["response_rate"]
    assert rate == {"issued": 0, "answered": 0, "rate": None}
    # The resident answers before the medewerker has noted where the card went: the answer is hers.
    client = app.test_client()
    nonce = re.search(r'name="nonce" value="([^"]+)"', client.get(path_of(url)).get_data(as_text=True)).group(
        1
    )
    assert client.post(path_of(url), data={"nonce": nonce, "serieus": "5"}).status_code == 200
    with app.app_context():
        [answer] = db.session.scalars(select(InwonerFeedback)).all()
        assert answer.visit_id is None and answer.medewerker_id == alice["id"]
    # A colleague cannot claim Alice's card.
    bob = make_user(alice["team"], "medewerker", name="Bob")
    bob_visit = new_visit(app, {"id": bob, "team": alice["team"]})
    assert (
        login(bob).post(f"/api/v1/visits/{bob_visit}/feedback-code", json={"code": code}).status_code == 422
    )
    assert login(bob).post(f"/api/v1/visits/{visit}/feedback-code", json={"code": code}).status_code == 404
    tied = alice["client"].post(f"/api/v1/visits/{visit}/feedback-code", json={"code": code.lower()})
    assert tied.status_code == 200 and tied.get_json() == {"visit_id": str(visit), "answered": True}
    with app.app_context():
        assert db.session.scalars(select(InwonerFeedback)).one().visit_id == visit
    rate = alice["client"].get("/api/v1/feedback").get_json()["response_rate"]
    assert rate == {"issued": 1, "answered": 1, "rate": 1.0}
    # Tied once: not to a second visit.
    second = new_visit(app, alice)
    assert (
        alice["client"].post(f"/api/v1/visits/{second}/feedback-code", json={"code": code}).status_code == 422
    )


def test_team_default_variant_reaches_the_card(app, alice, visit):
    with app.app_context():
        db.session.get(Team, alice["team"]).feedback_variant = "jeugd"
        db.session.commit()
    [page] = pages(alice["client"].post(f"/api/v1/visits/{visit}/feedback-card", json={}).data)
    assert "je hoeft je naam niet te geven" in " ".join(page["text"].split())
    html = app.test_client().get(path_of(page["urls"][0])).get_data(as_text=True)
    assert "Ik werd serieus genomen" in html


def test_card_for_the_link_the_app_already_shows(app, alice, visit):
    body = alice["client"].post(f"/api/v1/visits/{visit}/feedback-link", json={"language": "pl"}).get_json()
    response = alice["client"].post(
        f"/api/v1/visits/{visit}/feedback-card", json={"token": body["token"], "code": body["code"]}
    )
    assert response.status_code == 201
    [page] = pages(response.data)
    assert page["urls"] == [body["url"]] and printed_codes(page["text"]) == [body["code"]]
    assert "Ważne do" in page["text"]
    with app.app_context():
        assert len(db.session.scalars(select(FeedbackLink)).all()) == 1  # nothing new, nothing revoked
    # A wrong code, or a token of another visit, is refused; so is a link that was answered.
    wrong = alice["client"].post(
        f"/api/v1/visits/{visit}/feedback-card", json={"token": body["token"], "code": "0000-0000"}
    )
    assert wrong.status_code == 409 and wrong.mimetype == "application/problem+json"
    other = new_visit(app, alice)
    assert (
        alice["client"]
        .post(f"/api/v1/visits/{other}/feedback-card", json={"token": body["token"], "code": body["code"]})
        .status_code
        == 409
    )


def test_erasing_an_account_voids_its_unbound_cards(app, alice):
    pdf = alice["client"].post(f"/api/v1/teams/{alice['team']}/feedback-cards", json={"count": 1}).data
    [url] = pages(pdf)[0]["urls"]
    assert app.test_client().get(path_of(url)).status_code == 200
    from tests.conftest import TEST_PASSWORD

    assert alice["client"].delete("/api/v1/me", json={"password": TEST_PASSWORD}).status_code == 204
    assert app.test_client().get(path_of(url)).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(FeedbackLink)).all() == []


def test_correction_works_on_the_code_path_too(app, alice, visit):
    code = alice["client"].post(f"/api/v1/visits/{visit}/feedback-link", json={}).get_json()["code"]
    client = app.test_client()
    html = client.post("/f/code", data={"code": code}).get_data(as_text=True)
    nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
    thanks = client.post("/f/code", data={"code": code, "nonce": nonce, "serieus": "1"}).get_data(
        as_text=True
    )
    correction = re.search(r'name="correction" value="([^"]+)"', thanks).group(1)
    assert f'name="code" value="{code}"' in thanks
    fixed = client.post("/f/code", data={"code": code, "nonce": "", "correction": correction, "serieus": "5"})
    assert fixed.status_code == 200 and "aangepast" in fixed.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(InwonerFeedback)).one().scores == {"serieus": 5}
