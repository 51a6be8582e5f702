"""``personvern restore``: the database and the uploaded files from a backup, then every
erasure made after the backup is made again, before the application serves.

Stop the web, worker and scheduler first (docs/deploy.md). A marker in the erasure journal's
directory says a restore is under way from the moment the database is touched until the
replay has finished; while it is there ``personvern check --deploy`` fails (core.E003) and the
web unit does not start. ``finish_restore`` (``personvern restore --replay-only``) completes an
interrupted one."""

from __future__ import annotations

import datetime
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from personvern.core import journal
from personvern.core.actors import Actor
from personvern.retention.services import replay_erasures

from . import postgres
from .archive import DATABASE_FILES, MEDIA, BackupError, current_engine, read_manifest

RESTORE_ACTOR = Actor.for_system("restore")


@dataclass
class RestoreReport:
    taken_at: datetime.datetime
    journal_entries: int
    erased_again: int


def restore_backup(*, source: Path) -> RestoreReport:
    manifest = read_manifest(source)
    engine = current_engine()
    if manifest.engine != engine:
        raise BackupError(
            f"The backup is of a {manifest.engine} database; this installation uses {engine}."
        )
    journal.begin_restore(backup_taken_at=manifest.taken_at)
    with tempfile.TemporaryDirectory(prefix="personvern-restore-") as work:
        with tarfile.open(source) as archive:
            archive.extractall(work, filter="data")
        database = Path(work) / DATABASE_FILES[engine]
        if engine == "postgresql":
            postgres.restore(database)
        else:
            _sqlite_restore(database)
        _replace_media(Path(work) / MEDIA)
    return finish_restore()


def finish_restore() -> RestoreReport:
    """Bring the schema up to this version, erase again, and end the restore."""
    taken_at = journal.pending_restore()
    if taken_at is None:
        raise BackupError("No restore is under way.")
    call_command("migrate", interactive=False, verbosity=0)
    report = replay_erasures(actor=RESTORE_ACTOR, after=taken_at)
    journal.end_restore()
    return RestoreReport(
        taken_at=taken_at, journal_entries=report.entries, erased_again=report.erased
    )


def _sqlite_restore(source: Path) -> None:
    connection.ensure_connection()
    target = connection.connection
    assert isinstance(target, sqlite3.Connection)  # noqa: S101 - current_engine() said sqlite
    copy = sqlite3.connect(source)
    try:
        copy.backup(target)
    finally:
        copy.close()


def _replace_media(restored: Path) -> None:
    """MEDIA_ROOT becomes the backup's: files uploaded since are removed with the rows that
    named them. The old tree is moved aside first and removed only once the new one is in."""
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(dir=media.parent, prefix=f".{media.name}-restore-"))
    if restored.is_dir():
        shutil.copytree(restored, incoming, dirs_exist_ok=True)
    incoming.chmod(0o700)
    outgoing = media.parent / f".{media.name}-replaced"
    if outgoing.exists():
        shutil.rmtree(outgoing)
    if media.exists():
        media.rename(outgoing)
    incoming.rename(media)
    if outgoing.exists():
        shutil.rmtree(outgoing)
