"""Backup and restore with the erasure journal's replay (issue 15 part C).

    .venv/bin/python -m benchmarks.backup_restore --db sqlite --people 100000
    .venv/bin/python -m benchmarks.backup_restore --db postgres --people 100000

Seeds N people on a dedicated fresh database, takes a backup, erases E of them (each through
``erase_person``, so journaled), restores the backup, and checks those E are gone again and
everyone else is back. Prints the backup's size and time, and the restore's time split into
the whole restore and the replay's scan alone (reading the journal, hashing every person once).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks._setup import database_version, git_revision, machine, use_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--erase", type=int, default=100)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="personvern-bench-backup-"))
    import os

    os.environ["PERSONVERN_ERASURE_JOURNAL_DIR"] = str(work / "journal")
    os.environ["PERSONVERN_MEDIA_ROOT"] = str(work / "media")
    use_database(args.db, "bench_backup")

    from django.db import connection

    from personvern.backups.services import restore_backup, take_backup
    from personvern.core.actors import Actor
    from personvern.register.choices import SubjectCategory
    from personvern.register.models import Person
    from personvern.retention.services import erase_person, replay_erasures

    print(f"machine: {machine()}; {database_version()}; revision {git_revision()}")
    started = time.perf_counter()
    Person.objects.bulk_create(
        (
            Person(
                category=SubjectCategory.CUSTOMER_CONTACT,
                first_name="Bench",
                last_name=f"Person {i}",
                email=f"bench{i}@example.com",
                email_key=f"bench{i}@example.com",
            )
            for i in range(args.people)
        ),
        batch_size=5000,
    )
    print(f"seeded {args.people:,} people in {time.perf_counter() - started:.1f} s")
    backup = work / "backup.tar"
    started = time.perf_counter()
    take_backup(destination=backup)
    print(
        f"backup: {time.perf_counter() - started:.2f} s, "
        f"{backup.stat().st_size / 1024 / 1024:.1f} MiB"
    )
    victims = list(Person.objects.order_by("?").values_list("pk", flat=True)[: args.erase])
    actor = Actor.for_system("benchmark")
    for pk in victims:
        erase_person(actor=actor, person_id=pk)
    started = time.perf_counter()
    report = restore_backup(source=backup)
    total = time.perf_counter() - started
    connection.close()
    assert report.erased_again == len(victims), report
    assert not Person.objects.filter(pk__in=victims).exists()
    assert Person.objects.count() == args.people - len(victims)
    print(
        f"restore with replay: {total:.2f} s "
        f"({report.journal_entries} journaled erasures, {report.erased_again} erased again)"
    )
    # The replay's own cost: the journal read and every person hashed once (none left to erase).
    started = time.perf_counter()
    replay_erasures(actor=actor, after=report.taken_at)
    print(f"replay scan alone: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
