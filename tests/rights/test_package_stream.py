"""An access package streams an external source's rows into its file: the rows are read once,
as data.json is written, and the package has every one of them, in data.json and the CSV."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.utils import timezone

from personvern.connectors import services as connectors
from personvern.connectors.spec import from_yaml
from personvern.demo import accounting
from personvern.rights.choices import RequestType
from personvern.rights.models import DataSubjectRequest
from personvern.rights.package import build_package
from personvern.rights.sources import sql as sql_source
from tests.connectors import external as external_databases

pytestmark = pytest.mark.django_db
ENV = external_databases.ENV
external = external_databases.external

KARI = accounting.Customer("K-1001", "Kari Nordmann", "kari@example.com", "91 23 45 67")
ENTRIES = 3000


@pytest.mark.parametrize("external", ["sqlite"], indirect=True)
def test_a_person_with_thousands_of_rows_gets_them_all_read_once(
    external, officer_actor, kari, monkeypatch
):
    # given Kari with 3,000 time entries in the accounting system
    with external.engine.begin() as connection:
        accounting.add_customer(connection, KARI, time_entries=ENTRIES)
    connectors.save_dataset(actor=officer_actor, spec=from_yaml(accounting.dataset_yaml(ENV)))
    reads: list[str] = []
    stream_rows = sql_source.sql.stream_rows

    def counted(spec, table, identity):
        reads.append(table.name)
        yield from stream_rows(spec, table, identity)

    monkeypatch.setattr(sql_source.sql, "stream_rows", counted)
    request = DataSubjectRequest.objects.create(
        request_type=RequestType.ACCESS, contact_email=kari.email, language="nb", person=kari,
        reference="PV-TEST-0000-0001", due_on=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    # when her package is built
    package = build_package(request=request, person=kari)
    with package.file, zipfile.ZipFile(package.file) as archive:
        data = json.loads(archive.read("data.json"))
        rows = list(csv.DictReader(io.StringIO(archive.read(
            "csv/sql:accounting/time_entries.csv").decode("utf-8-sig"))))  # fmt: skip
        report = archive.read("report.html").decode()
    # then every row is in data.json and the CSV, counted, and each table was read once
    records = data["sources"]["sql:accounting"]["kinds"]["time_entries"]["records"]
    assert len(records) == len(rows) == package.counts["sql:accounting.time_entries"] == ENTRIES
    assert [r["id"] for r in records] == [int(r["id"]) for r in rows]
    assert sorted(reads) == sorted(t.name for t in from_yaml(accounting.dataset_yaml(ENV)).tables)
    assert f"<td>{ENTRIES}</td>" in report.replace("\xa0", "")
    # and the register's data is there as before
    assert data["sources"]["register"]["kinds"]["person"]["records"][0]["email"] == kari.email
