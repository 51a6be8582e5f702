"""A backup is one tar file, readable by the owner only:

- ``manifest.json``: the format, when the backup was taken (before the database was read, so
  every erasure the copy may have missed is later and is replayed), the database engine;
- ``database.pgdump`` (``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite's online
  backup API: a consistent copy while the application runs);
- ``media/``: the uploaded files (MEDIA_ROOT).

The erasure journal is deliberately not in it (``personvern.core.journal``)."""

from __future__ import annotations

import datetime
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

BACKUP_FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup cannot be taken or restored; the message says why (no personal data)."""


@dataclass(frozen=True)
class Manifest:
    taken_at: datetime.datetime
    engine: str
    format: int = BACKUP_FORMAT

    def to_json(self) -> str:
        return json.dumps(
            {"format": self.format, "taken_at": self.taken_at.isoformat(), "engine": self.engine}
        )


def current_engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def read_manifest(path: Path) -> Manifest:
    try:
        with tarfile.open(path) as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            data = json.loads(member.read())
    except (OSError, KeyError, ValueError, tarfile.TarError) as exc:
        raise BackupError(f"{path} is not a Personvern backup ({type(exc).__name__}).") from exc
    if data.get("format") != BACKUP_FORMAT:
        raise BackupError(f"{path} has backup format {data.get('format')}, not {BACKUP_FORMAT}.")
    return Manifest(
        taken_at=datetime.datetime.fromisoformat(data["taken_at"]),
        engine=str(data["engine"]),
        format=BACKUP_FORMAT,
    )
