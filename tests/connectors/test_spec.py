"""The dataset's shape and rules, checked before any database is asked."""

from __future__ import annotations

import pytest
import yaml

from personvern.connectors.choices import ConnectorErrorCode, IdentityKind
from personvern.connectors.identities import Identity, normalise_corrections
from personvern.connectors.spec import from_yaml, parse, to_yaml
from personvern.core.errors import DomainError
from personvern.demo import accounting


def _plain():
    return yaml.safe_load(accounting.dataset_yaml("PV_TEST_ACCOUNTING_URL"))


def _refused(data) -> DomainError:
    with pytest.raises(DomainError) as caught:
        parse(data)
    return caught.value


def test_the_demo_dataset_parses_and_round_trips_through_yaml():
    # given the demo accounting dataset
    spec = from_yaml(accounting.dataset_yaml("PV_TEST_ACCOUNTING_URL"))
    # then its parents reach any depth and the export reads back the same
    lines = spec.table("invoice_lines")
    assert [t.name for t in spec.path(lines)] == ["invoice_lines", "invoices", "customers"]
    assert from_yaml(to_yaml(spec)) == spec


def test_an_unknown_data_category_is_named_with_its_column():
    data = _plain()
    data["tables"][0]["columns"]["name"] = "user.nickname_of_the_cat"
    error = _refused(data)
    assert error.code == ConnectorErrorCode.UNKNOWN_DATA_CATEGORY
    assert [e.field for e in error.errors] == ["tables.0.columns.name"]


def test_keep_needs_a_reason_and_a_date():
    data = _plain()
    data["tables"][2]["erasure"] = {"action": "keep"}
    error = _refused(data)
    assert error.code == ConnectorErrorCode.INVALID_DATASET
    assert error.errors[0].field == "tables.2.erasure"


def test_a_parent_that_is_not_described_is_named():
    data = _plain()
    data["tables"][2]["parent"]["table"] = "clients"
    error = _refused(data)
    assert error.code == ConnectorErrorCode.UNKNOWN_TABLE
    assert error.errors[0].field == "tables.2.parent.table"


def test_parents_in_a_cycle_are_refused():
    data = _plain()
    data["tables"][0]["parent"] = {"table": "invoice_lines", "column": "customer_no"}
    error = _refused(data)
    assert error.code == ConnectorErrorCode.PARENT_CYCLE


def test_rows_cannot_be_deleted_above_rows_that_are_kept():
    data = _plain()
    data["tables"][0]["erasure"] = {"action": "delete"}
    error = _refused(data)
    assert error.code == ConnectorErrorCode.KEEP_BELOW_DELETE
    assert error.errors[0].field == "tables.0.erasure.action"


def test_an_identifier_that_is_not_a_plain_name_is_refused():
    # given a table name that would be SQL if pasted into a statement
    data = _plain()
    data["tables"][1]["name"] = "contact_persons; DROP TABLE customers"
    error = _refused(data)
    assert error.errors[0].field == "tables.1.name"


def test_credentials_come_from_exactly_one_place():
    data = _plain()
    data["connection"] = {"env": "A_URL", "secret_file": "a.url"}
    assert _refused(data).errors[0].field == "connection"


def test_broken_yaml_is_named_with_its_line():
    with pytest.raises(DomainError) as caught:
        from_yaml("key: accounting\ntables: [\n")
    assert caught.value.code == ConnectorErrorCode.INVALID_YAML
    assert "line" in str(caught.value.message)


def test_identities_are_spelled_as_the_register_normalises_them():
    identity = Identity(
        email="Kari.Nordmann@Example.COM",
        phone="912 34 567",
        national_id="15108695088",
        customer_number=" K-1001 ",
    )
    assert identity.candidates(IdentityKind.EMAIL) == [
        "Kari.Nordmann@example.com",
        "kari.nordmann@example.com",
    ]
    assert set(identity.candidates(IdentityKind.PHONE)) >= {"+4791234567", "91234567"}
    assert identity.candidates(IdentityKind.NATIONAL_ID) == ["151086 95088", "15108695088"]
    assert identity.candidates(IdentityKind.CUSTOMER_NUMBER) == ["K-1001"]
    # an invalid number matches nothing rather than something
    assert Identity(national_id="15108695089").candidates(IdentityKind.NATIONAL_ID) == []
    assert not Identity(phone="12")


def test_what_a_rectification_corrects_is_declared_per_table_and_round_trips():
    # given the customers table naming the columns a rectification corrects
    data = _plain()
    data["tables"][0]["rectify"] = {"name": "name", "email": "email", "phone": "phone"}
    spec = parse(data)
    # then it reads back the same from its export, and a dataset without it exports as before
    assert from_yaml(to_yaml(spec)).table("customers").rectify == spec.table("customers").rectify
    without = _plain()
    for table in without["tables"]:
        table.pop("rectify", None)
    assert "rectify" not in to_yaml(parse(without))
    # and the column is among those checked against the database
    assert "phone" in spec.table("customers").all_columns()


def test_a_rectified_column_must_be_described_and_the_field_known():
    data = _plain()
    data["tables"][0]["rectify"] = {"email": "national_id_typo"}
    error = _refused(data)
    assert error.code == ConnectorErrorCode.RECTIFY_UNDESCRIBED
    assert [e.field for e in error.errors] == ["tables.0.rectify.email"]
    data["tables"][0]["rectify"] = {"shoe_size": "name"}
    assert _refused(data).code == ConnectorErrorCode.INVALID_DATASET


def test_corrected_values_are_normalised_as_the_register_stores_them():
    assert normalise_corrections(
        {
            "email": " Kari.Hansen@EXAMPLE.com ",
            "phone": "987 65 432",
            "name": " Kari N ",
            "position": "",
        }
    ) == {
        "email": "Kari.Hansen@example.com",
        "phone": "+4798765432",
        "name": "Kari N",
        "position": None,
    }
