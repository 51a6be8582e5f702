"""The demo firm's external sources (issue 11): its accounting system, an SQLite database in
the var directory filled with the register's customer contacts as customers (contact persons,
invoices, invoice lines, time entries, documents), described by a dataset; and its paper
archive, a manual source for the customer-service user.

The database's URL goes in a file of the secrets directory (``CONNECTOR_SECRETS_DIR``, set by
the development settings), as an operator would store a real one. Nothing happens without a
secrets directory (the product's own settings, the tests). Idempotent: a database that has
customers is left as it is, an unchanged dataset adds no version, an existing manual source
is kept."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
import yaml
from django.conf import settings
from django.db.models import QuerySet

from personvern.accounts.models import User
from personvern.connectors import services as connectors
from personvern.connectors.models import SqlDataset
from personvern.connectors.spec import parse
from personvern.connectors.sql import secrets_dir
from personvern.core.actors import Actor
from personvern.register.choices import SubjectCategory
from personvern.register.models import Person
from personvern.rights.models import ManualSource
from personvern.rights.services import manual

from . import accounting

SECRET_FILE = "demo-accounting.url"  # noqa: S105 - the file name, not its content
CUSTOMERS = 40
ARCHIVE_INSTRUCTIONS = (
    "Look in the archive room's binders for 2015-2024 (sorted by customer name) for letters "
    "and signed engagement letters naming the person. For an erasure, shred what may go and "
    "note what the Bookkeeping Act makes us keep; for access, scan what you find to the "
    "request."
)


def customer_contacts() -> QuerySet[Person]:
    """The customer contacts the demo's external systems hold (the same in each of them)."""
    return Person.objects.filter(category=SubjectCategory.CUSTOMER_CONTACT).order_by("pk")[
        :CUSTOMERS
    ]


def keep_secret(name: str, make: Callable[[], str]) -> str | None:
    """The secret in the secrets directory's file ``name``, made by ``make`` and written the
    first time (mode 0600 from the start); None without a secrets directory."""
    directory = secrets_dir()
    if directory is None:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(make() + "\n", encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def load_sources(*, actor: Actor, created: Counter[str]) -> None:
    database = Path(settings.VAR_DIR) / "demo-accounting.sqlite3"
    url = keep_secret(SECRET_FILE, lambda: f"sqlite:///{database}")
    if url is None:
        return
    engine = sa.create_engine(url)
    try:
        accounting.create_schema(engine)
        with engine.begin() as connection:
            empty = not connection.execute(sa.select(accounting.CUSTOMERS.c.id).limit(1)).first()
            if empty:
                for n, person in enumerate(customer_contacts()):
                    accounting.add_customer(
                        connection,
                        accounting.Customer(
                            customer_no=f"K-{10001 + n}",
                            name=f"{person.first_name} {person.last_name}",
                            email=person.email,
                            phone=person.phone,
                        ),
                        invoices=1 + n % 3,
                        year=2021 + n % 5,
                    )
                    created["accounting_customers"] += 1
    finally:
        engine.dispose()
    data = yaml.safe_load(accounting.dataset_yaml("UNUSED"))
    data["connection"] = {"secret_file": SECRET_FILE}
    before = SqlDataset.objects.filter(key=data["key"]).values_list("version").first()
    dataset = connectors.save_dataset(actor=actor, spec=parse(data))
    if before is None or before[0] != dataset.version:
        created["sql_datasets"] += 1
    if not ManualSource.objects.filter(key="paper-archive").exists():
        assignee = User.objects.filter(username="kundeservice").first()
        if assignee is not None:
            manual.save_manual_source(
                actor=actor,
                values={
                    "key": "paper-archive",
                    "name": "Paper archive",
                    "instructions": ARCHIVE_INSTRUCTIONS,
                    "assignee": assignee,
                    "lead_days": 7,
                },
            )
            created["manual_sources"] += 1
