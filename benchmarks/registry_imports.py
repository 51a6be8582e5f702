"""Imports of the two external lists issue 13 relies on (truth).

    .venv/bin/python -m benchmarks.registry_imports --db sqlite
    .venv/bin/python -m benchmarks.registry_imports --db postgres

On a dedicated fresh database: the EU-US Data Privacy Framework list (``--orgs``
organisations, a tenth inactive) imported from CSV twice (the second replaces the first), and
Reservasjonsregisteret (``--numbers`` synthetic Norwegian mobile numbers) imported, then
imported again with a tenth of the numbers gone and as many new ones (the ones that left the
register are removed). Prints wall times and counts with the machine.
"""

from __future__ import annotations

import argparse
import time

from benchmarks._setup import database_version, git_revision, machine, use_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--orgs", type=int, default=5_000)
    parser.add_argument("--numbers", type=int, default=100_000)
    args = parser.parse_args()
    use_database(args.db, "bench_registry_imports")
    print(f"machine: {machine()}")
    print(f"database: {database_version()}; revision {git_revision()}")

    from personvern.consent.models import TelemarketingReservation
    from personvern.consent.services import import_reservations
    from personvern.core.actors import Actor
    from personvern.processing.services.transfers import import_dpf_list

    actor = Actor.for_system("bench")
    rows = ["Organization Name,Status"] + [
        f'"Example Org {i}, Inc.",{"Inactive" if i % 10 == 0 else "Active"}'
        for i in range(args.orgs)
    ]
    content = ("\n".join(rows) + "\n").encode()
    for run in (1, 2):
        started = time.perf_counter()
        imported = import_dpf_list(actor=actor, content=content, filename="dpf.csv")
        took = time.perf_counter() - started
        print(f"DPF list import {run}: {imported.participants:,} organisations in {took:.2f} s")

    first = [f"4{i:07d}" for i in range(args.numbers)]
    gone = args.numbers // 10
    second = first[gone:] + [f"9{i:07d}" for i in range(gone)]
    for label, numbers in (("first", first), ("next month", second)):
        started = time.perf_counter()
        counts = import_reservations(actor=actor, numbers=numbers)
        took = time.perf_counter() - started
        print(
            f"Reservasjonsregisteret {label}: {len(numbers):,} numbers in {took:.2f} s "
            f"(added {counts['added']:,}, removed {counts.get('removed', 0):,})"
        )
    assert TelemarketingReservation.objects.count() == args.numbers


if __name__ == "__main__":
    main()
