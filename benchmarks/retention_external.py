"""Benchmark of a retention rule on a table of an external SQL source (a script, not a test).

Seeds the demo accounting schema in an external database with N time entries over N/10
customers (nine in ten entries from 2019, expired; one in ten from this year), puts one
customer in a hundred under a legal hold in the register (found in the source by e-mail),
and runs the sweep with one rule deleting time entries three years after the day worked:
first the dry run, then the real run. Checks the result (every expired, unheld entry gone,
every held or recent one kept) and prints wall times and the process's resident memory
when the sweep starts and at its peak during it (sampled every 20 ms).

Personvern's own database is a fresh SQLite file; the source is ``bench_extreach_src`` on
the local PostgreSQL (dropped and recreated) or, with ``--source sqlite``, a SQLite file:

    .venv/bin/python benchmarks/retention_external.py --rows 100000
    .venv/bin/python benchmarks/retention_external.py --rows 100000 --source sqlite
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._setup import git_revision, machine, use_database
from benchmarks.retention_sweep import RssSampler

PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
EXTERNAL = "bench_extreach_src"
ENV = "BENCH_RETENTION_ACCOUNTING_URL"
ENTRIES_PER_CUSTOMER = 10
HELD_EVERY = 100
RECENT_EVERY = 10
TODAY = datetime.date(2026, 11, 30)


def source_url(kind: str) -> str:
    import sqlalchemy as sa

    if kind == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="personvern-bench-src-")) / "accounting.sqlite3"
        return f"sqlite:///{path}"
    admin = sa.create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{EXTERNAL}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{EXTERNAL}"'))
    admin.dispose()
    return f"{PG}/{EXTERNAL}"


def seed(url: str, rows: int) -> tuple[int, int]:
    """The source's rows (SQLAlchemy Core inserts in chunks); returns (expired and unheld,
    held or recent) time entries."""
    import sqlalchemy as sa

    from personvern.demo import accounting

    engine = sa.create_engine(url)
    accounting.create_schema(engine, reset=True)
    customers = rows // ENTRIES_PER_CUSTOMER
    expired_free = 0
    with engine.begin() as connection:
        connection.execute(
            sa.insert(accounting.CUSTOMERS),
            [
                {"id": c, "customer_no": f"K{c}", "email": f"kunde{c}@example.com"}
                for c in range(1, customers + 1)
            ],
        )
        chunk = []
        for n in range(rows):
            customer = 1 + n // ENTRIES_PER_CUSTOMER
            recent = n % RECENT_EVERY == 0
            day = datetime.date(2026, 3, 1) if recent else datetime.date(2019, 3, 1)
            if not recent and customer % HELD_EVERY:
                expired_free += 1
            chunk.append({"customer_id": customer, "worked_on": day, "hours": 1.5, "note": "x"})
            if len(chunk) == 10_000:
                connection.execute(sa.insert(accounting.TIME_ENTRIES), chunk)
                chunk = []
        if chunk:
            connection.execute(sa.insert(accounting.TIME_ENTRIES), chunk)
    if engine.dialect.name == "postgresql":
        # A live database has its statistics (autovacuum); a freshly filled one is analysed.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))
    engine.dispose()
    return expired_free, rows - expired_free


def run(rows: int, source: str) -> None:
    import sqlalchemy as sa
    from django.contrib.auth.models import Group

    from personvern.accounts.models import User
    from personvern.connectors import services as connectors
    from personvern.connectors.spec import from_yaml
    from personvern.core.actors import Actor
    from personvern.demo import accounting
    from personvern.processing.models import ProcessingActivity
    from personvern.register.models import Person
    from personvern.retention import services

    url = source_url(source)
    os.environ[ENV] = url
    started = time.perf_counter()
    expired, kept = seed(url, rows)
    seeding = time.perf_counter() - started
    officer = User.objects.create(username="bench-officer", is_staff=True)
    officer.groups.add(Group.objects.get(name="privacy_officer"))
    actor = Actor(user=User.objects.get(pk=officer.pk))
    connectors.save_dataset(actor=actor, spec=from_yaml(accounting.dataset_yaml(ENV)))
    customers = rows // ENTRIES_PER_CUSTOMER
    for c in range(HELD_EVERY, customers + 1, HELD_EVERY):
        email = f"kunde{c}@example.com"
        person = Person.objects.create(
            first_name="Bench", last_name=str(c), email=email, email_key=email,
            category="customer_contact", source="data_subject",
        )  # fmt: skip
        services.set_hold(actor=actor, record_type="person", record_id=person.pk, reason="b")
    activity = ProcessingActivity.objects.order_by("pk").first()
    if activity is None:
        activity = ProcessingActivity.objects.create(name="Timeføring")
    services.create_rule(actor=actor, values=services.RuleValues(
        name="Time entries", processing_activity=activity, target="external_table",
        source_table="accounting.time_entries", trigger="date_column",
        trigger_column="worked_on", period_years=3, action="delete",
        legal_source="GDPR Art. 5(1)(e)",
    ))  # fmt: skip
    system = Actor.for_system("retention-sweep")
    t0 = time.perf_counter()
    planned = services.sweep(actor=system, dry_run=True, today=TODAY)
    dry = time.perf_counter() - t0
    sampler = RssSampler()
    sampler.start()
    t0 = time.perf_counter()
    report = services.sweep(actor=system, today=TODAY)
    swept = time.perf_counter() - t0
    sampler.stop()
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        left = connection.execute(
            sa.select(sa.func.count()).select_from(accounting.TIME_ENTRIES)
        ).scalar_one()
    engine.dispose()
    assert planned.total == report.total == expired, (planned.total, report.total, expired)
    assert left == kept, (left, kept)
    print(machine())
    print(
        f"source={source} rows={rows:,} deleted={report.total:,} kept={left:,} "
        f"seeding={seeding:.1f}s dry_run={dry:.2f}s sweep={swept:.2f}s "
        f"rss_start={sampler.start_mib:.0f}MiB rss_peak={sampler.peak_mib:.0f}MiB "
        f"revision={git_revision()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--source", choices=("postgresql", "sqlite"), default="postgresql")
    args = parser.parse_args()
    use_database("sqlite", "bench_extreach")
    run(args.rows, args.source)


if __name__ == "__main__":
    main()
