"""``personvern backup``: the database and the uploaded files into one file."""

from __future__ import annotations

import io
import os
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from personvern.core import journal

from . import postgres
from .archive import DATABASE_FILES, MANIFEST, MEDIA, BackupError, Manifest, current_engine


def default_name() -> str:
    return f"personvern-{timezone.now().strftime('%Y%m%dT%H%M%SZ')}.tar"


def take_backup(*, destination: Path) -> Manifest:
    """Write a backup to ``destination`` (a file; mode 0600). It is written beside it and
    renamed when complete, so a backup that exists is whole."""
    if destination.exists():
        raise BackupError(f"{destination} exists already.")
    if journal.pending_restore() is not None:
        raise BackupError(
            "A restore has not finished (run 'personvern restore --replay-only'): a backup now "
            "would hold people erased since the restored backup was taken."
        )
    engine = current_engine()
    destination.parent.mkdir(parents=True, exist_ok=True)
    # Before the database is read: an erasure during the copy is then later than the backup.
    manifest = Manifest(taken_at=timezone.now(), engine=engine)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as work:
        database = Path(work) / DATABASE_FILES[engine]
        if engine == "postgresql":
            postgres.dump(database)
        else:
            _sqlite_copy(database)
        partial = Path(work) / "backup.tar"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
            data = manifest.to_json().encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(manifest.taken_at.timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname=MEDIA)
        partial.replace(destination)
    return manifest


def _sqlite_copy(target: Path) -> None:
    """SQLite's online backup API, from Django's own connection (an in-memory database too)."""
    connection.ensure_connection()
    source = connection.connection
    assert isinstance(source, sqlite3.Connection)  # noqa: S101 - current_engine() said sqlite
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
