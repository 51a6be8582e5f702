"""An erasure leaves no readable copy in SQLite's files: ``secure_delete`` zeroes what is
deleted and the erasure ends with a checkpoint that empties the write-ahead log. Checked the
way an attacker with the disk would: by reading the database files' bytes.

The database is a file made by the development settings (as ``make run`` makes it) in a
separate process; the suite's own database is in memory."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHELL = ("shell", "--no-imports", "-c")

CREATE = """
from personvern.core.actors import Actor
from personvern.register.models import Interaction
from personvern.register.services import PersonValues, create_person
actor = Actor.for_system("tests")
person = create_person(actor=actor, values=PersonValues(category="customer_contact",
    first_name="{marker}", last_name="Nordmann", email="{marker}@example.org"))
Interaction.objects.bulk_create(
    Interaction(person=person, channel="email", summary="{marker} ringte") for _ in range(50))
print(person.pk)
"""

# Erase, then stay up with the connection open, as a worker does: SQLite checkpoints by
# itself when the last connection closes, so only a live process shows what the files hold.
ERASE = """
import sys
from django.db import connection
from personvern.core.actors import Actor
from personvern.retention.services import erase_person
print(connection.cursor().execute("PRAGMA secure_delete").fetchone()[0], flush=True)
erase_person(actor=Actor.for_system("tests"), person_id={person_id})
print("erased", flush=True)
sys.stdin.readline()
"""


def environment(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return env | {"DJANGO_SETTINGS_MODULE": "personvern.settings.development",
                  "PERSONVERN_VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING"}  # fmt: skip


def manage(var_dir: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=environment(var_dir),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def database_bytes(var_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(var_dir.glob("personvern.sqlite3*")))


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="SQLite's files; run in the SQLite pass")
def test_an_erased_person_leaves_no_readable_copy_in_the_sqlite_files(tmp_path):
    marker = "Zq" + secrets.token_hex(6)
    manage(tmp_path, "migrate", "--noinput", "-v0")
    # given a person with interactions, whose name is in the files
    created = manage(tmp_path, *SHELL, CREATE.format(marker=marker))
    person_id = int(created.split()[-1])
    there = marker.encode() in database_bytes(tmp_path)
    assert there
    # when a process that stays up (as a worker does) erases the person
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *SHELL, ERASE.format(person_id=person_id)],
        cwd=ROOT, env=environment(tmp_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "1"  # secure_delete on
        assert worker.stdout.readline().strip() == "erased"
        # then, while its connection is still open, no file of the database holds the name,
        # the address or the summaries any more, and the write-ahead log is empty
        still_there = marker.encode() in database_bytes(tmp_path)
        assert not still_there
        assert (tmp_path / "personvern.sqlite3-wal").stat().st_size == 0
    finally:
        worker.communicate("\n", timeout=30)
