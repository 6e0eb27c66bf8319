"""What every API request pays for, kept small (docs/performance.md, issue #24)."""

import uuid
from datetime import UTC, datetime

from marshmallow import Schema


def test_argument_schemas_are_instantiated_once_not_per_request(team_setup, monkeypatch):
    """webargs would build a schema instance (deep-copying its fields) for every request."""
    alice = team_setup["client"]["alice"]
    built = []
    init = Schema.__init__

    def counting_init(self, *args, **kwargs):
        built.append(type(self))
        init(self, *args, **kwargs)

    monkeypatch.setattr(Schema, "__init__", counting_init)
    body = {
        "client_id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC).isoformat(),
        "what_happened": "Huisbezoek.",
    }
    assert alice.post("/api/v1/reflections", json=body).status_code == 201
    # Invalid input goes through the same instance (and still answers 422 with the field named).
    refused = alice.post("/api/v1/reflections", json=body | {"client_id": "geen-uuid"})
    assert refused.status_code == 422
    assert "client_id" in refused.get_json()["errors"]
    assert built == []


def test_the_write_answers_without_marshmallows_dump(team_setup, monkeypatch):
    """values_of already holds the answer's values: a new reflection and a replay are answered without
    a dump (a pass over every field), and the answer is what a read, which dumps, gives back."""
    alice = team_setup["client"]["alice"]
    dumped = []
    dump = Schema.dump

    def counting_dump(self, *args, **kwargs):
        dumped.append(type(self).__name__)
        return dump(self, *args, **kwargs)

    monkeypatch.setattr(Schema, "dump", counting_dump)
    body = {
        "client_id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC).isoformat(),
        "what_happened": "Huisbezoek.",
        "energy": 2,
    }
    created = alice.post("/api/v1/reflections", json=body)
    replayed = alice.post("/api/v1/reflections", json=body)
    assert (created.status_code, replayed.status_code) == (201, 200)
    assert created.mimetype == "application/json"
    assert dumped == []
    read = alice.get(f"/api/v1/reflections/{created.get_json()['id']}")
    assert dumped == ["ReflectionOut"]
    assert created.get_json() == replayed.get_json() == read.get_json()
