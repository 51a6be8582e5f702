"""One person in every kind of system, for the rectification and restriction tests: the
accounting system (the demo's schema on SQLite, PostgreSQL or MariaDB) with a kept table of
invoice recipients, a CRM served over real HTTP, and a paper archive (a manual source)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from personvern.connectors import services as connectors
from personvern.connectors.http import parse_http
from personvern.connectors.spec import parse
from personvern.core.actors import Actor
from personvern.demo import accounting
from personvern.demo.crm.service import Crm, source_spec
from personvern.rights import services
from personvern.rights.models import ManualSource
from tests.connectors.external import ENV, External

CRM_ENV = "PV_TEST_CRM_TOKEN"
CRM_TOKEN = "crm-test-token"
KARI = accounting.Customer("K-1001", "Kari Nordmann", "Kari@Example.com", "91 23 45 67")
OLA = accounting.Customer("K-1002", "Ola Nordmann", "ola@example.com", "+47 91 23 45 68")

# Who an invoice was addressed to, as issued: kept under the Bookkeeping Act, never changed.
RECIPIENTS_METADATA = sa.MetaData()
INVOICE_RECIPIENTS = sa.Table(
    "invoice_recipients",
    RECIPIENTS_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("invoice_id", sa.Integer, nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(254), nullable=True),
)
RECTIFY = {
    "customers": {"name": "name", "email": "email", "phone": "phone"},
    "contact_persons": {"name": "name", "email": "email"},
}


def dataset() -> dict[str, Any]:
    """The demo's dataset with what a rectification corrects, and the invoice recipients."""
    data: dict[str, Any] = yaml.safe_load(accounting.dataset_yaml(ENV))
    for table in data["tables"]:
        if table["name"] in RECTIFY:
            table["rectify"] = RECTIFY[table["name"]]
    data["tables"].append(
        {
            "name": "invoice_recipients",
            "label": "Invoice recipient",
            "parent": {"table": "invoices", "column": "invoice_id"},
            "columns": {"name": "user.name", "email": "user.contact.email"},
            "erasure": {"action": "keep", "reason": "bokforingsloven_13", "until": "2031-12-31"},
            "rectify": {"name": "name", "email": "email"},
        }
    )
    return data


def fill_books(external: External, actor: Actor) -> None:
    """Kari and Ola in the accounting system (as it spells them), its dataset in use."""
    RECIPIENTS_METADATA.create_all(external.engine)
    with external.engine.begin() as connection:
        accounting.add_customer(connection, KARI, invoices=2, lines=1, year=2024)
        accounting.add_customer(connection, OLA)
        invoices = connection.execute(sa.select(accounting.INVOICES.c.id)).scalars().all()
        connection.execute(
            sa.insert(INVOICE_RECIPIENTS),
            [{"invoice_id": i, "name": KARI.name, "email": KARI.email} for i in invoices[:2]]
            + [{"invoice_id": i, "name": OLA.name, "email": OLA.email} for i in invoices[2:]],
        )
    connectors.save_dataset(actor=actor, spec=parse(dataset()))


def empty_books(external: External) -> None:
    RECIPIENTS_METADATA.drop_all(external.engine)


def start_crm(actor: Actor, *, update: bool = True, restrict: bool = True) -> Crm:
    """The CRM with two contacts for Kari and one for Ola; ``update`` and ``restrict``: whether
    its API has the calls."""
    crm = Crm(token=CRM_TOKEN, page_size=2)
    crm.start()
    for n in range(2):
        crm.add(email="kari@example.com", name="Kari Nordmann", phone="+4791234567", note=f"{n}")
    crm.add(email="ola@example.com", name="Ola Nordmann", phone="+4791234568", note="Ringte")
    spec = source_spec(crm.url, CRM_ENV, rate_per_second=200, backoff_seconds=0.01)
    if not update:
        del spec["update"]
    if not restrict:
        del spec["restrict"]
    connectors.save_http_source(actor=actor, spec=parse_http(spec))
    return crm


def paper_archive(assignee: Any, actor: Actor) -> ManualSource:
    return services.manual.save_manual_source(
        actor=actor,
        values={
            "key": "paper-archive",
            "name": "Paper archive",
            "instructions": "The binders for 2019-2024, under the person's name.",
            "assignee": assignee,
            "lead_days": 5,
        },
    )


def row(external: External, table: sa.Table, *where: sa.ColumnElement[bool]) -> dict[str, Any]:
    with external.engine.connect() as connection:
        return dict(connection.execute(sa.select(table).where(*where)).mappings().one())


# The fixtures of the tests that drive a request through every system (imported by them).
@pytest.fixture
def books(external: External, officer_actor: Any, kari: Any, ola: Any) -> Iterator[External]:
    """The demo's accounting system on the external database, with Kari's and Ola's rows."""
    fill_books(external, officer_actor)
    yield external
    empty_books(external)


@pytest.fixture
def crm(officer_actor: Any, kari: Any, ola: Any, monkeypatch: Any) -> Iterator[Crm]:
    """The demo's CRM, a real HTTP service, as a source."""
    monkeypatch.setenv(CRM_ENV, CRM_TOKEN)
    service = start_crm(officer_actor)
    yield service
    service.stop()


@pytest.fixture
def archive(customer_service: Any, officer_actor: Any) -> ManualSource:
    """The paper archive, a manual source for customer service."""
    return paper_archive(customer_service, officer_actor)
