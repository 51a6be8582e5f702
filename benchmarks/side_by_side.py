"""Benchmark: Personvern and Ethyca Fides side by side on the same data, in one run (issue 11).

1. Seeds an external PostgreSQL database (``bench_src_accounting_sbs``) with N rows per
   table through ``benchmarks/sql_source.py``'s own ``seed`` and keeps a copy of it as a
   template database, so that every measured run (each erases the person) starts from the
   same data.
2. Starts Fides' server (``uvicorn fides.api.main:app`` from ``--fides-venv``) on the local
   PostgreSQL and Redis.
3. In turns, ``--repeat`` times, each on a fresh copy of the seeded database: Personvern,
   ``sql_source.run`` in a fresh process (see ``ours_once``, the one place that knows how
   ``sql_source`` measures); Fides, ``benchmarks/fides/run_fides.py`` with the Fides venv's
   Python. Then stops the server.
4. Prints one table: best of the runs of each side, the ratio, peak memory, versions and the
   machine.

    .venv/bin/python benchmarks/side_by_side.py --rows 100000 --fides-venv /work/fides-venv
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import sql_source
from benchmarks._setup import git_revision, machine

ROOT = Path(__file__).resolve().parent.parent
# Its own database, not sql_source's ``bench_src_accounting``: another engineer's run of
# sql_source.py at the same time would drop that one under this run. Same seeding code.
sql_source.EXTERNAL = os.environ.get("BENCH_SBS_DATABASE", "bench_src_accounting_sbs")
TEMPLATE = f"{sql_source.EXTERNAL}_seed"
FIDES_DB = os.environ.get("BENCH_FIDES_DB", "fides_bench")
FIDES_PORT = int(os.environ.get("BENCH_FIDES_PORT", "8181"))
FIDES_CLIENT = ("bench_root", "bench-root-secret-7c1f0e52")  # a local throwaway server's
MARK = "SIDE_BY_SIDE_RESULT "


def admin(statement: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(f"{sql_source.PG}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


def seed(rows: int) -> float:
    """Seed through sql_source and keep the result as a template for the fresh copies."""
    started = time.perf_counter()
    sql_source.seed(rows)
    admin(f'DROP DATABASE IF EXISTS "{TEMPLATE}"')
    admin(f'CREATE DATABASE "{TEMPLATE}" TEMPLATE "{sql_source.EXTERNAL}" STRATEGY FILE_COPY')
    return time.perf_counter() - started


def fresh_copy() -> None:
    admin(f'DROP DATABASE IF EXISTS "{sql_source.EXTERNAL}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{sql_source.EXTERNAL}" TEMPLATE "{TEMPLATE}" STRATEGY FILE_COPY')


def ours_once(rows: int, mode: str) -> None:
    """One measurement of Personvern in this (fresh) process, on the fresh copy: the one
    place that knows how ``sql_source`` measures.

    ``sql_source.run`` seeds before it measures; here the database is already seeded (and
    copied fresh by the parent), so its ``seed`` is pointed at the copy. ``worker``: the jobs
    run in a ``personvern worker`` process woken by NOTIFY, Personvern's database PostgreSQL,
    the worker's peak memory (where ``sql_source.run`` offers it); ``inprocess``: each job
    runs in this process as soon as it is queued, Personvern's database SQLite."""
    from benchmarks._setup import use_database

    if mode == "auto":
        offers_worker = "worker" in inspect.signature(sql_source.run).parameters
        mode = "worker" if offers_worker else "inprocess"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("PERSONVERN_PORTAL_URL", "http://127.0.0.1:8000")
    if mode == "worker":
        use_database("postgres", "bench_sbs_pv")
    else:
        use_database("sqlite", "bench_sbs")

    def seeded(*args: object, **kwargs: object) -> str:
        return f"{sql_source.PG}/{sql_source.EXTERNAL}"

    sql_source.seed = seeded  # type: ignore[assignment]
    options = {"worker": True} if mode == "worker" else {}
    result = sql_source.run(rows, **options)
    print(MARK + json.dumps({**result, "mode": mode}))


def person_email() -> str:
    """The measured person's e-mail as sql_source seeds it (``email(1)`` where it seeds
    several people)."""
    email = getattr(sql_source, "email", None)
    return email(1) if callable(email) else "target@example.com"


