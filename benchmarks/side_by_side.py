"""Benchmark: Personvern and Ethyca Fides side by side on the same data, in one run (issue 11).

1. Seeds an external PostgreSQL database (``bench_src_accounting_sbs``) with N rows per
   table through ``benchmarks/sql_source.py``'s own ``seed``, with twice ``--repeat`` + 1
   people of the same shape: the first half are Personvern's, the second Fides' (a person
   once erased cannot be erased again).
2. Starts both sides once, and keeps them running: Personvern's ``personvern worker``
   (woken by NOTIFY) with the process that takes the requests down (``ours_serve``, which
   takes a person's number per line on its standard input); Fides' server
   (``uvicorn fides.api.main:app`` from ``--fides-venv``) on the local PostgreSQL and Redis.
3. In turns: first one cold run per side (the worker's and the server's first requests),
   then ``--repeat`` warm runs per side, each one access and one erasure for a new person.
   Fides' side of a run is ``benchmarks/fides/run_fides.py`` with the Fides venv's Python.
4. Prints one table: cold runs apart, the best of the warm runs of each side, the ratio,
   peak memory, versions and the machine.

    .venv/bin/python benchmarks/side_by_side.py --rows 1000000 --fides-venv /work/fides-venv
"""

from __future__ import annotations

import argparse
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


def ours_serve(people: range, mode: str) -> None:
    """Personvern's side, in its own process, kept running between turns: set up once (the
    register's people, the dataset, the worker), then for each person's number read from
    standard input one access and one erasure (``sql_source.measure``), printed as JSON.
    ``worker``: the jobs in a ``personvern worker`` process woken by NOTIFY, Personvern's
    database PostgreSQL, the worker's peak memory; ``inprocess``: each job in this process
    as soon as it is queued, Personvern's database SQLite."""
    from benchmarks._setup import use_database

    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("PERSONVERN_PORTAL_URL", "http://127.0.0.1:8000")
    if mode == "worker":
        use_database("postgres", "bench_sbs_pv")
    else:
        use_database("sqlite", "bench_sbs")
    url = f"{sql_source.PG}/{sql_source.EXTERNAL}"
    bench = sql_source.prepare(people, worker=mode == "worker", url=url)
    try:
        print(MARK + json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            timings = sql_source.measure(bench, int(line))
            result = {**timings, **bench.last, "rss_peak": sql_source.peak(bench), "mode": mode}
            print(MARK + json.dumps(result), flush=True)
    finally:
        sql_source.stop(bench)


class Ours:
    """The running ``ours_serve`` process."""

    def __init__(self, people: range, mode: str) -> None:
        first, last = people.start, people.stop - 1
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--ours-serve", f"{first}-{last}", "--ours-mode", mode],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.read()

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(MARK):
                return dict(json.loads(line[len(MARK) :]))
        raise SystemExit(f"Personvern's side stopped (exit {self.process.wait()})")

    def run(self, person: int) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{person}\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=120)


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


def run_fides(
    venv: Path, server: subprocess.Popen[bytes], workdir: Path, person: int
) -> dict[str, Any]:
    process = subprocess.run(
        [str(venv / "bin" / "python"), str(ROOT / "benchmarks" / "fides" / "run_fides.py"),
         "--url", f"http://127.0.0.1:{FIDES_PORT}", "--pid", str(server.pid),
         "--client-id", FIDES_CLIENT[0], "--client-secret", FIDES_CLIENT[1],
         "--db-name", sql_source.EXTERNAL, "--server-cwd", str(workdir),
         "--email", sql_source.email(person), "--customer-no", f"K-{person}"],
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


def table(rows: int, runs: dict[str, list[dict[str, Any]]]) -> str:
    """Cold (each side's first run) apart, then the best of the warm runs, and the largest
    peak memory of all."""
    ours, fides = runs["ours"], runs["fides"]
    lines = [
        "| rows per table | | Personvern | Fides | Fides ÷ Personvern |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for kind in ("access", "erasure"):
        for label, a, b in (
            (f"{kind}, cold (first run)", ours[0][kind], fides[0][kind]),
            (f"{kind}, warm (best of {len(ours) - 1})", min(r[kind] for r in ours[1:]),
             min(r[kind] for r in fides[1:])),
        ):  # fmt: skip
            lines.append(f"| {rows:,} | {label} | {a:.3f} s | {b:.3f} s | {b / a:.1f} |")
    a = max(r["rss_peak"] for r in ours)
    b = max(r["rss_peak_mib"] for r in fides)
    lines.append(f"| {rows:,} | peak memory (worker / server) | {a:.0f} MiB | {b:.0f} MiB "
                 f"| {b / a:.1f} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per side")
    parser.add_argument("--fides-venv", type=Path, default=Path("/work/fides-venv"))
    parser.add_argument(
        "--ours-mode", choices=["worker", "inprocess"], default="worker",
        help="Personvern's jobs in a worker process (the real path) or in the measuring process",
    )  # fmt: skip
    parser.add_argument("--ours-serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ours_serve:
        first, last = (int(n) for n in args.ours_serve.split("-"))
        ours_serve(range(first, last + 1), args.ours_mode)
        return
    turns = args.repeat + 1  # the cold run, then the warm ones
    started = time.perf_counter()
    sql_source.seed(args.rows, people=2 * turns)
    print(f"seeded {args.rows:,} rows per table in {time.perf_counter() - started:.1f} s",
          flush=True)  # fmt: skip
    workdir = Path(tempfile.mkdtemp(prefix="fides-bench-"))
    server = start_fides(args.fides_venv, workdir)
    ours = Ours(range(1, turns + 1), args.ours_mode)
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "fides": []}
    try:
        # The sides take turns, so that both meet the same load on a shared machine.
        for n in range(turns):
            for side in ("ours", "fides"):
                if side == "ours":
                    r = ours.run(1 + n)
                else:
                    r = run_fides(args.fides_venv, server, workdir, turns + 1 + n)
                runs[side].append(r)
                print(f"{side} {'cold' if n == 0 else f'warm {n}'}: access={r['access']:.3f}s "
                      f"erasure={r['erasure']:.3f}s", flush=True)  # fmt: skip
    finally:
        ours.close()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    print(json.dumps(runs, default=str))
    print()
    print(table(args.rows, runs))
    print()
    print(f"Machine: {machine()}")
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in versions().items())
          + f", Fides {runs['fides'][0]['fides_version']}")  # fmt: skip
    print(f"Rows per table (as Fides counted them): {runs['fides'][0]['rows']}")


if __name__ == "__main__":
    main()
