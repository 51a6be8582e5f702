"""Benchmark: one access request and one erasure for one person, reaching an external
PostgreSQL accounting database of five tables of N rows each (customers, contact persons,
invoices, invoice lines, time entries; indexed on the identity and foreign-key columns, as a
user would) and the register.

Personvern's own database is a fresh SQLite file; the external database is
``bench_src_accounting`` on the local PostgreSQL, dropped and recreated. The requests are
taken down by staff (verified at once) and their fulfilment job is run in this process as
soon as it is queued (``fulfil``), so the time is submission to finished job without any
queue latency. Prints wall times, rows found and erased, and the process's peak RSS.

    .venv/bin/python benchmarks/sql_source.py --rows 100000 1000000

Not done: Ethyca Fides side by side (issue 11 asks for it)."""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._setup import machine, use_database

PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
EXTERNAL = "bench_src_accounting"
ENV = "BENCH_ACCOUNTING_URL"
TARGET_ROWS = 10  # the person's own invoices (each with one line) and time entries


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(rows: int) -> str:
    import sqlalchemy as sa

    from personvern.demo import accounting

    admin = sa.create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{EXTERNAL}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{EXTERNAL}"'))
    admin.dispose()
    url = f"{PG}/{EXTERNAL}"
    engine = sa.create_engine(url)
    accounting.create_schema(engine)
    n = rows
    statements = [
        # row 1 is the person; the others are strangers
        f"""INSERT INTO customers (id, customer_no, name, email, phone, national_id)
            SELECT g, 'K-' || g, 'Kunde ' || g,
                   CASE WHEN g = 1 THEN 'target@example.com' ELSE 'c' || g || '@example.com' END,
                   CASE WHEN g = 1 THEN '+4791234567' ELSE '+47' || (40000000 + g) END, NULL
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO contact_persons (id, customer_id, name, email, phone)
            SELECT g, g, 'Kontakt ' || g, 'p' || g || '@example.com', NULL
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO invoices (id, customer_id, number, issued_on, amount)
            SELECT g, CASE WHEN g <= {TARGET_ROWS} THEN 1 ELSE 1 + g % {n} END, 'F-' || g,
                   DATE '2024-01-01' + (g % 365), 1250.00
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO invoice_lines (id, invoice_id, description, amount)
            SELECT g, g, 'Regnskapsførsel', 1250.00 FROM generate_series(1, {n}) g""",
        f"""INSERT INTO time_entries (id, customer_id, worked_on, hours, note)
            SELECT g, CASE WHEN g <= {TARGET_ROWS} THEN 1 ELSE 1 + g % {n} END,
                   DATE '2024-01-01' + (g % 365), 1.5, 'Årsoppgjør'
            FROM generate_series(1, {n}) g""",
    ]
    # E-mail is compared case-insensitively (lower(column)): a user indexes that expression,
    # as PostgreSQL's documentation advises for case-insensitive look-ups.
    statements += [
        "CREATE INDEX customers_lower_email ON customers (lower(email))",
        "CREATE INDEX contact_persons_lower_email ON contact_persons (lower(email))",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("ANALYZE"))
    engine.dispose()
    return url


def run(rows: int) -> dict[str, object]:
    from django.utils import timezone

    from personvern.connectors import services as connectors
    from personvern.connectors.spec import from_yaml
    from personvern.core.actors import Actor
    from personvern.demo import accounting
    from personvern.register.models import Person
    from personvern.rights import services
    from personvern.rights.models import DataSubjectRequest

    started = time.perf_counter()
    os.environ[ENV] = seed(rows)
    seeding = time.perf_counter() - started
    from django.contrib.auth.models import Group

    from personvern.accounts.models import User

    officer = User.objects.create(username="bench-officer", is_staff=True)
    officer.groups.add(Group.objects.get(name="privacy_officer"))
    actor = Actor(user=User.objects.get(pk=officer.pk))
    Person.objects.create(
        first_name="Kari", last_name="Nordmann", email="target@example.com",
        email_key="target@example.com", phone="+4791234567", category="customer_contact",
        source="data_subject", created_at=timezone.now(),
    )  # fmt: skip
    connectors.save_dataset(actor=actor, spec=from_yaml(accounting.dataset_yaml(ENV)))
    rss_before = rss_mib()
    timings = {}
    for kind in ("access", "erasure"):
        t0 = time.perf_counter()
        request = services.submit_request(
            actor=actor, request_type=kind, email="target@example.com", channel="phone",
            verification_note="benchmark",
        )  # fmt: skip
        services.fulfil(request_id=request.pk)
        timings[kind] = time.perf_counter() - t0
        request = DataSubjectRequest.objects.get(pk=request.pk)
        assert request.status == "done", (kind, request.status, request.source_states)
    erased = request.source_states["sql:accounting"]["report"]
    return {
        "rows": rows,
        "seeding": seeding,
        "access": timings["access"],
        "erasure": timings["erasure"],
        "erased": sum(erased["erased"].values()),
        "kept": sum(k["count"] for k in erased["kept"]),
        "rss_before": rss_before,
        "rss_peak": rss_mib(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object per run (for side_by_side.py)"
    )
    args = parser.parse_args()
    if len(args.rows) > 1:
        import subprocess

        extra = ["--json"] if args.json else []
        for rows in args.rows:
            subprocess.run([sys.executable, __file__, "--rows", str(rows), *extra], check=True)
        return
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    use_database("sqlite", "bench_src")
    os.environ.setdefault("PERSONVERN_PORTAL_URL", "http://127.0.0.1:8000")
    result = run(args.rows[0])
    if args.json:
        print(json.dumps({**result, "machine": machine()}))
        return
    print(machine())
    print(
        f"rows/table={result['rows']:,} seeding={result['seeding']:.1f}s "
        f"access={result['access']:.3f}s erasure={result['erasure']:.3f}s "
        f"erased={result['erased']} kept={result['kept']} "
        f"rss_before={result['rss_before']:.0f}MiB peak_rss={result['rss_peak']:.0f}MiB"
    )


if __name__ == "__main__":
    main()
