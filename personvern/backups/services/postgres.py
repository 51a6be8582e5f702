"""pg_dump and pg_restore with the connection settings of the ``default`` database, the
password passed in the environment (never on a command line other users can read)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.db import connection

from .archive import BackupError


def _environment() -> dict[str, str]:
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _run(program: str, *args: str) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} is not installed (Debian: apt install postgresql-client).")
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings and paths
        [executable, *args], env=_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed ({result.returncode}): {result.stderr.strip()}")


def dump(target: Path) -> None:
    _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}")


def restore(source: Path) -> None:
    """Replace every table with the dump's: the schema is emptied first, so tables that a
    newer version added are gone too (``migrate`` after the restore adds them back)."""
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()
    _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={connection.settings_dict['NAME']}",
        str(source),
    )
