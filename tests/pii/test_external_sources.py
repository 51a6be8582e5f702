"""``personvern pii scan`` over the external SQL datasets in use: the text columns of every
described table, resumable, counted per dataset table and kind; findings in the review queue
named by dataset, table and primary key, never by value. Real SQLite and PostgreSQL sources,
created here."""

from __future__ import annotations

import io
import os
import random
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from django.core.management import call_command
from stdnum.no import fodselsnummer, kontonr

from personvern.connectors import services as connectors
from personvern.connectors import sql
from personvern.connectors.spec import parse
from personvern.core.errors import DomainError
from personvern.pii.choices import FindingStatus, PiiErrorCode
from personvern.pii.models import Finding, ScanProgress
from personvern.pii.services import accept_finding, redact_finding, scan_external_table
from personvern.pii.sources import external_table
from personvern.pii.synthetic import kontonummer_for

pytestmark = pytest.mark.django_db

ENV = "PV_PII_SOURCE_URL"
# Its own name per run (PV_TEST_EXTERNAL_DB), as the connectors' external databases.
SOURCE_DB = os.environ.get("PV_TEST_EXTERNAL_DB", "pv_src_ext") + "_pii"
METADATA = sa.MetaData()
NOTES = sa.Table(
    "crm_notes",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(200)),
    sa.Column("notes", sa.Text),
    sa.Column("account_no", sa.String(20)),
    sa.Column("visits", sa.Integer),
)
TICKETS = sa.Table(
    "crm_tickets",
    METADATA,
    sa.Column("code", sa.String(20), primary_key=True),
    sa.Column("email", sa.String(200)),
    sa.Column("body", sa.Text),
)


def _source_url(kind: str, tmp_path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'crm.sqlite3'}"
    admin = sa.create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{SOURCE_DB}"'))
            connection.execute(sa.text(f'CREATE DATABASE "{SOURCE_DB}"'))
    except sa.exc.OperationalError:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    finally:
        admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{SOURCE_DB}"


@pytest.fixture(params=["sqlite", "postgresql"])
def source(request, tmp_path, monkeypatch) -> Iterator[sa.Engine]:
    """An empty CRM database of the parameter's kind, its URL in ``ENV``."""
    url = _source_url(request.param, tmp_path)
    engine = sa.create_engine(url)
    METADATA.create_all(engine)
    monkeypatch.setenv(ENV, url)
    yield engine
    sql.dispose_engines()
    METADATA.drop_all(engine)
    engine.dispose()


@pytest.fixture
def crm(source, officer_actor):
    """The CRM described as a dataset in use."""
    return connectors.save_dataset(
        actor=officer_actor,
        spec=parse(
            {
                "key": "crm",
                "name": "CRM",
                "connection": {"env": ENV},
                "tables": [
                    {
                        "name": "crm_notes",
                        "identities": {"email": "email"},
                        "columns": {
                            "email": "user.contact.email",
                            "notes": "user.content",
                            "account_no": "user.financial.bank_account",
                            "visits": "system.operations",
                        },
                        "erasure": {"action": "delete"},
                    },
                    {
                        "name": "crm_tickets",
                        "primary_key": "code",
                        "identities": {"email": "email"},
                        "columns": {"body": "user.content"},
                        "erasure": {"action": "delete"},
                    },
                ],
            }
        ),
    )


def _decoy_account() -> str:
    rng = random.Random(3)
    while True:
        number = kontonummer_for(rng)
        if not fodselsnummer.is_valid(number):
            return number


