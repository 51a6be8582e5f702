"""Benchmark: one access request and one erasure for one person, reaching an external
PostgreSQL accounting database of five tables of N rows each (customers, contact persons,
invoices, invoice lines, time entries; indexed on the identity and foreign-key columns, as a
user would) and the register.

The external database is ``bench_src_accounting`` on the local PostgreSQL, dropped and
recreated. The requests are taken down by staff (verified at once). Two modes:

- ``--mode worker`` (the default, the real path): Personvern's own database is PostgreSQL
  (``bench_src_pv``, recreated) and a ``personvern worker`` process started here, polling only
  every 60 s, takes each fulfilment job the moment it is queued (LISTEN/NOTIFY). The time is
  from the service call that creates the verified request to the job's ``finished_at`` as the
  worker recorded it (read from the database, so the benchmark's own polling adds nothing);
  the peak memory is the worker's (``VmHWM``).
- ``--mode inprocess``: Personvern's database a fresh SQLite file, each job run in this
  process as soon as it is queued (``fulfil``); peak memory is this process's.

``--own-rows K`` gives the person K time entries of their own (of the N), to show that the
package is streamed: memory does not grow with K. ``--json`` prints one JSON object per run.

    .venv/bin/python benchmarks/sql_source.py --rows 100000 1000000
    .venv/bin/python benchmarks/sql_source.py --rows 1000000 --own-rows 100000 --json

Functions for ``side_by_side.py``: ``seed(rows, own=...)`` builds the external database and
returns its URL; ``run(rows, ...)`` (after ``use_database``) seeds and measures; ``prepare``,
``measure``, ``peak`` and ``stop`` are its steps, for a caller that keeps one worker warm."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._setup import machine, use_database

PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
# BENCH_SRC_DATABASE / BENCH_PV_DATABASE: other names, so that two runs at once (two
# branches compared) do not drop each other's databases.
EXTERNAL = os.environ.get("BENCH_SRC_DATABASE", "bench_src_accounting")
ENV = "BENCH_ACCOUNTING_URL"
TARGET_ROWS = 10  # the person's own invoices (each with one line) and time entries


def email(person: int) -> str:
    return f"target{person}@example.com"


def seed(rows: int, own: int = TARGET_ROWS, people: int = 1) -> str:
    """The external database with ``rows`` rows per table; each of the ``people`` measured
    (customers 1, 2, ...; ``email(n)``) has ``TARGET_ROWS`` invoices and ``own`` time
    entries."""
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
        # rows 1..people are the people measured; the others are strangers
        f"""INSERT INTO customers (id, customer_no, name, email, phone, national_id)
            SELECT g, 'K-' || g, 'Kunde ' || g,
                   CASE WHEN g <= {people} THEN 'target' || g || '@example.com'
                        ELSE 'c' || g || '@example.com' END,
                   CASE WHEN g <= {people} THEN '+47912345' || (60 + g)
                        ELSE '+47' || (40000000 + g) END, NULL
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO contact_persons (id, customer_id, name, email, phone)
            SELECT g, g, 'Kontakt ' || g, 'p' || g || '@example.com', NULL
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO invoices (id, customer_id, number, issued_on, amount)
            SELECT g, CASE WHEN g <= {people * TARGET_ROWS} THEN 1 + (g - 1) / {TARGET_ROWS}
                           ELSE 1 + g % {n} END, 'F-' || g,
                   DATE '2024-01-01' + (g % 365), 1250.00
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO invoice_lines (id, invoice_id, description, amount)
            SELECT g, g, 'Regnskapsførsel', 1250.00 FROM generate_series(1, {n}) g""",
        f"""INSERT INTO time_entries (id, customer_id, worked_on, hours, note)
            SELECT g, CASE WHEN g <= {people * own} THEN 1 + (g - 1) / {max(own, 1)}
                           ELSE 1 + g % {n} END,
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


