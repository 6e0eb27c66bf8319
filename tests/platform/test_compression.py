"""Compression and revalidation of what a phone downloads: the PWA's files and the resident page.

The API's JSON is deliberately left uncompressed (docs/decisions.md, "Compression").
"""

import gzip

import pytest

from server.pwa import version
from tests.support.factories import add_visit

GZIP = {"Accept-Encoding": "gzip, deflate"}


def vary(response) -> set[str]:
    return {value.strip().lower() for value in response.headers.get("Vary", "").split(",") if value.strip()}


@pytest.mark.parametrize(
    "path",
    [
        "/app/",
        "/app/sw.js",
        "/app/app.js?v={v}",
        "/app/lib/i18n.js?v={v}",
        "/app/styles.css?v={v}",
        "/app/screens/reflect.js",
        "/app/manifest.webmanifest",
    ],
)
def test_pwa_files_are_gzipped_and_decompress_to_the_same_bytes(anonymous, path):
    path = path.format(v=version())
    plain = anonymous.get(path)
    packed = anonymous.get(path, headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
    assert int(packed.headers["Content-Length"]) == len(packed.data)
    assert int(plain.headers["Content-Length"]) == len(plain.data)
    assert "accept-encoding" in vary(plain) and "accept-encoding" in vary(packed)
    # One strong ETag per representation (RFC 9110 8.8.3), each answered with 304.
    assert plain.headers["ETag"] != packed.headers["ETag"]
    assert not plain.headers["ETag"].startswith("W/")
    for response, headers in ((plain, {}), (packed, GZIP)):
        again = anonymous.get(path, headers={**headers, "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == response.headers["ETag"]
        assert again.headers["Cache-Control"] == response.headers["Cache-Control"]


def test_the_shell_revalidates_with_an_etag(anonymous):
    first = anonymous.get("/app/", headers=GZIP)
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"]
    assert anonymous.get("/app/", headers={**GZIP, "If-None-Match": first.headers["ETag"]}).status_code == 304
    assert anonymous.get("/app/", headers={**GZIP, "If-None-Match": '"something-else"'}).status_code == 200


def test_no_gzip_unless_asked_for(anonymous):
    for accept in ("identity", "gzip;q=0", "br"):
        response = anonymous.get(f"/app/app.js?v={version()}", headers={"Accept-Encoding": accept})
        assert "Content-Encoding" not in response.headers, accept


def test_images_are_not_compressed_again(anonymous):
    response = anonymous.get("/app/icons/icon-192.png", headers=GZIP)
    assert "Content-Encoding" not in response.headers
    assert response.data.startswith(b"\x89PNG")
    assert response.headers["ETag"]


def test_api_json_stays_uncompressed(anonymous):
    response = anonymous.get("/api/v1/me", headers=GZIP)
    assert response.status_code == 401
    assert "Content-Encoding" not in response.headers


@pytest.fixture
def feedback_token(app, make_team, make_user, login):

    team = make_team()
    user = make_user(team, "medewerker")
    visit_id = add_visit(app, user, team)
    response = login(user).post(f"/api/v1/visits/{visit_id}/feedback-link", json={})
    assert response.status_code == 201
    return response.get_json()["token"]


def test_resident_page_is_gzipped_and_stays_private(anonymous, feedback_token):
    plain = anonymous.get(f"/f/{feedback_token}")
    packed = anonymous.get(f"/f/{feedback_token}", headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(packed.data).decode()
    # The same page (its form nonce is fresh on every render).
    assert html.startswith("<!doctype html>") and "</html>" in html and abs(len(html) - len(plain.data)) < 64
    assert len(packed.data) < len(plain.data) / 2
    assert int(packed.headers["Content-Length"]) == len(packed.data)
    assert "accept-encoding" in vary(packed)
    for response in (plain, packed):
        assert response.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response.headers
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    # The kind page for an unknown link is compressed too.
    missing = anonymous.get("/f/" + "x" * 43, headers=GZIP)
    assert missing.status_code == 404
    assert b"<html" in gzip.decompress(missing.data)
