"""The breach's page for the people affected in the other systems: staff choose tables and
the window (the breach's own by default), see counts per table, the register's people linked
and the others counted by kind; the search is audited; an unreachable source is named, never
its error; letters reach the people found as they reach the register's."""

from __future__ import annotations

import datetime

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.breaches import services
from personvern.breaches.choices import BreachErrorCode
from personvern.breaches.models import BreachLetter
from personvern.connectors import services as connector_services
from personvern.connectors.spec import parse
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.demo import accounting
from tests.connectors.external import ENV, External
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.parametrize("external", ["sqlite"], indirect=True),
]
ACTOR = Actor.for_system("tests")


def _local(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2024, 3, day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def breach(external: External, officer_actor, controller):
    """Accounting in use; customers 1-3 worked for in March 2024, 4 in 2023; 1 and 4 are in
    the register. The breach ran from 1 to 3 March 2024."""
    data = yaml.safe_load(accounting.dataset_yaml(ENV))
    connector_services.save_dataset(actor=officer_actor, spec=parse(data))
    for n, year in ((1, 2024), (2, 2024), (3, 2024), (4, 2023)):
        customer = accounting.Customer(
            customer_no=f"K{n}", name=f"Kunde {n}", email=f"kunde{n}@example.com",
            phone=f"+479000000{n}",
        )  # fmt: skip
        with external.engine.begin() as connection:
            accounting.add_customer(connection, customer, year=year, time_entries=3)
    return services.record_breach(actor=ACTOR, values={
        "title": "Time sheets shared by mistake", "what_happened": "Sent to the wrong client.",
        "began_at": _local(1, 8), "ended_at": _local(3, 16), "aware_at": _local(4, 9),
    })  # fmt: skip


def _url(breach) -> str:
    return reverse("admin:breaches_breach_sources", args=[breach.pk])


def _search(**extra):
    return {
        "began_at_0": "2024-03-01", "began_at_1": "08:00:00",
        "ended_at_0": "2024-03-03", "ended_at_1": "16:00:00",
        "table_4": "on", "column_4": "worked_on", "search": "1", **extra,
    }  # fmt: skip


def test_the_page_offers_the_tables_and_the_breach_window(client, privacy_officer, breach):
    client.force_login(privacy_officer)
    # the breach's page links to the search
    change = client.get(reverse("admin:breaches_breach_change", args=[breach.pk]))
    assert _url(breach) in change.content.decode()
    # when the officer opens it
    page = client.get(_url(breach)).content.decode()
    # then every table of the sources in use is offered, and the window is the breach's
    assert "Accounting system: Time entry" in page and 'name="table_4"' in page
    assert 'value="2024-03-01"' in page and 'value="2024-03-03"' in page
    # and a table that keeps its rows by a date column offers it
    assert 'name="column_2" value="issued_on"' in page
    assert not AuditEntry.objects.filter(event_type=AuditEventType.BREACH_SOURCES_SEARCHED)


def test_a_search_shows_counts_per_table_and_links_the_register_people(
    client, privacy_officer, breach
):
    known = PersonFactory(first_name="Kari", last_name="Kunde", email="Kunde1@Example.com",
                          email_key="kunde1@example.com")  # fmt: skip
    client.force_login(privacy_officer)
    # when the time entries of the breach's window are searched
    response = client.post(_url(breach), _search())
    page = response.content.decode()
    assert response.status_code == 200
    # then the person in the register is linked
    assert reverse("admin:register_person_change", args=[known.pk]) in page
    assert "Kari Kunde" in page
    # and the two only the source knows are counted by kind, without their values
    assert "<td>1</td><td>2</td>" in page
    assert "Kundenummer: 2" in page or "Customer number: 2" in page
    assert "kunde2@example.com" not in page and "kunde3@example.com" not in page
    # and the search is audited: tables, window and counts, nobody's identity
    entry = AuditEntry.objects.get(event_type=AuditEventType.BREACH_SOURCES_SEARCHED)
    assert entry.object_id == str(breach.pk) and entry.actor_id == privacy_officer.pk
    assert entry.detail == {"tables": ["accounting.time_entries"], "days": 3, "in_register": 1,
                            "only_external": 2, "unavailable": []}  # fmt: skip


def test_an_unreachable_source_is_named_without_its_error(
    client, privacy_officer, breach, monkeypatch
):
    monkeypatch.setenv(ENV, "postgresql+psycopg://nobody:secret@127.0.0.1:9/nowhere")
    client.force_login(privacy_officer)
    response = client.post(_url(breach), _search())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Accounting system: Time entry" in page
    assert "ikke nås" in page or "could not be reached" in page
    assert "OperationalError" not in page and "secret" not in page and "nowhere" not in page
    entry = AuditEntry.objects.get(event_type=AuditEventType.BREACH_SOURCES_SEARCHED)
    assert entry.detail["unavailable"] == ["accounting.time_entries"]


def test_a_ticked_table_needs_its_date_column_and_the_window_its_order(
    client, privacy_officer, breach
):
    client.force_login(privacy_officer)
    page = client.post(_url(breach), _search(column_4="")).content.decode()
    assert "errorlist" in page
    backwards = _search(began_at_0="2024-03-05")
    response = client.post(_url(breach), backwards)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not AuditEntry.objects.filter(event_type=AuditEventType.BREACH_SOURCES_SEARCHED)


def test_staff_without_the_right_to_change_breaches_cannot_search(client, customer_service, breach):
    client.force_login(customer_service)
    assert client.get(_url(breach)).status_code == 403
    assert client.post(_url(breach), _search()).status_code == 403
    assert not AuditEntry.objects.filter(event_type=AuditEventType.BREACH_SOURCES_SEARCHED)


def test_letters_reach_the_people_the_sources_found(client, privacy_officer, breach, smtp):
    known = PersonFactory(email="kunde1@example.com", category="customer_contact")
    services.assess_risk(actor=ACTOR, breach=breach, risk="high", reasoning="Client finances.")
    client.force_login(privacy_officer)
    # the letters button is offered after a search of a high-risk breach
    assert 'name="letters"' in client.post(_url(breach), _search()).content.decode()
    # when the officer writes the letters from the search
    response = client.post(_url(breach), _search(letters="1"))
    # then the person found in the sources is written to, once
    assert response.status_code == 302
    assert list(BreachLetter.objects.values_list("person_id", flat=True)) == [known.pk]


def test_the_service_refuses_no_tables_and_a_window_backwards(breach, officer_actor):
    with pytest.raises(DomainError) as refused:
        services.search_sources(actor=officer_actor, breach=breach, tables=[])
    assert refused.value.code == BreachErrorCode.NO_TABLES
    with pytest.raises(DomainError) as refused:
        services.search_sources(actor=officer_actor, breach=breach,
                                tables=[("accounting.time_entries", "worked_on")],
                                began_at=_local(5, 0), ended_at=_local(1, 0))  # fmt: skip
    assert refused.value.code == BreachErrorCode.INVALID_TIMES
