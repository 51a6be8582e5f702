"""People affected by a breach, found in an external SQL source: rows of a dataset table
written within the breach's window, mapped back to register people by e-mail or phone; the
people only the source knows are counted by kind of identity, never shown."""

from __future__ import annotations

import datetime

import pytest
import yaml
from django.utils import timezone

from personvern.breaches import services
from personvern.connectors import services as connector_services
from personvern.connectors.spec import parse
from personvern.core.actors import Actor
from personvern.demo import accounting
from tests.connectors.external import ENV, External
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
ACTOR = Actor.for_system("tests")


def _customer(external: External, n: int, *, year: int) -> None:
    customer = accounting.Customer(
        customer_no=f"K{n}", name=f"Kunde {n}", email=f"kunde{n}@example.com",
        phone=f"+479000000{n}",
    )  # fmt: skip
    with external.engine.begin() as connection:
        accounting.add_customer(connection, customer, year=year, time_entries=3)


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def sources(external: External, officer_actor) -> External:
    """Four customers: the first three worked for on 1-3 March 2024, the fourth in 2023; the
    first is in the register by e-mail (another spelling), the second by phone."""
    data = yaml.safe_load(accounting.dataset_yaml(ENV))
    connector_services.save_dataset(actor=officer_actor, spec=parse(data))
    for n in (1, 2, 3):
        _customer(external, n, year=2024)
    _customer(external, 4, year=2023)
    return external


def test_rows_in_the_window_lead_to_register_people_and_the_rest_are_counted(sources):
    by_email = PersonFactory(email="Kunde1@Example.com", email_key="kunde1@example.com")
    by_phone = PersonFactory(email="annen@example.com", phone="+4790000002")
    PersonFactory(email="kunde4@example.com")  # worked for outside the window
    # when the time entries of 1 and 2 March are searched
    found = services.find_affected_external(
        source_table="accounting.time_entries",
        date_column="worked_on",
        began_at=_local(datetime.date(2024, 3, 1), 0),
        ended_at=_local(datetime.date(2024, 3, 2), 23, 59),
    )
    # then the register's people are found, through the customers the entries belong to
    assert found.failure == ""
    assert [p.pk for p in found.people] == [by_email.pk, by_phone.pk]
    # and the third customer, whom only the source knows, is counted by kind, without values
    assert found.only_external == 1
    assert dict(found.only_external_by_kind) == {"customer_number": 1, "email": 1, "phone": 1}
    assert "kunde3" not in repr(found.only_external_by_kind)
    # and merged with the register's own search, each person is there once
    assert [p.pk for p in services.merge_people([by_phone], [found])] == [
        by_email.pk,
        by_phone.pk,
    ]


@pytest.mark.parametrize("external", ["sqlite"], indirect=True)
def test_a_breach_window_and_an_unreachable_source(sources, controller, monkeypatch):
    person = PersonFactory(email="kunde1@example.com")
    breach = services.record_breach(actor=ACTOR, values={
        "title": "Time sheets shared by mistake",
        "what_happened": "A report of time entries was sent to the wrong client.",
        "began_at": _local(datetime.date(2024, 3, 1), 8),
        "ended_at": _local(datetime.date(2024, 3, 3), 16),
        "aware_at": _local(datetime.date(2024, 3, 4), 9),
    })  # fmt: skip
    tables = [("accounting.time_entries", "worked_on"), ("accounting.payroll", "paid_on")]
    found, unknown = services.affected_in_sources(breach, tables)
    assert [p.pk for p in found.people] == [person.pk] and found.only_external == 2
    assert unknown.failure == "unknown_external_table"
    # when the source cannot be reached, the search says why, with a code
    monkeypatch.setenv(ENV, "postgresql+psycopg://nobody@127.0.0.1:9/nowhere")
    (failed,) = services.affected_in_sources(breach, tables[:1])
    assert failed.failure == "connection_failed:OperationalError" and failed.people == []
