"""Breach benchmarks (issue 14).

    .venv/bin/python -m benchmarks.breach_bench --db sqlite
    .venv/bin/python -m benchmarks.breach_bench --db postgres

On a dedicated fresh database: the security-signal scan over an IP log of N requests in the
last week (a tenth of them refused 403 for a blocked network, the rest from elsewhere), the
people-affected search over a register of M people, and the draft report rendered as HTML and
as PDF (WeasyPrint). Targets on a 2-core machine: scan over 100,000 log entries < 5 s; the
affected-people search over 100,000 people < 2 s; a PDF < 2 s.
"""

from __future__ import annotations

import argparse
import datetime
import time

from benchmarks._setup import database_version, git_revision, machine, use_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--log", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    use_database(args.db, "bench_breach")
    print(f"machine: {machine()}")
    print(f"database: {database_version()}; revision {git_revision()}")

    from django.db import transaction
    from django.utils import timezone

    from personvern.breaches.report import export_report
    from personvern.breaches.services import (
        affected_by,
        assess_risk,
        record_breach,
        scan_signals,
        write_letters,
    )
    from personvern.core.actors import Actor
    from personvern.organisation.models import Organisation, SupervisoryAuthority
    from personvern.processing.models import ProcessingActivity
    from personvern.register.models import Person
    from personvern.website.models import BlockEntry, IpLogEntry

    actor = Actor.for_system("bench")
    now = timezone.now()
    authority = SupervisoryAuthority.objects.create(name="Datatilsynet", country="NO")
    Organisation.objects.create(legal_name="Bench AS", organisation_number="974760673",
                                responsible_role="Daglig leder", supervisory_authority=authority,
                                privacy_contact_email="post@bench.example")  # fmt: skip
    BlockEntry.objects.create(network="203.0.113.0/24", reason="bench", created_by_label="bench",
                              review_on=timezone.localdate())  # fmt: skip
    started = time.perf_counter()
    batch = []
    for i in range(args.log):
        blocked = i % 10 == 0
        batch.append(IpLogEntry(
            at=now - datetime.timedelta(seconds=i), method="GET", path="/",
            ip_address=f"203.0.113.{i % 250 + 1}" if blocked else f"198.51.{i % 200}.{i % 250 + 1}",
            status=403 if blocked else 200, source="personvern",
        ))  # fmt: skip
        if len(batch) == 5000:
            IpLogEntry.objects.bulk_create(batch)
            batch = []
    IpLogEntry.objects.bulk_create(batch)
    print(f"seeded {args.log:,} log entries in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    open_signals = scan_signals()
    print(f"signal scan over {args.log:,} log entries: {time.perf_counter() - started:.2f} s "
          f"({open_signals} open signals)")  # fmt: skip
    started = time.perf_counter()
    again = scan_signals()
    print(f"signal scan again (nothing new): {time.perf_counter() - started:.2f} s ({again})")

    activity = ProcessingActivity.objects.create(name="Payroll", purpose="Pay",
                                                 legal_basis="contract",
                                                 subject_categories=["employee"])  # fmt: skip
    started = time.perf_counter()
    Person.objects.bulk_create(
        [Person(category="employee" if i % 2 else "customer_contact", first_name=f"P{i}",
                email=f"p{i}@example.com", email_key=f"p{i}@example.com",
                created_at=now - datetime.timedelta(days=30))
         for i in range(args.people)], batch_size=5000,
    )  # fmt: skip
    print(f"seeded {args.people:,} people in {time.perf_counter() - started:.1f} s")
    breach = record_breach(actor=actor, values={
        "title": "Bench", "what_happened": "Bench.", "aware_at": now,
        "began_at": now - datetime.timedelta(hours=1), "ended_at": now,
        "activities": [activity], "approx_people": args.people // 2,
    })  # fmt: skip
    assess_risk(actor=actor, breach=breach, risk="high", reasoning="bench")
    started = time.perf_counter()
    people = affected_by(breach)
    print(f"people affected among {args.people:,}: {len(people):,} found in "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic():
        written = write_letters(actor=actor, breach=breach, people=people)
    print(f"letters written to {len(written):,} people: "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip
    for fmt in ("html", "pdf"):
        started = time.perf_counter()
        exported = export_report(actor=actor, breach=breach, fmt=fmt)
        print(f"draft report as {fmt}: {time.perf_counter() - started:.2f} s "
              f"({len(exported.content):,} bytes)")  # fmt: skip


if __name__ == "__main__":
    main()
