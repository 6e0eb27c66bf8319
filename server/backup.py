"""`leerlus backup` / `leerlus restore`: the database and the instance's secrets in one encrypted file.

The file is a tar archive (manifest.json, the database dump, secrets.json) encrypted with Fernet
(the `cryptography` package: AES-128-CBC with HMAC-SHA256, authenticated) under BACKUP_KEY, a key
the operator keeps outside the server (`leerlus backup --new-key` makes one). BACKUP_KEY may list
several keys, comma-separated: the first encrypts, any of them decrypts (key rotation, MultiFernet).

- PostgreSQL: pg_dump in its custom format, by the pg_dump of the server's major version (an older
  pg_dump refuses a newer server), restored with pg_restore --clean --if-exists in one transaction.
- SQLite (the embedded default): SQLite's online backup API, both ways, so a running app's file is
  copied consistently.
- Secrets: SECRET_KEY (invitation and reset links are HMACs under it) and the VAPID key (push
  subscriptions are bound to it). Kept in the instance folder (development), restore writes them
  back; given in the environment (production), restore says which differ from the backup's.

Fernet holds the whole archive in memory: fine for the few hundred MB a wijkteam installation
reaches in years (docs/operations.md).
"""

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from glob import glob
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import text, update
from sqlalchemy.engine import make_url

from server.audit import first_broken_row
from server.extensions import db
from server.models import OutboxEvent
from server.push.keys import KEY_FILE

FORMAT = "leerlus-backup/1"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Dutch)."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def _fernet(keys: str | None) -> MultiFernet:
    if not keys:
        raise BackupError(
            "BACKUP_KEY ontbreekt. Maak er een met `leerlus backup --new-key` en bewaar hem buiten de server."
        )
    try:
        return MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])
    except ValueError as error:
        raise BackupError("BACKUP_KEY is geen geldige sleutel (32 bytes, url-safe base64).") from error


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _libpq_url() -> str:
    """The URL as pg_dump reads it: no SQLAlchemy driver suffix."""
    return _url().set(drivername="postgresql").render_as_string(hide_password=False)


def pg_tool(name: str) -> str:
    """pg_dump/pg_restore of the server's major version (Debian keeps each under its own folder)."""
    with db.engine.connect() as conn:
        major = int(conn.execute(text("SHOW server_version_num")).scalar()) // 10000
    for candidate in (
        f"/usr/lib/postgresql/{major}/bin/{name}",
        *sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True),
        shutil.which(name),
    ):
        if candidate and os.access(candidate, os.X_OK) and _tool_major(candidate) >= major:
            return candidate
    raise BackupError(f"Geen {name} voor PostgreSQL {major} gevonden (installeer postgresql-client-{major}).")


def _tool_major(path: str) -> int:
    found = re.search(r"(\d+)", subprocess.run([path, "--version"], capture_output=True, text=True).stdout)
    return int(found.group(1)) if found else 0


