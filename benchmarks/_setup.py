"""Shared set-up for the benchmark scripts: a dedicated database, never the test database."""

from __future__ import annotations

import os
import platform
import subprocess
import tempfile
from pathlib import Path

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def use_database(kind: str, name: str) -> str:
    """Point Django at a fresh benchmark database of ``kind`` (sqlite or postgres)."""
    if kind == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="personvern-bench-")) / f"{name}.sqlite3"
        url = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "personvern.settings.development"
    os.environ.setdefault("PERSONVERN_VAR_DIR", tempfile.mkdtemp(prefix="personvern-bench-var-"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return url


def machine() -> str:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return (
        f"{cpu or platform.processor()}, {os.cpu_count()} cores, {memory} RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("select sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def git_revision() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=False).stdout.strip()  # fmt: skip
    except OSError:
        return ""
