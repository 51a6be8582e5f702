"""Retention rules on a table of an external SQL source: the same rule (trigger column, period,
action, holds), the same dry run and report, on SQLite, PostgreSQL and MariaDB databases the
test creates (``tests.connectors.external``)."""

from __future__ import annotations

import datetime
import io

import pytest
import sqlalchemy as sa
import yaml
from django.core.management import call_command
from django.urls import reverse

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.connectors import services as connector_services
from personvern.connectors.spec import parse
from personvern.core.errors import DomainError
from personvern.demo import accounting
from personvern.register.models import Interaction
from personvern.retention import services
from personvern.retention.choices import RetentionAction, RetentionErrorCode, TargetRecord, Trigger
from personvern.retention.models import RetentionRule
from personvern.rights.choices import RequestStatus, RequestType
from personvern.rights.models import DataSubjectRequest
from tests.connectors.external import ENV, External
from tests.factories import InteractionFactory, PersonFactory, ProcessingActivityFactory
from tests.retention.conftest import TODAY, sweep, years_ago

pytestmark = pytest.mark.django_db

T = accounting.TIME_ENTRIES
INVOICES = accounting.INVOICES


def _save_dataset(actor, **tables):
    """The demo accounting dataset, with ``tables`` replacing a table's erasure."""
    data = yaml.safe_load(accounting.dataset_yaml(ENV))
    for table in data["tables"]:
        if table["name"] in tables:
            table["erasure"] = tables[table["name"]]
    return connector_services.save_dataset(actor=actor, spec=parse(data))


def _customer(external: External, n: int, *, year: int, email: str = "") -> int:
    customer = accounting.Customer(
        customer_no=f"K{n}",
        name=f"Kunde {n}",
        email=email or f"kunde{n}@example.com",
        phone=f"+4790000{n:03d}",
    )
    with external.engine.begin() as connection:
        customer_id = accounting.add_customer(
            connection, customer, year=year, lines=1, documents=0, time_entries=3, invoices=2
        )
        # invoice lines would have their own rule (deleted before the invoices they refer to)
        connection.execute(sa.delete(accounting.INVOICE_LINES))
    return customer_id


def _rule(actor, *, table: str = "time_entries", column: str = "worked_on", **values):
    fields = {
        "name": f"Rows of {table}",
        "processing_activity": ProcessingActivityFactory(),
        "target": TargetRecord.EXTERNAL_TABLE,
        "source_table": f"accounting.{table}",
        "trigger": Trigger.DATE_COLUMN,
        "trigger_column": column,
        "period_years": 3,
        "action": RetentionAction.DELETE,
        "legal_source": "GDPR Art. 5(1)(e)",
        **values,
    }
    return services.create_rule(actor=actor, values=services.RuleValues(**fields))


def _rows(external: External, table: sa.Table, customer_id: int) -> int:
    return external.count(table, table.c.customer_id == customer_id)


def test_expired_rows_go_and_held_people_keep_theirs(external, officer_actor, system_actor):
    # given time entries from 2018 of three customers and from 2024 of a fourth
    _save_dataset(officer_actor)
    free = _customer(external, 1, year=2018)
    held = _customer(external, 2, year=2018, email="Holdt@Example.com")
    restricted = _customer(external, 3, year=2018, email="begrenset@example.com")
    recent = _customer(external, 4, year=2024)
    asking = _customer(external, 5, year=2018, email="spør@example.com")
    # and the second customer under a legal hold in the register (found by e-mail, any case),
    # the third under restriction of processing, the fifth with a request still open
    person = PersonFactory(email="holdt@example.com")
    services.set_hold(
        actor=officer_actor, record_type="person", record_id=person.pk, reason="Tvist"
    )
    PersonFactory(email="begrenset@example.com", processing_restricted_since=years_ago(1))
    DataSubjectRequest.objects.create(
        reference="R-1", request_type=RequestType.ACCESS, status=RequestStatus.IN_PROGRESS,
        person=PersonFactory(email="spør@example.com"), due_on=TODAY,
        contact_email="spør@example.com",
    )  # fmt: skip
    # and a rule: time entries go three years after the day worked
    rule = _rule(officer_actor)

    # when the sweep is dry-run
    planned = sweep(system_actor, dry_run=True).as_json()
    # then it counts the free customer's rows only, and changes nothing
    assert planned["rules"] == [
        {
            "rule": rule.pk,
            "name": rule.name,
            "target": "external_table",
            "action": "delete",
            "count": 3,
            "categories": {
                "accounting.time_entries": {
                    "count": 3,
                    "oldest": "2018-03-01",
                    "newest": "2018-03-03",
                }
            },
            "cascaded": {},
        }
    ]
    assert external.count(T) == 15

    # when it runs, in batches of two
    report = sweep(system_actor, batch_size=2).as_json()
    # then the free customer's rows are gone, the held, restricted, recent and asking ones not
    assert report["rules"] == planned["rules"]
    rows = [_rows(external, T, c) for c in (free, held, restricted, recent, asking)]
    assert rows == [0, 3, 3, 3, 3]
    # and the run is audited with counts, no values
    entry = AuditEntry.objects.get(event_type=AuditEventType.SWEEP_RUN)
    assert entry.detail["rules"] == report["rules"]
    assert "kunde" not in str(entry.detail).lower()
    # and a second run finds nothing
    assert sweep(system_actor).total == 0