def vm_hwm_mib(pid: int) -> float:
    """A process's peak resident set (``VmHWM``), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``personvern worker`` as operators run it, polling only every 60 s: a job is taken at
    once only through NOTIFY. Returns once it listens."""
    from django.db import connection

    # BENCH_WORKER_LOG=<file>: the worker's log there (with PYTHONPROFILEIMPORTTIME=1, what
    # it imports and when), for looking into its time and memory.
    path = os.environ.get("BENCH_WORKER_LOG")
    log = Path(path).open("w") if path else subprocess.DEVNULL  # noqa: SIM115 - its log
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "personvern"), "worker", "--interval", "60",
         "--no-startup-delay", "--no-reload", "--worker-id", "bench-worker"],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query LIKE 'LISTEN %%'"
            )
            if cursor.fetchone()[0]:
                time.sleep(0.5)  # past its first look, waiting
                return worker
        if worker.poll() is not None:
            raise RuntimeError("the worker did not start")
        time.sleep(0.1)
    worker.kill()
    raise RuntimeError("the worker did not listen within 60 s")


def job_times(request_id: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Wait for the request's fulfilment job to finish; its ``started_at`` (claimed by the
    worker) and ``finished_at``, as recorded."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from personvern.rights.selectors import FULFILMENT_TASK

    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        job = (
            DBTaskResult.objects.filter(task_path=FULFILMENT_TASK, args_kwargs__args=[request_id])
            .order_by("-enqueued_at")
            .first()
        )
        if job is not None and job.status == TaskResultStatus.FAILED:
            raise RuntimeError(f"job failed: {job.exception_class_path}")
        if job is not None and job.status == TaskResultStatus.SUCCESSFUL:
            assert job.started_at is not None and job.finished_at is not None
            return job.started_at, job.finished_at
        time.sleep(0.02)
    raise RuntimeError("the job did not finish within 600 s")


@dataclass
class Bench:
    """What ``prepare`` set up: the staff actor, the worker (``None``: jobs run in this
    process) and the worker's peak memory before any job."""

    actor: Any
    worker: subprocess.Popen[bytes] | None
    rss_before: float
    last: dict[str, Any] = field(default_factory=dict)


def prepare(people: range, *, worker: bool, url: str) -> Bench:
    """Personvern's side, set up once: the ``people`` (numbers, as ``seed`` made them) in
    the register, the accounting dataset pointing at ``url``, the worker started."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from personvern.accounts.models import User
    from personvern.connectors import services as connectors
    from personvern.connectors.spec import from_yaml
    from personvern.core.actors import Actor
    from personvern.demo import accounting
    from personvern.register.models import Person

    os.environ[ENV] = url
    officer = User.objects.create(username="bench-officer", is_staff=True)
    officer.groups.add(Group.objects.get(name="privacy_officer"))
    actor = Actor(user=User.objects.get(pk=officer.pk))
    for n in people:
        Person.objects.create(
            first_name="Kari", last_name=f"Nordmann {n}", email=email(n), email_key=email(n),
            phone=f"+47912345{60 + n}", category="customer_contact", source="data_subject",
            created_at=timezone.now(),
        )  # fmt: skip
    connectors.save_dataset(actor=actor, spec=from_yaml(accounting.dataset_yaml(ENV)))
    process = start_worker({ENV: url}) if worker else None
    return Bench(actor, process, vm_hwm_mib(process.pid if process else os.getpid()))


def measure(bench: Bench, person: int) -> dict[str, float]:
    """One access request, then one erasure request, for person ``person``: the time from
    the service call to the job's end (``*_submit``: the call alone; ``*_pickup``: to the
    worker's claim of the job)."""
    from django.utils import timezone

    from personvern.rights import services
    from personvern.rights.models import DataSubjectRequest

    timings = {}
    for kind in ("access", "erasure"):
        wall = timezone.now()
        t0 = time.perf_counter()
        request = services.submit_request(
            actor=bench.actor, request_type=kind, email=email(person), channel="phone",
            verification_note="benchmark",
        )  # fmt: skip
        timings[f"{kind}_submit"] = time.perf_counter() - t0
        if bench.worker is None:
            services.fulfil(request_id=request.pk)
            timings[kind] = time.perf_counter() - t0
        else:
            claimed, finished = job_times(request.pk)
            timings[kind] = (finished - wall).total_seconds()
            timings[f"{kind}_pickup"] = (claimed - wall).total_seconds()
        request = DataSubjectRequest.objects.get(pk=request.pk)
        assert request.status == "done", (kind, request.status, request.source_states)
    report = request.source_states["sql:accounting"]["report"]
    bench.last = {
        "erased": sum(report["erased"].values()),
        "kept": sum(k["count"] for k in report["kept"]),
    }
    return timings


