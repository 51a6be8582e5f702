"""The demo's external sources: an accounting database (SQLite in the var directory) holding
the register's customer contacts, its dataset, the CRM's contacts (the same people) and its
HTTP source, and the paper archive; loaded twice, nothing changes the second time."""

from __future__ import annotations

import json
import stat

import sqlalchemy as sa

from personvern.audit.models import AuditEntry
from personvern.connectors.models import HttpSource, SqlDataset
from personvern.demo import accounting
from personvern.rights.models import ManualSource
from personvern.rights.sources import configured_sources
from tests.demo.conftest import run_demo


def test_the_demo_has_an_accounting_database_and_a_paper_archive(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PERSONVERN = {**settings.PERSONVERN, "CONNECTOR_SECRETS_DIR": str(tmp_path / "s")}
    run_demo()
    # then the accounting database holds customers, with the URL only in the secrets file
    secret = (tmp_path / "s" / "demo-accounting.url").read_text().strip()
    assert secret == f"sqlite:///{tmp_path / 'demo-accounting.sqlite3'}"
    engine = sa.create_engine(secret)
    with engine.connect() as connection:
        customers = connection.execute(
            sa.select(sa.func.count()).select_from(accounting.CUSTOMERS)
        ).scalar_one()
    assert customers > 0
    assert SqlDataset.objects.get().spec["connection"] == {"secret_file": "demo-accounting.url"}
    assert ManualSource.objects.get().assignee.username == "kundeservice"
    assert [s.key for s in configured_sources()] == [
        "sql:accounting",
        "http:crm",
        "manual:paper-archive",
        "register",
    ]
    # and the CRM holds the same people, its token only in the secrets directory
    token = tmp_path / "s" / "demo-crm.token"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600 and len(token.read_text().strip()) >= 32
    crm_file = tmp_path / "demo-crm.json"
    contacts = json.loads(crm_file.read_text())["contacts"]
    with engine.connect() as connection:
        emails = set(connection.execute(sa.select(accounting.CUSTOMERS.c.email)).scalars())
    assert {c["email"] for c in contacts} == emails
    assert all(c["interactions"] and c["address"] for c in contacts)
    source = HttpSource.objects.get().spec
    assert source["base_url"] == "http://127.0.0.1:8001/api"
    assert source["auth"] == {"env": "PERSONVERN_SOURCE_DEMO_CRM_TOKEN"}
    assert token.read_text().strip() not in json.dumps(source)
    # when loaded again, nothing changes
    entries = AuditEntry.objects.count()
    crm_text = crm_file.read_text()
    run_demo()
    with engine.connect() as connection:
        again = connection.execute(
            sa.select(sa.func.count()).select_from(accounting.CUSTOMERS)
        ).scalar_one()
    assert again == customers and AuditEntry.objects.count() == entries
    assert SqlDataset.objects.get().version == 1 and HttpSource.objects.get().version == 1
    assert crm_file.read_text() == crm_text
    engine.dispose()