def test_rows_kept_under_a_statute_stay_until_its_date(external, officer_actor, system_actor):
    # given invoices of 2018 and 2021 (the dataset keeps them five years after the year's
    # end, bokføringsloven § 13) and a rule deleting invoices a year after they are issued
    _save_dataset(officer_actor)
    old = _customer(external, 1, year=2018)
    newer = _customer(external, 2, year=2021)
    _rule(officer_actor, table="invoices", column="issued_on", period_years=1)
    # when the sweep runs in 2025
    report = sweep(system_actor)
    # then the 2018 invoices (kept to the end of 2023) are gone, those of 2021 (to 2026) stay
    assert report.total == 2
    assert [_rows(external, INVOICES, c) for c in (old, newer)] == [0, 2]


def test_a_fixed_keep_date_holds_every_row_until_it_has_passed(
    external, officer_actor, system_actor
):
    _save_dataset(
        officer_actor,
        time_entries={"action": "keep", "reason": "avtale", "until": "2026-01-01"},
    )
    customer = _customer(external, 1, year=2018)
    _rule(officer_actor)
    assert sweep(system_actor, dry_run=True).total == 0
    assert services.sweep(actor=system_actor, today=datetime.date(2026, 1, 2)).total == 3
    assert _rows(external, T, customer) == 0


def test_anonymise_empties_the_columns_the_dataset_names(external, officer_actor, system_actor):
    # given a dataset that empties the note of a time entry on erasure
    _save_dataset(officer_actor, time_entries={"action": "null", "columns": ["note"]})
    customer = _customer(external, 1, year=2018)
    _rule(officer_actor, action=RetentionAction.ANONYMISE)
    # when the sweep runs
    assert sweep(system_actor).total == 3
    # then the rows stay, without their notes, and a rerun finds nothing to do
    assert _rows(external, T, customer) == 3
    assert external.count(T, T.c.note.is_not(None)) == 0
    assert sweep(system_actor, dry_run=True).total == 0


@pytest.mark.parametrize("external", ["sqlite"], indirect=True)
def test_an_unreachable_source_fails_its_rule_and_the_sweep_goes_on(
    external, officer_actor, system_actor, monkeypatch
):
    # given a rule on an external table and one on interactions, each with an expired row
    _save_dataset(officer_actor)
    _customer(external, 1, year=2018)
    _rule(officer_actor)
    InteractionFactory(occurred_at=years_ago(4))
    services.create_rule(
        actor=officer_actor,
        values=services.RuleValues(
            name="Interactions",
            processing_activity=ProcessingActivityFactory(),
            target=TargetRecord.INTERACTIONS,
            trigger=Trigger.CREATED,
            period_years=3,
            action=RetentionAction.DELETE,
            legal_source="GDPR Art. 5(1)(e)",
        ),
    )
    # when the source is no longer reachable
    monkeypatch.setenv(ENV, "postgresql+psycopg://nobody@127.0.0.1:9/nowhere")
    planned = sweep(system_actor, dry_run=True).as_json()
    report = sweep(system_actor).as_json()
    # then its rule fails with a reason code (no message, no URL), the other rule runs
    for result in (planned, report):
        failed, interactions = result["rules"]
        assert failed["failure"] == "connection_failed:OperationalError"
        assert failed["count"] == 0
        assert interactions["count"] == 1 and "failure" not in interactions
    assert not Interaction.objects.exists()
    entry = AuditEntry.objects.get(event_type=AuditEventType.SWEEP_RUN)
    assert entry.detail["rules"][0]["failure"] == "connection_failed:OperationalError"
    assert "nowhere" not in str(entry.detail)
    # and the command says so too
    out = io.StringIO()
    call_command("retention", "sweep", "--dry-run", stdout=out)
    assert "failed: connection_failed:OperationalError" in out.getvalue()


