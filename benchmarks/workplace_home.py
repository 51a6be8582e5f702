"""Benchmark of the staff home page (a script, not a test).

Loads the demo, adds N data subject requests spread over the last twelve months (a fifth of
them open, with deadlines around today), and times the privacy officer's home page (every
provider's items and every chart) through Django's test client: the median and worst of 5
renders, and the number of queries. Uses its own database, never the test databases:

    .venv/bin/python benchmarks/workplace_home.py --requests 10000 100000             # SQLite
    .venv/bin/python benchmarks/workplace_home.py --db postgres --requests 10000 100000
"""

from __future__ import annotations

import argparse
import datetime
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._setup import database_version, git_revision, machine, use_database


def add_requests(count: int) -> None:
    from django.utils import timezone

    from personvern.rights.choices import RequestStatus, RequestType
    from personvern.rights.models import DataSubjectRequest

    now = timezone.now()
    types = list(RequestType.values)
    rows = []
    for n in range(count):
        received = now - datetime.timedelta(days=n % 360, minutes=n % 1440)
        answered = n % 5 != 0
        rows.append(DataSubjectRequest(
            reference=secrets.token_hex(8), request_type=types[n % len(types)],
            status=RequestStatus.DONE if answered else RequestStatus.IN_PROGRESS,
            contact_email=f"bench-{n}@example.no", received_at=received,
            due_on=timezone.localdate(received) + datetime.timedelta(days=30),
            completed_at=received + datetime.timedelta(days=n % 35) if answered else None,
        ))
    DataSubjectRequest.objects.bulk_create(rows, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, nargs="+", default=[10_000])
    args = parser.parse_args()
    use_database(args.db, "bench_workplace")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from personvern.accounts.models import User

    print(f"machine: {machine()}")
    print(f"database: {database_version()}; revision {git_revision()}")
    call_command("demo", verbosity=0)
    officer = User.objects.get(username="personvern")
    client = Client()
    client.force_login(officer)
    added = 0
    for total in sorted(args.requests):
        add_requests(total - added)
        added = total
        times = []
        for _ in range(5):
            connection.queries_log.clear()  # the demo filled the debug log's 9,000 places
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get("/admin/", HTTP_HOST="127.0.0.1")
                times.append(time.perf_counter() - start)
            assert response.status_code in (200, 302), response.status_code
        print(f"{total:>8} requests: home page median {statistics.median(times) * 1000:.0f} ms, "
              f"worst {max(times) * 1000:.0f} ms, {len(queries)} queries "
              f"(status {response.status_code})")


if __name__ == "__main__":
    main()