def _fill(engine: sa.Engine, fnr: str, account: str) -> None:
    assert kontonr.is_valid(account)
    with engine.begin() as connection:
        connection.execute(
            NOTES.insert(),
            [
                {"id": 1, "email": "a@example.org", "notes": f"Oppga fnr {fnr} i telefonen.",
                 "account_no": account, "visits": 3},
                {"id": 2, "email": "b@example.org", "notes": f"Betaler fra kontonummer {account}.",
                 "account_no": account, "visits": 1},
                {"id": 3, "email": "c@example.org", "notes": "Hun er sykmeldt ut mars.",
                 "account_no": None, "visits": 0},
                {"id": 4, "email": "d@example.org", "notes": None, "account_no": None,
                 "visits": 0},
            ],
        )  # fmt: skip
        connection.execute(
            TICKETS.insert(),
            [
                {"code": "T-001", "email": "a@example.org", "body": "Vil ha faktura."},
                {"code": "T-002", "email": "b@example.org", "body": "Er medlem av Fagforbundet."},
            ],
        )  # fmt: skip


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("pii", "scan", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_the_scan_covers_every_text_column_of_the_datasets_in_use(crm, source, fnr):
    # given a CRM with a fødselsnummer in one note, a decoy account number (in a note after
    # its label, and bare in its own column), a health note and a union note
    account = _decoy_account()
    _fill(source, fnr, account)
    # when the stored data is scanned
    output = run()
    # then each external table is reported by dataset and table, with counts per kind only
    assert "crm:crm_notes: 4 records scanned\n  health: 1 (new in this run: 1)\n" in output
    assert "  no_fnr: 1 (new in this run: 1)\n" in output
    assert "crm:crm_tickets: 2 records scanned\n  union: 1 (new in this run: 1)\n" in output
    assert fnr not in output and account not in output and "sykmeldt" not in output
    # and the review queue names the dataset, the table, the row's key and the column
    found = set(Finding.objects.values_list("target", "object_id", "field", "kind"))
    assert found == {
        ("crm:crm_notes", "1", "notes", "no_fnr"),
        ("crm:crm_notes", "3", "notes", "health"),
        ("crm:crm_tickets", "T-002", "body", "union"),
    }
    # and the register's tables were scanned in the same run
    assert "register.interaction: 0 records scanned" in output


def test_an_external_scan_resumes_after_the_last_key_and_a_rescan_closes_what_was_fixed(
    crm, source, fnr, officer_actor
):
    _fill(source, fnr, _decoy_account())
    table = external_table("crm:crm_notes")
    # given a scan stopped after its first batch of two rows
    first = scan_external_table(actor=officer_actor, table=table, batch_size=2, max_batches=1)
    assert first.scanned == 2 and ScanProgress.objects.get(target=table.label).last_key == 2
    # when it is run again, it resumes after key 2
    second = scan_external_table(actor=officer_actor, table=table, batch_size=2)
    assert (second.resumed_after, second.scanned) == (2, 2)
    assert Finding.objects.filter(target=table.label).count() == 2
    # and when the note is corrected in the source system, the next scan closes its finding
    with source.begin() as connection:
        connection.execute(NOTES.update().where(NOTES.c.id == 1).values(notes="Ringte."))
    scan_external_table(actor=officer_actor, table=table)
    assert list(Finding.objects.filter(target=table.label).values_list("object_id", "kind")) == [
        ("3", "health")
    ]
    # and when the row with the health note is deleted there, the next scan closes that too
    with source.begin() as connection:
        connection.execute(NOTES.delete().where(NOTES.c.id == 3))
    scan_external_table(actor=officer_actor, table=table, batch_size=2)
    assert not Finding.objects.filter(target=table.label).exists()


def test_an_external_finding_is_accepted_not_redacted_through_personvern(
    crm, source, fnr, officer_actor
):
    _fill(source, fnr, _decoy_account())
    run("--table", "crm:crm_notes")
    finding = Finding.objects.get(kind="no_fnr")
    # when the officer tries to redact it, the answer says why not and what to do instead
    with pytest.raises(DomainError) as error:
        redact_finding(actor=officer_actor, finding=finding)
    assert error.value.code == PiiErrorCode.REDACTION_NOT_SUPPORTED
    # and the source is untouched
    with source.connect() as connection:
        assert fnr in connection.execute(sa.select(NOTES.c.notes).where(NOTES.c.id == 1)).scalar()
    # and accepting it works as for the register's findings
    accepted = accept_finding(actor=officer_actor, finding=finding, basis="9_2_f", reason="Tvist.")
    assert accepted.status == FindingStatus.ACCEPTED
    # and a rescan does not raise it again
    run("--table", "crm:crm_notes", "--restart")
    assert Finding.objects.filter(kind="no_fnr").count() == 1


def test_an_unreadable_source_is_reported_without_its_url_and_resumes_later(
    crm, source, fnr, monkeypatch
):
    _fill(source, fnr, _decoy_account())
    monkeypatch.delenv(ENV)
    output = run("--table", "crm:crm_notes")
    assert output.startswith("crm:crm_notes: could not be read (")
    assert "postgres" not in output and "sqlite" not in output
    assert not Finding.objects.exists()
