"""Ethyca Fides' side of the side-by-side benchmark (issue 11): one access request and one
erasure request for the benchmark's person, against the same external database that
``benchmarks/sql_source.py`` seeds (``bench_src_accounting``).

Run with the *Fides* virtual environment's Python (it uses ``requests`` and ``yaml`` from
there), against a Fides server that is already running (``benchmarks/side_by_side.py``
starts and stops one):

    /work/fides-venv/bin/python benchmarks/fides/run_fides.py \
        --url http://127.0.0.1:8181 --pid <uvicorn pid> \
        --client-id bench --client-secret <secret> \
        --db-host 127.0.0.1 --db-port 5432 --db-user postgres --db-name bench_src_accounting

Set-up is idempotent (PATCH/PUT of fixed keys): a storage destination, a PostgreSQL
connection with its secrets, the dataset of ``dataset.yml`` and the two policies of
``policies.yml``. Then each request is submitted as staff through the authenticated
endpoint (no identity verification, no approval: Fides' defaults) and its status polled
every 10 ms until it is ``complete``; the time is from just before the submission to the
first poll that sees it complete. With ``FIDES__CELERY__TASK_ALWAYS_EAGER`` (Fides'
default) the whole request runs inside the submission call, so the poll adds nothing.
After the requests the database is checked: the person's rows were found, personal columns
masked, invoices untouched. Prints one JSON object."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import requests
import yaml

HERE = Path(__file__).resolve().parent
API = "/api/v1"
CONNECTION = "bench_accounting_pg"
TABLES = ("customers", "contact_persons", "invoices", "invoice_lines", "time_entries")


class Fides:
    def __init__(self, url: str, client_id: str, client_secret: str) -> None:
        self.base = url.rstrip("/") + API
        self.session = requests.Session()
        response = self.session.post(self.base + "/oauth/token", data={
            "grant_type": "client_credentials", "client_id": client_id,
            "client_secret": client_secret,
        }, timeout=60)  # fmt: skip
        response.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, self.base + path, timeout=600, **kwargs)
        if not response.ok:
            raise SystemExit(f"{method} {path}: {response.status_code} {response.text[:2000]}")
        body = response.json() if response.content else None
        if isinstance(body, dict) and body.get("failed"):
            raise SystemExit(f"{method} {path}: failed {body['failed']}")
        return body


def set_up(fides: Fides, args: argparse.Namespace) -> None:
    policies = yaml.safe_load((HERE / "policies.yml").read_text())
    storage = policies["storage"]
    fides.call("PATCH", "/storage/config", json=[{
        "key": storage["key"], "name": storage["name"], "type": storage["type"],
        "format": storage["format"], "details": {"naming": "request_id"},
    }])  # fmt: skip
    fides.call("PATCH", "/connection", json=[{
        "key": CONNECTION, "name": "Accounting system (benchmark)",
        "connection_type": "postgres", "access": "write",
    }])  # fmt: skip
    secrets = {
        "host": args.db_host, "port": args.db_port, "username": args.db_user,
        "dbname": args.db_name,
    }  # fmt: skip
    if args.db_password:
        secrets["password"] = args.db_password
    result = fides.call("PUT", f"/connection/{CONNECTION}/secret", json=secrets)
    assert result.get("test_status") != "failed", result
    dataset = (HERE / "dataset.yml").read_bytes()
    fides.call("PATCH", f"/yml/connection/{CONNECTION}/dataset", data=dataset,
               headers={"Content-Type": "application/x-yaml"})  # fmt: skip
    for policy in policies["policies"]:
        fides.call("PATCH", "/dsr/policy", json=[{"key": policy["key"], "name": policy["name"]}])
        for rule in policy["rules"]:
            body = {k: v for k, v in rule.items() if k != "targets"}
            fides.call("PATCH", f"/dsr/policy/{policy['key']}/rule", json=[body])
            fides.call("PATCH", f"/dsr/policy/{policy['key']}/rule/{rule['key']}/target",
                       json=[{"data_category": c, "name": c, "key": c.replace(".", "_")}
                             for c in rule["targets"]])  # fmt: skip


def submit(fides: Fides, policy_key: str, email: str) -> dict[str, Any]:
    started = time.perf_counter()
    created = fides.call("POST", "/privacy-request/authenticated", json=[{
        "identity": {"email": email}, "policy_key": policy_key,
    }])  # fmt: skip
    submitted = time.perf_counter() - started
    request_id = created["succeeded"][0]["id"]
    while True:
        items = fides.call("GET", "/privacy-request", params={"request_id": request_id})["items"]
        status = items[0]["status"]
        if status not in {"pending", "in_processing", "approved", "identity_unverified"}:
            break
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    if status != "complete":
        logs = fides.call("GET", f"/privacy-request/{request_id}/log", params={"size": 50})
        raise SystemExit(f"{policy_key}: {status} {json.dumps(logs)[:3000]}")
    return {"id": request_id, "seconds": elapsed, "submit_call_seconds": submitted}


def found_rows(server_cwd: Path | None, request_id: str) -> dict[str, int] | None:
    """Rows per collection in the access package Fides wrote to its local storage."""
    if server_cwd is None:
        return None
    for path in sorted((server_cwd / "fides_uploads").glob(f"{request_id}*")):
        if path.suffix == ".json":
            package = json.loads(path.read_text())
            return {key: len(value) for key, value in package.items() if isinstance(value, list)}
    return None


def vm_hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmHWM for {pid}")


def database_facts(args: argparse.Namespace) -> dict[str, Any]:
    import sqlalchemy as sa

    password = f":{args.db_password}" if args.db_password else ""
    engine = sa.create_engine(f"postgresql+psycopg2://{args.db_user}{password}@{args.db_host}:"
                              f"{args.db_port}/{args.db_name}")  # fmt: skip
    with engine.connect() as connection:

        def count(sql: str, **params: Any) -> int:
            return int(connection.execute(sa.text(sql), params).scalar_one())

        person = connection.execute(
            sa.text("SELECT id, name, email FROM customers WHERE customer_no = :no"),
            {"no": args.customer_no},
        ).one()
        of_person = "WHERE customer_id = :c"
        facts = {
            "rows": {t: count(f"SELECT count(*) FROM {t}") for t in TABLES},
            "customer_masked": person.name is None and person.email is None,
            "contacts_unmasked": count(
                f"SELECT count(*) FROM contact_persons {of_person} AND email IS NOT NULL",
                c=person.id,
            ),
            "time_entries_unmasked": count(
                f"SELECT count(*) FROM time_entries {of_person} AND note IS NOT NULL",
                c=person.id,
            ),
            "invoices_kept": count(f"SELECT count(*) FROM invoices {of_person}", c=person.id),
        }
    engine.dispose()
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True, help="the Fides server's process id")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", type=int, default=5432)
    parser.add_argument("--db-user", default="postgres")
    parser.add_argument("--db-password", default="")
    parser.add_argument("--db-name", default="bench_src_accounting")
    parser.add_argument("--email", default="target@example.com", help="the person's e-mail")
    parser.add_argument("--customer-no", default="K-1", help="the person's customer number")
    parser.add_argument("--server-cwd", type=Path, help="where the server writes fides_uploads/")
    args = parser.parse_args()

    from fides import __version__

    fides = Fides(args.url, args.client_id, args.client_secret)
    set_up(fides, args)
    rss_before = vm_hwm_mib(args.pid)
    access = submit(fides, "bench_access", args.email)
    package = found_rows(args.server_cwd, access["id"])
    erasure = submit(fides, "bench_erasure", args.email)
    facts = database_facts(args)
    found = sorted(k.split(":")[-1] for k, n in (package or {}).items() if n)
    if package is not None and found != sorted(TABLES):
        raise SystemExit(f"Fides' access package lacks tables: {package}")
    erased = facts["customer_masked"] and not facts["contacts_unmasked"]
    if not erased or facts["time_entries_unmasked"] or not facts["invoices_kept"]:
        raise SystemExit(f"Fides' erasure did not do what Personvern's does: {facts}")
    print(
        json.dumps(
            {
                "fides_version": __version__,
                "access": access["seconds"],
                "erasure": erasure["seconds"],
                "access_submit_call": access["submit_call_seconds"],
                "erasure_submit_call": erasure["submit_call_seconds"],
                "access_package_rows": package,
                "rss_peak_before_requests_mib": rss_before,
                "rss_peak_mib": vm_hwm_mib(args.pid),
                **facts,
            }
        )
    )


if __name__ == "__main__":
    main()