@pytest.mark.parametrize("external", ["sqlite", "postgresql"], indirect=True)
def test_a_wrong_trigger_column_is_named_when_the_rule_is_saved(external, officer_actor):
    _save_dataset(officer_actor)
    # a column the table does not have
    with pytest.raises(DomainError) as caught:
        _rule(officer_actor, column="worked_at")
    assert [(e.field, e.code, str(e.message)) for e in caught.value.errors] == [
        (
            "trigger_column",
            RetentionErrorCode.INVALID_TRIGGER_COLUMN,
            "Kolonnen worked_at finnes ikke i tabellen time_entries.",
        )
    ]
    # a column holding no dates
    with pytest.raises(DomainError) as caught:
        _rule(officer_actor, column="note")
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("trigger_column", RetentionErrorCode.INVALID_TRIGGER_COLUMN)
    ]
    # a table no dataset has, and an action the table cannot take
    with pytest.raises(DomainError) as caught:
        _rule(officer_actor, table="timesheets")
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("source_table", RetentionErrorCode.UNKNOWN_EXTERNAL_TABLE)
    ]
    with pytest.raises(DomainError) as caught:
        _rule(officer_actor, action=RetentionAction.ANONYMISE)
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("action", RetentionErrorCode.ACTION_NOT_FOR_TARGET)
    ]
    assert not RetentionRule.objects.exists()


def test_a_built_in_target_refuses_an_external_table(db, officer_actor):
    with pytest.raises(DomainError) as caught:
        services.create_rule(
            actor=officer_actor,
            values=services.RuleValues(
                name="Interactions",
                processing_activity=ProcessingActivityFactory(),
                target=TargetRecord.INTERACTIONS,
                trigger=Trigger.CREATED,
                source_table="accounting.time_entries",
                period_years=3,
                action=RetentionAction.DELETE,
                legal_source="GDPR Art. 5(1)(e)",
            ),
        )
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("source_table", RetentionErrorCode.ONLY_FOR_EXTERNAL_TABLE)
    ]


@pytest.mark.parametrize("external", ["sqlite"], indirect=True)
def test_the_rule_form_offers_the_tables_of_the_sources(
    external, officer_actor, client, privacy_officer
):
    # given the accounting dataset in use
    _save_dataset(officer_actor)
    client.force_login(privacy_officer)
    # when the privacy officer opens a new rule
    page = client.get(reverse("admin:retention_retentionrule_add")).content.decode()
    # then every table of the dataset is offered
    assert 'value="accounting.time_entries"' in page
    assert "Accounting system: Invoice" in page
    # and a rule saved from the form runs against the table
    activity = ProcessingActivityFactory()
    response = client.post(
        reverse("admin:retention_retentionrule_add"),
        {
            "name": "Timer",
            "processing_activity": activity.pk,
            "target": TargetRecord.EXTERNAL_TABLE,
            "source_table": "accounting.time_entries",
            "trigger": Trigger.DATE_COLUMN,
            "trigger_column": "worked_on",
            "period_years": 3,
            "period_months": 0,
            "period_days": 0,
            "action": RetentionAction.DELETE,
            "legal_source": "GDPR Art. 5(1)(e)",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = RetentionRule.objects.get()
    assert (rule.source_table, rule.trigger_column) == ("accounting.time_entries", "worked_on")