def peak(bench: Bench) -> float:
    return vm_hwm_mib(bench.worker.pid if bench.worker else os.getpid())


def stop(bench: Bench) -> None:
    if bench.worker is not None:
        bench.worker.send_signal(signal.SIGTERM)
        bench.worker.wait(timeout=60)


def run(
    rows: int, *, worker: bool = False, own: int = TARGET_ROWS, repeat: int = 1
) -> dict[str, Any]:
    """Seed, then time one access and one erasure request for each of ``repeat`` people (a
    person once erased cannot be erased again); ``access`` and ``erasure`` are the best,
    ``runs`` has them all, the first on a worker that has run nothing yet. ``worker``: run
    the jobs in a ``personvern worker`` process (Personvern's database must be PostgreSQL)."""
    started = time.perf_counter()
    url = seed(rows, own, repeat)
    seeding = time.perf_counter() - started
    bench = prepare(range(1, repeat + 1), worker=worker, url=url)
    try:
        runs = [measure(bench, n) for n in range(1, repeat + 1)]
        rss_peak = peak(bench)
    finally:
        stop(bench)
    return {
        "mode": "worker" if worker else "inprocess",
        "rows": rows,
        "own_rows": own,
        "seeding": seeding,
        "access": min(r["access"] for r in runs),
        "erasure": min(r["erasure"] for r in runs),
        "runs": runs,
        **bench.last,
        "rss_before": bench.rss_before,
        "rss_peak": rss_peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--mode", choices=["worker", "inprocess"], default="worker")
    parser.add_argument("--own-rows", type=int, default=TARGET_ROWS)
    parser.add_argument("--repeat", type=int, default=3, help="people measured; best is shown")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object per run (for side_by_side.py)"
    )
    args = parser.parse_args()
    if len(args.rows) > 1:
        extra = ["--json"] if args.json else []
        extra += ["--mode", args.mode, "--own-rows", str(args.own_rows)]
        extra += ["--repeat", str(args.repeat)]
        for rows in args.rows:
            subprocess.run([sys.executable, __file__, "--rows", str(rows), *extra], check=True)
        return
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("PERSONVERN_PORTAL_URL", "http://127.0.0.1:8000")
    worker = args.mode == "worker"
    pv = os.environ.get("BENCH_PV_DATABASE", "bench_src_pv")
    use_database("postgres" if worker else "sqlite", pv if worker else "bench_src")
    result = run(args.rows[0], worker=worker, own=args.own_rows, repeat=args.repeat)
    if args.json:
        print(json.dumps({**result, "machine": machine()}))
        return
    print(machine())
    print(
        f"mode={result['mode']} rows/table={result['rows']:,} own={result['own_rows']:,} "
        f"seeding={result['seeding']:.1f}s "
        f"access={result['access']:.3f}s erasure={result['erasure']:.3f}s "
        f"erased={result['erased']} kept={result['kept']} "
        f"runs={[{k: round(v, 3) for k, v in r.items()} for r in result['runs']]} "
        f"rss_before={result['rss_before']:.0f}MiB peak_rss={result['rss_peak']:.0f}MiB"
    )


if __name__ == "__main__":
    main()
