"""Security headers on every response (security-tests T5): every route from url_map, as anonymous and
logged in, plus the error answers (401/403/404/405/413/500), the app shell, service worker, manifest
and the resident pages."""

import re
import uuid

import pytest

STRICT_REFERRERS = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def header_problems(path: str, response, *, https: bool) -> list[str]:
    headers, problems = response.headers, []
    csp = headers.get("Content-Security-Policy")
    if not csp:
        return [f"{path}: no Content-Security-Policy"]
    directives = csp_directives(csp)
    scripts = directives.get("script-src", directives.get("default-src", []))
    if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or not scripts:
        problems.append(f"{path}: scripts not locked down: {scripts}")
    for name in ("object-src", "base-uri", "frame-ancestors"):
        if directives.get(name) != ["'none'"]:
            problems.append(f"{path}: {name} is {directives.get(name)}")
    expected = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}
    problems += [f"{path}: {k}={headers.get(k)}" for k, v in expected.items() if headers.get(k) != v]
    if not headers.get("Permissions-Policy", "").startswith("camera=()"):
        problems.append(f"{path}: Permissions-Policy {headers.get('Permissions-Policy')}")
    referrer = headers.get("Referrer-Policy")
    if path.startswith("/f/") and referrer != "no-referrer" or referrer not in STRICT_REFERRERS:
        problems.append(f"{path}: Referrer-Policy {referrer}")
    if path.startswith(("/api/", "/f/")) and "no-store" not in headers.get("Cache-Control", ""):
        problems.append(f"{path}: Cache-Control {headers.get('Cache-Control')}")
    hsts = headers.get("Strict-Transport-Security", "")
    if https:
        match = re.match(r"max-age=(\d+); includeSubDomains", hsts)
        if not match or int(match.group(1)) < 31536000:
            problems.append(f"{path}: HSTS {hsts!r}")
    elif hsts:
        problems.append(f"{path}: HSTS over plain HTTP (browsers ignore it; it suggests a proxy misread)")
    if response.data:
        mimetype, charset = response.mimetype, response.mimetype_params.get("charset", "")
        if mimetype.startswith("text/") and charset.lower() != "utf-8":
            problems.append(f"{path}: {response.content_type} without charset=utf-8")
        if mimetype.endswith("json"):
            # RFC 8259 defines no charset parameter for JSON: it is always UTF-8.
            response.data.decode("utf-8")
        if mimetype in ("", "application/octet-stream"):
            problems.append(f"{path}: Content-Type {response.content_type!r}")
    return problems


def crawl_paths(app, ids: dict) -> list[tuple[str, str]]:
    paths = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = rule.rule
            for name in rule.arguments:
                path = re.sub(rf"<(\w+:)?{name}>", ids.get(name, str(uuid.uuid4())), path)
            paths.append((method, path))
    return paths


@pytest.fixture
def crawl(app, team_setup):
    alice = team_setup["client"]["alice"]
    visit = alice.post(
        "/api/v1/visits", json={"client_id": str(uuid.uuid4()), "occurred_at": "2026-01-05T10:00:00+01:00"}
    ).get_json()["id"]
    token = alice.post(f"/api/v1/visits/{visit}/feedback-link", json={}).get_json()["token"]
    ids = {
        "visit_id": visit,
        "token": token,
        "team_id": str(team_setup["team"]),
        "iso_week": "2026-W01",
        "filename": "manifest.webmanifest",
    }
    return crawl_paths(app, ids), team_setup


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
def test_every_route_carries_the_security_headers(app, crawl, https):
    paths, people = crawl
    base_url = "https://localhost" if https else "http://localhost"
    problems, statuses = [], set()
    for who in ("anonymous", "alice"):
        client = people["client"][who].http if who != "anonymous" else app.test_client()
        csrf = people["client"][who].csrf if who != "anonymous" else None
        for method, path in paths:
            if path == "/api/v1/auth/logout":
                continue  # would end alice's session halfway; test_logout_clears_site_data has it
            # Writes carry an empty body: the point is the headers of whatever answer comes back.
            response = client.open(
                path,
                method=method,
                json={} if method != "GET" else None,
                headers={"X-CSRF-Token": csrf} if csrf else {},
                base_url=base_url,
            )
            statuses.add(response.status_code)
            problems += header_problems(path, response, https=https)
    assert {200, 201, 302, 401, 403, 404, 422} <= statuses
    assert not problems, "\n".join(sorted(set(problems)))


def test_error_answers_carry_the_headers(app, team_setup, monkeypatch):
    alice = team_setup["client"]["alice"]

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    cases = {
        401: app.test_client().get("/api/v1/me"),
        403: alice.http.patch("/api/v1/me", json={}),  # no CSRF header
        404: alice.get("/api/v1/nope"),
        405: alice.put("/api/v1/me", json={}),
        413: alice.http.patch(
            "/api/v1/me",
            data="x" * (1024 * 1024 + 1),
            content_type="application/json",
            headers={"X-CSRF-Token": alice.csrf},
        ),
        415: alice.http.post("/api/v1/visits", data="a=b", headers={"X-CSRF-Token": alice.csrf}),
    }
    monkeypatch.setitem(app.view_functions, "auth.me", boom)
    monkeypatch.setitem(app.view_functions, "resident.show", boom)
    cases[500] = alice.get("/api/v1/me")
    resident_500 = app.test_client().get("/f/anything")
    problems = []
    for status, response in cases.items():
        assert response.status_code == status, (status, response.data[:200])
        assert response.mimetype == "application/problem+json"
        problems += header_problems(f"/api/v1 ({status})", response, https=False)
    assert resident_500.status_code == 500 and resident_500.mimetype == "text/html"
    problems += header_problems("/f/anything (500)", resident_500, https=False)
    assert not problems, "\n".join(problems)


def test_logout_clears_site_data(team_setup):
    response = team_setup["client"]["alice"].post("/api/v1/auth/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_resident_page_locks_everything_down(app, crawl):
    paths, _ = crawl
    page = next(path for method, path in paths if path.startswith("/f/") and method == "GET")
    response = app.test_client().get(page)
    assert response.status_code == 200
    directives = csp_directives(response.headers["Content-Security-Policy"])
    # One optional script of our own (read-aloud), nothing inline, nothing from elsewhere.
    assert directives["default-src"] == ["'none'"] and directives["script-src"] == ["'self'"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "Set-Cookie" not in response.headers


def test_service_worker_and_manifest(app):
    client = app.test_client()
    worker = client.get("/app/sw.js")
    assert worker.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert worker.headers["Cache-Control"] == "no-cache"
    assert worker.headers["Service-Worker-Allowed"] == "/app/"
    manifest = client.get("/app/manifest.webmanifest")
    assert manifest.headers["Content-Type"] == "application/manifest+json"
