"""The erasure journal: what must stay erased when an older backup is restored.

A backup taken before a person was erased still holds them; restoring it would bring them
back (GDPR Art. 17 and the Datatilsynet's guidance on backups: the erasure must be carried out
again before the restored data is used). Every erasure therefore appends a line to a journal
kept outside the database and outside MEDIA_ROOT, so outside what ``personvern backup``
copies and what ``personvern restore`` overwrites: the time of the erasure and a keyed hash
(HMAC-SHA256 with ``PERSONVERN_ERASURE_JOURNAL_KEY``) of an identity the caller gives (the
register's is the person's id and creation time, which no other person shares, not even
after a restore reuses the id). Nothing in it is readable: without the key a line says only
that someone was erased at that time. ``personvern restore`` replays every line later than
the backup before the application serves again.

The journal is a directory (``PERSONVERN_ERASURE_JOURNAL_DIR``) holding ``erasures.jsonl``,
one JSON object a line, appended under an exclusive lock and synced to disk after the
erasure's transaction commits (never before: a rolled-back erasure must not be replayed), and
``restore-pending.json`` while a restore has not finished its replay (a deployment check then
fails, and the web unit does not start).
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import CoreErrorCode, DomainError

JOURNAL_FILE = "erasures.jsonl"
PENDING_FILE = "restore-pending.json"


@dataclass(frozen=True)
class JournalEntry:
    at: datetime.datetime
    digest: str


def directory() -> Path:
    return Path(settings.PERSONVERN_ERASURE_JOURNAL_DIR)


def _key() -> bytes:
    configured: str = settings.PERSONVERN_ERASURE_JOURNAL_KEY
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"personvern:erasure-journal", "sha256").digest()


def digest(identity: str) -> str:
    return hmac.new(_key(), identity.encode(), hashlib.sha256).hexdigest()


def writable() -> bool:
    folder = directory()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def record_erasure(*, identity: str) -> None:
    """Journal an erasure once the surrounding transaction commits. An erasure the journal
    could not record would come back with the next restore: when its directory cannot be
    written the erasure is refused (503), and nothing is erased."""
    if not writable():
        raise DomainError(
            code=CoreErrorCode.ERASURE_JOURNAL_UNAVAILABLE,
            message=_(
                "The erasure journal cannot be written, so nothing was erased. Ask the "
                "operator to check PERSONVERN_ERASURE_JOURNAL_DIR."
            ),
            status=503,
        )
    transaction.on_commit(partial(_append, digest(identity)))


def _append(value: str) -> None:
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps({"at": timezone.now().isoformat(), "digest": value}) + "\n"
    fd = os.open(folder / JOURNAL_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def entries(*, after: datetime.datetime | None = None) -> Iterator[JournalEntry]:
    """The journal's entries, oldest first; only those later than ``after`` when given."""
    path = directory() / JOURNAL_FILE
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            item = json.loads(line)
            entry = JournalEntry(datetime.datetime.fromisoformat(item["at"]), item["digest"])
            if after is None or entry.at > after:
                yield entry


def begin_restore(*, backup_taken_at: datetime.datetime) -> None:
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    marker = {"started": timezone.now().isoformat(), "backup_taken_at": backup_taken_at.isoformat()}
    (folder / PENDING_FILE).write_text(json.dumps(marker), encoding="utf-8")


def pending_restore() -> datetime.datetime | None:
    """When the backup of an unfinished restore was taken (None: no restore pending)."""
    path = directory() / PENDING_FILE
    if not path.exists():
        return None
    return datetime.datetime.fromisoformat(json.loads(path.read_text("utf-8"))["backup_taken_at"])


def end_restore() -> None:
    (directory() / PENDING_FILE).unlink(missing_ok=True)
