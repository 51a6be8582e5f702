"""Saving a dataset: checked against its database (every table and column, the wrong one
named), stored as a new version, audited; credentials never stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import yaml

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.connectors import services, sql
from personvern.connectors.choices import ConnectorErrorCode
from personvern.connectors.models import SqlDataset, SqlDatasetVersion
from personvern.connectors.selectors import dataset_yaml
from personvern.connectors.spec import from_yaml, parse
from personvern.core.errors import DomainError
from personvern.demo import accounting
from tests.connectors.external import ENV

pytestmark = pytest.mark.django_db


def _spec(**changes):
    data = yaml.safe_load(accounting.dataset_yaml(ENV))
    data.update(changes)
    return parse(data)


def test_a_dataset_is_saved_as_versions_and_audited(external, officer_actor):
    # when the demo dataset is saved, then saved again with a change
    first = services.save_dataset(actor=officer_actor, spec=_spec())
    second = services.save_dataset(actor=officer_actor, spec=_spec(name="Accounting (Tripletex)"))
    # then it is one dataset at version 2, both versions kept
    assert first.pk == second.pk and second.version == 2
    assert list(SqlDatasetVersion.objects.values_list("version", flat=True)) == [2, 1]
    entries = AuditEntry.objects.filter(event_type=AuditEventType.DATASET_SAVED)
    assert [e.detail for e in entries.order_by("pk")] == [
        {"key": "accounting", "version": 1, "tables": 6},
        {"key": "accounting", "version": 2, "tables": 6},
    ]
    # and saving it unchanged adds no version
    services.save_dataset(actor=officer_actor, spec=_spec(name="Accounting (Tripletex)"))
    assert SqlDataset.objects.get().version == 2
    # and the URL is stored nowhere: only the variable's name
    stored = SqlDataset.objects.get()
    assert external.url not in str(stored.spec) and stored.spec["connection"] == {"env": ENV}
    # and its export imports as the same dataset
    assert from_yaml(dataset_yaml(stored)) == _spec(name="Accounting (Tripletex)")


def test_a_missing_table_is_named_and_nothing_is_saved(external, officer_actor):
    # given the database without the documents table
    accounting.DOCUMENTS.drop(external.engine)
    # when the dataset is saved
    with pytest.raises(DomainError) as caught:
        services.save_dataset(actor=officer_actor, spec=_spec())
    # then the table is named, with its field
    assert caught.value.code == ConnectorErrorCode.UNKNOWN_TABLE
    assert [(e.field, str(e.message)) for e in caught.value.errors] == [
        ("tables.5.name", "Tabellen documents finnes ikke i databasen.")
    ]
    assert not SqlDataset.objects.exists()


def test_a_missing_column_is_named(external, officer_actor):
    data = yaml.safe_load(accounting.dataset_yaml(ENV))
    data["tables"][4]["columns"]["minutes"] = "user.behavior"
    with pytest.raises(DomainError) as caught:
        services.save_dataset(actor=officer_actor, spec=parse(data))
    assert caught.value.code == ConnectorErrorCode.UNKNOWN_COLUMN
    assert [(e.field, str(e.message)) for e in caught.value.errors] == [
        ("tables.4", "Kolonnen minutes finnes ikke i tabellen time_entries.")
    ]


def test_without_credentials_nothing_is_saved(db, officer_actor, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(DomainError) as caught:
        services.save_dataset(actor=officer_actor, spec=_spec())
    assert caught.value.code == ConnectorErrorCode.NO_CREDENTIALS
    assert caught.value.errors[0].field == "connection"


def test_credentials_may_come_from_a_secrets_file(external, officer_actor, tmp_path, settings):
    # given the URL in a file of the secrets directory, not in the environment
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "accounting.url").write_text(external.url + "\n")
    settings.PERSONVERN = {**settings.PERSONVERN, "CONNECTOR_SECRETS_DIR": str(secrets)}
    # when the dataset names the file
    saved = services.save_dataset(
        actor=officer_actor, spec=_spec(connection={"secret_file": "accounting.url"})
    )
    # then it connects
    assert saved.version == 1


def test_an_unreachable_database_is_refused_without_its_password(db, officer_actor, monkeypatch):
    # given a URL with a password to a port nothing listens on
    monkeypatch.setenv(ENV, "postgresql+psycopg://app:s3cret-pw@127.0.0.1:9/accounting")
    with pytest.raises(DomainError) as caught:
        services.save_dataset(actor=officer_actor, spec=_spec())
    # then the connection is named as failing, with the error's class and not its text
    assert caught.value.code == ConnectorErrorCode.CONNECTION_FAILED
    assert "s3cret-pw" not in str(caught.value.message)
    assert str(caught.value.message).startswith("Fikk ikke kontakt med databasen (")
    sql.dispose_engines()


def test_a_driver_that_is_not_installed_is_a_clear_error(db, officer_actor, monkeypatch):
    # given a URL naming a database driver this installation does not have
    monkeypatch.setenv(ENV, "oracle+oracledb://app:s3cret-pw@127.0.0.1:1521/accounting")
    # when the dataset is saved, then it is refused as a connection that failed, naming the
    # error's class and not the URL
    with pytest.raises(DomainError) as caught:
        services.save_dataset(actor=officer_actor, spec=_spec())
    assert caught.value.code == ConnectorErrorCode.CONNECTION_FAILED
    assert "s3cret-pw" not in str(caught.value.message)
    assert not SqlDataset.objects.exists()
    sql.dispose_engines()


def test_someone_without_the_permission_cannot_save(external, customer_service):
    from personvern.core.actors import Actor

    with pytest.raises(DomainError) as caught:
        services.save_dataset(actor=Actor(user=customer_service), spec=_spec())
    assert caught.value.status == 403


def test_staff_save_a_dataset_in_the_admin_and_see_the_wrong_column(
    external, client, privacy_officer
):
    client.force_login(privacy_officer)
    # when the officer pastes a dataset naming a column that does not exist
    text = accounting.dataset_yaml(ENV).replace("title: user,", "subject: user,")
    response = client.post("/admin/connectors/sqldataset/add/", {"yaml": text})
    # then the form is shown again with the column named
    assert response.status_code == 200
    assert "Kolonnen subject finnes ikke i tabellen documents." in response.content.decode()
    assert not SqlDataset.objects.exists()
    # when the dataset is right
    response = client.post(
        "/admin/connectors/sqldataset/add/", {"yaml": accounting.dataset_yaml(ENV)}
    )
    # then it is saved as version 1, and its page shows the YAML export
    assert response.status_code == 302
    dataset = SqlDataset.objects.get()
    page = client.get(f"/admin/connectors/sqldataset/{dataset.pk}/change/").content.decode()
    assert "invoice_lines" in page and "bokforingsloven_13" in page


def test_rows_are_counted_in_the_database_through_parents(external):
    from personvern.connectors.identities import Identity

    # given two customers
    with external.engine.begin() as connection:
        accounting.add_customer(
            connection,
            accounting.Customer("K-1", "Kari Nordmann", "kari@example.com", "+4791234567"),
            invoices=3,
            lines=2,
        )
        accounting.add_customer(
            connection, accounting.Customer("K-2", "Ola Nordmann", "ola@example.com", "+4792345678")
        )
    spec = _spec()
    # when Kari's rows are counted by her phone as she may write it
    counts = sql.count_rows(spec, Identity(phone="912 34 567"))  # stored in E.164
    # then the counts follow the parents to any depth and leave Ola's out
    assert counts == {
        "customers": 1,
        "contact_persons": 1,
        "invoices": 3,
        "invoice_lines": 6,
        "time_entries": 3,
        "documents": 1,
    }
    assert sql.count_rows(spec, Identity(email="nobody@example.com"))["invoice_lines"] == 0
    assert sa  # (imported for the fixture's helpers)


def test_staff_look_up_an_identity_across_sources_and_the_look_up_is_audited(
    external, client, privacy_officer, officer_actor
):
    # given Kari in the accounting system and its dataset in use
    with external.engine.begin() as connection:
        accounting.add_customer(
            connection,
            accounting.Customer(
                "K-7", "Kari Nordmann", "kari@example.com", "+4791234567", "15108695088"
            ),
            invoices=1,
            lines=4,
        )
    services.save_dataset(actor=officer_actor, spec=_spec())
    client.force_login(privacy_officer)
    # when the officer looks up her national identity number, typed with a space
    response = client.post("/admin/connectors/sqldataset/lookup/", {"national_id": "151086 95088"})
    # then the rows are counted per source and table
    page = response.content.decode()
    assert response.status_code == 200
    assert "<td>Accounting system</td><td>invoice_lines</td><td>4</td>" in page
    # and the look-up is audited with the kind and the count, never the number
    entry = AuditEntry.objects.get(event_type=AuditEventType.IDENTITY_LOOKED_UP)
    assert entry.detail == {
        "kinds": ["national_id"],
        "sources": 1,
        "rows": 1 + 1 + 1 + 4 + 3 + 1,
        "unavailable": 0,
    }
    assert "95088" not in str(entry.detail)
    # when nothing valid is given, the form says so and nothing is audited
    response = client.post("/admin/connectors/sqldataset/lookup/", {"national_id": "123"})
    assert "Oppgi minst én gyldig" in response.content.decode()
    assert AuditEntry.objects.filter(event_type=AuditEventType.IDENTITY_LOOKED_UP).count() == 1


def test_staff_add_an_http_source_in_the_admin(db, client, privacy_officer):
    from personvern.connectors.models import HttpSource
    from personvern.demo.crm.service import source_spec

    client.force_login(privacy_officer)
    # when the officer pastes a source with a plain-text address scheme it refuses it
    bad = yaml.safe_dump(source_spec("ftp://crm.example/api", "PV_TEST_CRM_TOKEN"))
    response = client.post("/admin/connectors/httpsource/add/", {"yaml": bad})
    assert response.status_code == 200 and not HttpSource.objects.exists()
    # and accepts a good one, audited
    good = yaml.safe_dump(source_spec("https://crm.example/api", "PV_TEST_CRM_TOKEN"))
    response = client.post("/admin/connectors/httpsource/add/", {"yaml": good})
    assert response.status_code == 302
    assert HttpSource.objects.get().version == 1
    assert AuditEntry.objects.filter(event_type=AuditEventType.HTTP_SOURCE_SAVED).count() == 1


def test_rows_are_read_whole_past_the_first_batch_in_key_order(external, monkeypatch):
    from personvern.connectors.identities import Identity

    # given a customer with five invoices (their lines reached through them) and another
    # customer's, and batches of two rows: the first is one plain query, the rest streamed
    monkeypatch.setattr(sql, "BATCH", 2)
    with external.engine.begin() as connection:
        accounting.add_customer(
            connection,
            accounting.Customer("K-1", "Kari Nordmann", "kari@example.com", "+4791234567"),
            invoices=5,
            lines=1,
        )
        accounting.add_customer(
            connection,
            accounting.Customer("K-2", "Ola Nordmann", "ola@example.com", "+4792345678"),
            invoices=2,
        )
    spec = _spec()
    identity = Identity(email="KARI@example.com")
    # when her invoice lines are read
    lines = list(sql.stream_rows(spec, spec.table("invoice_lines"), identity))
    # then every one of them comes, once, in key order, and none of Ola's
    assert len(lines) == sql.count_rows(spec, identity)["invoice_lines"] == 5
    keys = [row["id"] for row in lines]
    assert keys == sorted(keys) and len(set(keys)) == 5
    # and a person with fewer rows than a batch is read in the first query alone
    one = list(sql.stream_rows(spec, spec.table("customers"), identity))
    assert [row["email"] for row in one] == ["kari@example.com"]
