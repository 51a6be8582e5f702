"""Benchmark of the retention sweep (a script, not a test).

Seeds N expired interactions over N/10 people (1 % of the people under a legal hold), then runs
the sweep with one rule deleting interactions a year after they happened, and prints wall time
and memory (the process's resident set when the sweep starts and its peak during the sweep,
sampled every 20 ms from /proc) with the machine it ran on. Uses its own database, never the
test databases:

    .venv/bin/python benchmarks/retention_sweep.py --rows 100000 1000000            # SQLite
    .venv/bin/python benchmarks/retention_sweep.py --rows 100000 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_retention  # PostgreSQL

The PostgreSQL database named in the URL is dropped and created by the script; the SQLite
file lives in a temporary directory. Each row count runs in a fresh process so that its memory
belongs to that run alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEOPLE_PER_ROW = 10
HELD_EVERY = 100  # one person in a hundred is under a legal hold


class RssSampler(threading.Thread):
    """The process's resident set size, sampled while the sweep runs (Linux /proc)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.start_mib = self.peak_mib = rss_mib()
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.02):
            self.peak_mib = max(self.peak_mib, rss_mib())

    def stop(self) -> None:
        self._done.set()
        self.join()
        self.peak_mib = max(self.peak_mib, rss_mib())


def rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, Python {platform.python_version()}"


def prepare_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("bench_"):
        sys.exit("Refusing: the benchmark database's name must start with bench_.")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def run_one(rows: int) -> None:
    """In a child process: migrate, seed, sweep, print one result line."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "personvern.settings.test")
    django.setup()
    import datetime

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from personvern.core.actors import Actor
    from personvern.processing.models import ProcessingActivity
    from personvern.register.models import Interaction, Person
    from personvern.retention.choices import HeldRecord
    from personvern.retention.models import LegalHold, RetentionRule
    from personvern.retention.services import sweep

    call_command("migrate", verbosity=0)
    people_count = rows // PEOPLE_PER_ROW
    now = timezone.now()
    old = now - datetime.timedelta(days=800)
    started = time.monotonic()
    chunk = 20_000
    for start in range(0, people_count, chunk):
        Person.objects.bulk_create(
            [
                Person(
                    category="customer_contact",
                    first_name="Bench",
                    last_name=str(n),
                    created_at=old,
                    last_interaction_at=old,
                )
                for n in range(start, min(start + chunk, people_count))
            ],
            batch_size=5000,
        )
    first_id = Person.objects.order_by("pk").values_list("pk", flat=True)[0]
    for start in range(0, rows, chunk):
        Interaction.objects.bulk_create(
            [
                Interaction(
                    person_id=first_id + n // PEOPLE_PER_ROW,
                    channel="email",
                    summary="",
                    occurred_at=old,
                )
                for n in range(start, min(start + chunk, rows))
            ],
            batch_size=5000,
        )
    LegalHold.objects.bulk_create(
        [
            LegalHold(
                person_id=first_id + n,
                record_type=HeldRecord.PERSON,
                record_id=first_id + n,
                reason="bench",
                set_by_label="bench",
            )
            for n in range(0, people_count, HELD_EVERY)
        ]
    )
    activity = ProcessingActivity.objects.create(
        name="Bench", purpose="Bench", legal_basis="contract"
    )
    RetentionRule.objects.create(
        name="Bench",
        processing_activity=activity,
        target="interactions",
        trigger="created",
        period_years=1,
        action="delete",
        legal_source="bench",
    )
    seeded = time.monotonic() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    sampler = RssSampler()
    sampler.start()
    started = time.monotonic()
    report = sweep(actor=Actor.for_system("benchmark"))
    elapsed = time.monotonic() - started
    sampler.stop()
    held = (people_count + HELD_EVERY - 1) // HELD_EVERY * PEOPLE_PER_ROW
    if report.total != rows - held or Interaction.objects.count() != held:
        sys.exit(f"Wrong result: deleted {report.total} of {rows}, expected {rows - held}.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()"
            if connection.vendor == "postgresql"
            else "SELECT 'SQLite ' || sqlite_version()"
        )
        version = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"{version:<18} rows={rows:>9,} deleted={report.total:>9,} kept(held)={held:>7,} "
        f"seed={seeded:6.1f}s sweep={elapsed:6.1f}s "
        f"RSS at start {sampler.start_mib:4.0f} MiB, peak during sweep {sampler.peak_mib:4.0f} MiB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.child)
        return
    print(machine(), flush=True)
    for rows in args.rows:
        env = dict(
            os.environ, DJANGO_SETTINGS_MODULE="personvern.settings.test", PYTHONPATH=str(ROOT)
        )
        with tempfile.TemporaryDirectory(prefix="bench-retention-") as tmp:
            if args.database_url:
                prepare_postgres(args.database_url)
                env["DATABASE_URL"] = args.database_url
            else:
                env["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            subprocess.run([sys.executable, __file__, "--child", str(rows)], env=env, check=True)


if __name__ == "__main__":
    main()