def run_ours(rows: int, mode: str) -> dict[str, Any]:
    fresh_copy()
    process = subprocess.run(
        [sys.executable, __file__, "--ours-once", "--rows", str(rows), "--ours-mode", mode],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    for line in process.stdout.splitlines():
        if line.startswith(MARK):
            return dict(json.loads(line[len(MARK) :]))
    raise SystemExit(
        f"Personvern's run failed:\n{process.stdout[-3000:]}\n{process.stderr[-3000:]}"
    )


def fides_environment() -> dict[str, str]:
    return {
        **os.environ,
        "FIDES__DATABASE__SERVER": "127.0.0.1",
        "FIDES__DATABASE__PORT": "5432",
        "FIDES__DATABASE__USER": "postgres",
        "FIDES__DATABASE__PASSWORD": "unused-trust-auth",
        "FIDES__DATABASE__DB": FIDES_DB,
        "FIDES__REDIS__HOST": "127.0.0.1",
        "FIDES__REDIS__PORT": "6379",
        "FIDES__REDIS__PASSWORD": "",
        "FIDES__REDIS__DB_INDEX": os.environ.get("BENCH_FIDES_REDIS_DB", "11"),
        "FIDES__SECURITY__APP_ENCRYPTION_KEY": "benchmarkbenchmarkbenchmark12345",  # 32 chars
        "FIDES__SECURITY__OAUTH_ROOT_CLIENT_ID": FIDES_CLIENT[0],
        "FIDES__SECURITY__OAUTH_ROOT_CLIENT_SECRET": FIDES_CLIENT[1],
        "FIDES__USER__ANALYTICS_OPT_OUT": "true",
        "FIDES__CELERY__TASK_ALWAYS_EAGER": "true",
    }


def start_fides(venv: Path, workdir: Path) -> subprocess.Popen[bytes]:
    admin(f'DROP DATABASE IF EXISTS "{FIDES_DB}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{FIDES_DB}"')
    log = (workdir / "fides-server.log").open("wb")
    server = subprocess.Popen(
        [str(venv / "bin" / "uvicorn"), "fides.api.main:app", "--host", "127.0.0.1",
         "--port", str(FIDES_PORT)],
        cwd=workdir, env=fides_environment(), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"Fides' server exited; see {workdir / 'fides-server.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{FIDES_PORT}/health", timeout=5):
                return server
        except OSError:
            time.sleep(1)
    server.kill()
    raise SystemExit(f"Fides' server did not answer in 600 s; see {workdir / 'fides-server.log'}")


def run_fides(venv: Path, server: subprocess.Popen[bytes], workdir: Path) -> dict[str, Any]:
    fresh_copy()
    process = subprocess.run(
        [str(venv / "bin" / "python"), str(ROOT / "benchmarks" / "fides" / "run_fides.py"),
         "--url", f"http://127.0.0.1:{FIDES_PORT}", "--pid", str(server.pid),
         "--client-id", FIDES_CLIENT[0], "--client-secret", FIDES_CLIENT[1],
         "--db-name", sql_source.EXTERNAL, "--server-cwd", str(workdir),
         "--email", person_email()],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if process.returncode:
        raise SystemExit(f"Fides' run failed:\n{process.stdout[-3000:]}\n{process.stderr[-3000:]}")
    return dict(json.loads(process.stdout.strip().splitlines()[-1]))


def versions() -> dict[str, str]:
    from importlib.metadata import version

    import sqlalchemy as sa

    engine = sa.create_engine(f"{sql_source.PG}/postgres")
    with engine.connect() as connection:
        server = connection.execute(sa.text("SHOW server_version")).scalar()
    engine.dispose()
    return {
        "personvern": f"{version('personvern')} ({git_revision()})",
        "postgresql": str(server),
        "sqlalchemy": sa.__version__,
    }


def table(rows: int, ours: list[dict[str, Any]], fides: list[dict[str, Any]]) -> str:
    lines = [
        f"| rows per table | | Personvern (best of {len(ours)}) | Fides (best of {len(fides)}) "
        "| Fides ÷ Personvern |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for kind, label in (("access", "access (submission → done)"),
                        ("erasure", "erasure (submission → done)")):  # fmt: skip
        a = min(r[kind] for r in ours)
        b = min(r[kind] for r in fides)
        lines.append(f"| {rows:,} | {label} | {a:.3f} s | {b:.3f} s | {b / a:.2f} times |")
    a = max(r["rss_peak"] for r in ours)
    b = max(r["rss_peak_mib"] for r in fides)
    lines.append(
        f"| {rows:,} | peak RSS (largest run) | {a:.0f} MiB | {b:.0f} MiB | {b / a:.2f} times |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fides-venv", type=Path, default=Path("/work/fides-venv"))
    parser.add_argument(
        "--ours-mode", choices=["auto", "worker", "inprocess"], default="auto",
        help="Personvern's jobs in a worker process (the real path; auto: where sql_source "
        "offers it) or in the measuring process",
    )  # fmt: skip
    parser.add_argument("--ours-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ours_once:
        ours_once(args.rows, args.ours_mode)
        return
    seeding = seed(args.rows)
    print(f"seeded {args.rows:,} rows per table in {seeding:.1f} s", flush=True)
    # The sides take turns (Personvern, Fides, Personvern, ...) so that both see the same
    # load on a shared machine; Fides' server stays up (warm) between its turns, while each
    # of Personvern's runs is a fresh process.
    workdir = Path(tempfile.mkdtemp(prefix="fides-bench-"))
    server = start_fides(args.fides_venv, workdir)
    ours: list[dict[str, Any]] = []
    fides: list[dict[str, Any]] = []
    try:
        for n in range(args.repeat):
            ours.append(run_ours(args.rows, args.ours_mode))
            print(f"Personvern {n + 1} ({ours[-1]['mode']}): access={ours[-1]['access']:.3f}s "
                  f"erasure={ours[-1]['erasure']:.3f}s peak={ours[-1]['rss_peak']:.0f}MiB",
                  flush=True)  # fmt: skip
            fides.append(run_fides(args.fides_venv, server, workdir))
            print(f"Fides {n + 1}: access={fides[-1]['access']:.3f}s "
                  f"erasure={fides[-1]['erasure']:.3f}s peak={fides[-1]['rss_peak_mib']:.0f}MiB",
                  flush=True)  # fmt: skip
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    print(json.dumps({"ours": ours, "fides": fides}, default=str))
    print()
    print(table(args.rows, ours, fides))
    print()
    print(f"Machine: {machine()}")
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in versions().items())
          + f", Fides {fides[0]['fides_version']}")  # fmt: skip
    print(f"Rows per table (as Fides counted them): {fides[0]['rows']}")


if __name__ == "__main__":
    main()
