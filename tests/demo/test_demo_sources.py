"""The demo's external sources: an accounting database (SQLite in the var directory) holding
the register's customer contacts, its dataset, and the paper archive; loaded twice, nothing
changes the second time."""

from __future__ import annotations

import sqlalchemy as sa

from personvern.audit.models import AuditEntry
from personvern.connectors.models import SqlDataset
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
        "manual:paper-archive",
        "register",
    ]
    # when loaded again, nothing changes
    entries = AuditEntry.objects.count()
    run_demo()
    with engine.connect() as connection:
        again = connection.execute(
            sa.select(sa.func.count()).select_from(accounting.CUSTOMERS)
        ).scalar_one()
    assert again == customers and AuditEntry.objects.count() == entries
    assert SqlDataset.objects.get().version == 1
    engine.dispose()