def _secrets() -> dict:
    """Each secret with where it lives: 'instance' (a file restore writes back) or 'environment'."""
    instance = Path(current_app.instance_path)
    found = {}
    for name, file, env in (
        ("SECRET_KEY", "secret_key", "SECRET_KEY"),
        ("VAPID_PRIVATE_KEY", KEY_FILE, "VAPID_PRIVATE_KEY"),
    ):
        value = current_app.config.get(name)
        if os.environ.get(env) and value:
            found[name] = {"value": value, "source": "environment"}
        elif (instance / file).exists():
            found[name] = {"value": (instance / file).read_text().strip(), "source": "instance", "file": file}
        elif value:
            found[name] = {"value": value, "source": "environment"}
    return found


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def create_backup(target: Path) -> dict:
    """Write an encrypted backup to `target`; returns the manifest."""
    fernet = _fernet(current_app.config.get("BACKUP_KEY"))
    dialect = db.engine.dialect.name
    with tempfile.TemporaryDirectory(prefix="leerlus-backup-") as scratch:
        dump = Path(scratch) / "database"
        if dialect == "postgresql":
            result = subprocess.run(
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(dump),
                    "--dbname",
                    _libpq_url(),
                ],
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump mislukte: {result.stderr.strip()[:500]}")
        elif dialect == "sqlite":
            source = sqlite3.connect(_url().database)
            copy = sqlite3.connect(dump)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            raise BackupError(f"Geen backup voor database {dialect}.")
        with db.engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "dialect": dialect,
            "alembic_revision": revision,
            "database_bytes": dump.stat().st_size,
        }
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w") as tar:
            _add(tar, "manifest.json", json.dumps(manifest).encode())
            _add(tar, "secrets.json", json.dumps(_secrets()).encode())
            _add(tar, "database", dump.read_bytes())
    sealed = fernet.encrypt(archive.getvalue())
    target = Path(target)
    tmp = target.with_name(f".{target.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(sealed)
    tmp.replace(target)
    return manifest


def read_backup(source: Path) -> tuple[dict, dict, bytes]:
    """Decrypt and unpack: (manifest, secrets, database dump bytes)."""
    fernet = _fernet(current_app.config.get("BACKUP_KEY"))
    try:
        plain = fernet.decrypt(Path(source).read_bytes())
    except InvalidToken as error:
        raise BackupError(
            "Deze backup opent niet met BACKUP_KEY (verkeerde sleutel of beschadigd bestand)."
        ) from error
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        parts = {name: tar.extractfile(name).read() for name in ("manifest.json", "secrets.json", "database")}
    manifest = json.loads(parts["manifest.json"])
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Onbekend backupformaat {manifest.get('format')!r}.")
    return manifest, json.loads(parts["secrets.json"]), parts["database"]


def restore_backup(source: Path) -> dict:
    """Replace the database (and instance-kept secrets) with the backup's; returns a summary."""
    manifest, secrets, dump = read_backup(source)
    dialect = db.engine.dialect.name
    if manifest["dialect"] != dialect:
        raise BackupError(f"Deze backup is van {manifest['dialect']}; de database hier is {dialect}.")
    db.session.remove()
    db.engine.dispose()
    with tempfile.TemporaryDirectory(prefix="leerlus-restore-") as scratch:
        path = Path(scratch) / "database"
        path.write_bytes(dump)
        if dialect == "postgresql":
            result = subprocess.run(
                [
                    pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                    _libpq_url(),
                    str(path),
                ],
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore mislukte: {result.stderr.strip()[:500]}")
        else:
            source_db = sqlite3.connect(path)
            target_db = sqlite3.connect(_url().database)
            try:
                source_db.backup(target_db)
            finally:
                target_db.close()
                source_db.close()
    db.engine.dispose()
    pending = _requeue_pending_events()
    differing = _restore_secrets(secrets)
    broken = first_broken_row()
    db.session.remove()
    return {
        "created_at": manifest["created_at"],
        "alembic_revision": manifest["alembic_revision"],
        "pending_events": pending,
        "audit_chain": "intact" if broken is None else f"broken at row {broken}",
        "secrets_to_set": differing,
    }


def _requeue_pending_events() -> int:
    """Unprocessed events go to the queue again at the relay's next pass (the old Redis may be gone;
    where their job still exists, the unique job id makes this a no-op)."""
    with db.engine.begin() as conn:
        return conn.execute(
            update(OutboxEvent).where(OutboxEvent.processed_at.is_(None)).values(dispatched_at=None)
        ).rowcount


def _restore_secrets(secrets: dict) -> list[str]:
    """Write instance-kept secrets back; name the environment ones that differ from the backup's."""
    instance = Path(current_app.instance_path)
    differing = []
    for name, secret in secrets.items():
        if secret["source"] == "instance":
            instance.mkdir(parents=True, exist_ok=True)
            path = instance / secret["file"]
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secret["value"])
        elif current_app.config.get(name) != secret["value"]:
            differing.append(name)
    return differing


def secrets_as_env(source: Path) -> str:
    """NAME=value lines of the backup's secrets, for the operator's secret store."""
    _, secrets, _ = read_backup(source)
    return "".join(f"{name}={secret['value']}\n" for name, secret in secrets.items())
