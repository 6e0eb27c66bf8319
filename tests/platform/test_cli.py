"""The `leerlus` command line, run as a real process."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def leerlus(*args, stdin: str = "", env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


def test_themes_classify_reads_and_writes_json_lines_in_order(app):
    lines = [
        {"text": "De deurwaarder stond op de stoep, huurachterstand van drie maanden."},
        {"text": "Ze voelde zich niet gehoord en kreeg niemand aan de telefoon.", "kind": "feedback"},
        {"text": "Geen schulden, wel een fijn gesprek over haar kleinkinderen."},
    ]
    result = leerlus("themes", "classify", stdin="\n".join(json.dumps(line) for line in lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 3
    assert "geldzorgen-schulden" in out[0]["themes"]
    assert any(theme.startswith("ervaring-") for theme in out[1]["themes"])
    assert "geldzorgen-schulden" not in out[2]["themes"]
    assert all(isinstance(line["scores"], dict) for line in out)


def test_user_create_makes_an_account_that_can_log_in(app, anonymous):
    result = leerlus(
        "user",
        "create",
        "--email",
        "nieuw@cli.nl",
        "--name",
        "Nieuw",
        "--team",
        "CLI-team",
        "--role",
        "teamleider",
        stdin="een lang wachtwoord\neen lang wachtwoord\n",
    )
    assert result.returncode == 0, result.stderr
    response = anonymous.post(
        "/api/v1/auth/login", json={"email": "nieuw@cli.nl", "password": "een lang wachtwoord"}
    )
    assert response.status_code == 200
    assert response.get_json()["teams"][0] == {
        "id": response.get_json()["teams"][0]["id"],
        "name": "CLI-team",
        "role": "teamleider",
    }
