"""The demo firm's accounting system: an SQL database beside Personvern (customers, contact
persons, invoices, invoice lines, time entries, documents) and its dataset, so that a request
reaches it as it would reach a real one. The tests build the same schema on SQLite,
PostgreSQL and MariaDB.

The schema is SQLAlchemy Core metadata; ``DATASET_YAML`` describes it for Personvern."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

METADATA = sa.MetaData()

CUSTOMERS = sa.Table(
    "customers",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_no", sa.String(20), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=True),
    sa.Column("email", sa.String(254), nullable=True, index=True),
    sa.Column("phone", sa.String(30), nullable=True, index=True),
    sa.Column("national_id", sa.String(20), nullable=True, index=True),
    sa.Column("restricted_at", sa.DateTime(timezone=True), nullable=True),
)
CONTACTS = sa.Table(
    "contact_persons",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(254), nullable=True, index=True),
    sa.Column("phone", sa.String(30), nullable=True),
)
INVOICES = sa.Table(
    "invoices",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("number", sa.String(20), nullable=False),
    sa.Column("issued_on", sa.Date, nullable=False),
    sa.Column("amount", sa.Numeric(12, 2), nullable=False),
    sa.Column("restricted_at", sa.DateTime(timezone=True), nullable=True),
)
INVOICE_LINES = sa.Table(
    "invoice_lines",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("invoice_id", sa.ForeignKey("invoices.id"), nullable=False, index=True),
    sa.Column("description", sa.String(300), nullable=False),
    sa.Column("amount", sa.Numeric(12, 2), nullable=False),
)
TIME_ENTRIES = sa.Table(
    "time_entries",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("worked_on", sa.Date, nullable=False),
    sa.Column("hours", sa.Numeric(5, 2), nullable=False),
    sa.Column("note", sa.String(500), nullable=True),
)
DOCUMENTS = sa.Table(
    "documents",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=True),
)

DATASET_YAML = """\
key: accounting
name: Accounting system
description: Customers, contact persons, invoices, time entries and documents.
connection: {env: %(env)s}
tables:
  - name: customers
    label: Customer record
    identities: {email: email, phone: phone, national_id: national_id, customer_number: customer_no}
    columns:
      customer_no: user.unique_id
      name: user.name
      email: user.contact.email
      phone: user.contact.phone_number
      national_id: user.government_id.national_identification_number
    erasure: {action: "null", columns: [name, email, phone, national_id]}
    rectify: {name: name, email: email, phone: phone}
    restriction_column: restricted_at
    portable: true
  - name: contact_persons
    label: Contact person
    identities: {email: email}
    parent: {table: customers, column: customer_id}
    columns: {name: user.name, email: user.contact.email, phone: user.contact.phone_number}
    erasure: {action: delete}
    rectify: {name: name, email: email, phone: phone}
  - name: invoices
    label: Invoice
    parent: {table: customers, column: customer_id}
    columns: {number: user.financial, issued_on: user.financial, amount: user.financial}
    erasure: {action: keep, reason: bokforingsloven_13, date_column: issued_on, keep_years: 5}
    restriction_column: restricted_at
  - name: invoice_lines
    label: Invoice line
    parent: {table: invoices, column: invoice_id}
    columns: {description: user.financial, amount: user.financial}
    erasure: {action: keep, reason: bokforingsloven_13, until: 2031-12-31}
  - name: time_entries
    label: Time entry
    parent: {table: customers, column: customer_id}
    columns: {worked_on: user.behavior, hours: user.behavior, note: user}
    erasure: {action: delete}
  - name: documents
    label: Document
    parent: {table: customers, column: customer_id}
    columns: {title: user, body: user}
    erasure: {action: delete}
"""


def dataset_yaml(env: str) -> str:
    return DATASET_YAML % {"env": env}


def create_schema(engine: Engine, *, reset: bool = False) -> None:
    if reset:
        METADATA.drop_all(engine)
    METADATA.create_all(engine)


@dataclass(frozen=True)
class Customer:
    customer_no: str
    name: str
    email: str
    phone: str
    national_id: str = ""


def _insert(connection: Connection, statement: sa.Insert) -> int:
    key = connection.execute(statement).inserted_primary_key
    assert key is not None  # noqa: S101 - an insert of one row has one
    return int(key[0])


def add_customer(
    connection: Connection,
    customer: Customer,
    *,
    invoices: int = 2,
    lines: int = 2,
    time_entries: int = 3,
    documents: int = 1,
    year: int = 2025,
) -> int:
    """One customer with a contact person and their records; returns the customer's id."""
    customer_id = _insert(
        connection,
        sa.insert(CUSTOMERS).values(
            customer_no=customer.customer_no,
            name=customer.name,
            email=customer.email,
            phone=customer.phone,
            national_id=customer.national_id or None,
        ),
    )
    connection.execute(
        sa.insert(CONTACTS).values(
            customer_id=customer_id, name=customer.name, email=customer.email, phone=None
        )
    )
    for n in range(invoices):
        invoice_id = _insert(
            connection,
            sa.insert(INVOICES).values(
                customer_id=customer_id,
                number=f"{customer.customer_no}-{n + 1}",
                issued_on=datetime.date(year, 1 + n % 12, 15),
                amount=Decimal("1250.00"),
            ),
        )
        connection.execute(
            sa.insert(INVOICE_LINES),
            [
                {"invoice_id": invoice_id, "description": "Regnskapsførsel", "amount": "625.00"}
                for _ in range(lines)
            ],
        )
    if time_entries:
        connection.execute(
            sa.insert(TIME_ENTRIES),
            [
                {
                    "customer_id": customer_id,
                    "worked_on": datetime.date(year, 3, 1 + n % 28),
                    "hours": "1.50",
                    "note": "Årsoppgjør",
                }
                for n in range(time_entries)
            ],
        )
    if documents:
        connection.execute(
            sa.insert(DOCUMENTS),
            [
                {"customer_id": customer_id, "title": "Oppdragsavtale", "body": "Signert."}
                for _ in range(documents)
            ],
        )
    return int(customer_id)
