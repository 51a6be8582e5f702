"""Edge input gets a clear 4xx problem, never a 5xx (schemathesis found these on PostgreSQL
and SQLite): numbers beyond 64 bits in paging, paths, queries and bodies, the NUL character in
text, and numbers where dates belong. The operations come from the OpenAPI document, so a new
list or a new path with an id is covered without editing this test."""

from __future__ import annotations

import re

import pytest

from personvern.api import api
from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db

HUGE = 2**64
DOCUMENT = api.get_openapi_schema()
OPERATIONS = [
    (method, path, operation)
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
]


def _query_names(operation):
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


LISTS = [path for method, path, op in OPERATIONS if "offset" in _query_names(op)]
WITH_ID = [(method, path) for method, path, _op in OPERATIONS if "{" in path]


@pytest.mark.parametrize("path", LISTS)
def test_an_offset_beyond_64_bits_is_a_422_naming_it(officer_api, path):
    assert_problem(officer_api.get(path, {"offset": HUGE}), 422, field="offset",
                   code="less_than_equal")  # fmt: skip


@pytest.mark.parametrize(("method", "path"), WITH_ID)
def test_an_id_beyond_64_bits_in_the_path_is_a_422_naming_it(officer_api, method, path):
    url = re.sub(r"\{[^}]+\}", str(HUGE), path)
    name = re.search(r"\{([^}]+)\}", path).group(1)
    response = (
        getattr(officer_api, method)(url)
        if method in ("get", "delete")
        else (getattr(officer_api, method)(url, {}))
    )
    assert_problem(response, 422, field=name, code="less_than_equal")


def test_an_id_beyond_64_bits_in_a_query_or_body_is_a_422_naming_it(officer_api):
    assert_problem(officer_api.get("/api/interactions", {"person_id": HUGE}), 422,
                   field="person_id", code="less_than_equal")  # fmt: skip
    assert_problem(officer_api.post("/api/interactions", {"person_id": HUGE, "channel": "email",
                                                          "summary": "x"}),
                   422, field="person_id", code="less_than_equal")  # fmt: skip


def test_nul_in_text_is_a_422_naming_the_field(officer_api):
    body = {"name": "Nyhets\x00brev", "purpose": "x", "legal_basis": "consent"}
    assert_problem(officer_api.post("/api/activities", body), 422, field="name",
                   code="nul_character")  # fmt: skip
    assert_problem(officer_api.get("/api/people", {"q": "Ol\x00a"}), 422, field="q",
                   code="nul_character")  # fmt: skip


def test_a_number_where_a_date_belongs_is_refused(officer_api):
    processor = officer_api.post(
        "/api/processors", {"name": "Regnskapssystem AS", "country": "NO", "services": "Lønn"}
    ).json()
    response = officer_api.post(f"/api/processors/{processor['id']}/agreements",
                                {"signed_on": "2026-01-01", "review_due": 0})  # fmt: skip
    assert_problem(response, 422, field="review_due", code="date_as_text")


def test_a_number_where_a_boolean_belongs_is_refused(officer_api):
    body = {"visitor_id": "0" * 16, "policy_version": 1, "language": "nb", "accepted": [],
            "rejected": [], "gpc": 0}  # fmt: skip
    response = officer_api.post("/api/website/public/banner-decisions", body)
    assert_problem(response, 422, field="gpc", code="bool_type")


def test_an_address_under_api_that_names_no_operation_is_a_problem(officer_api):
    assert_problem(officer_api.get("/api/people/null"), 404, code="not_found")
    assert_problem(officer_api.get("/api/no-such-thing"), 404, code="not_found")


def test_a_row_that_changed_under_the_request_is_a_409_and_nothing_is_saved(officer_api):
    # given a person, and a database that refuses the next interaction as a broken link would
    # (as when the person was deleted by another request in between)
    from django.db import connection

    from personvern.register.models import Interaction
    from tests.factories import PersonFactory

    person = PersonFactory()
    table = Interaction._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_link() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION"
                " USING ERRCODE = 'foreign_key_violation'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_link BEFORE INSERT ON {table}"
                " FOR EACH ROW EXECUTE FUNCTION refuse_link()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse_link BEFORE INSERT ON {table}"
                " BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END"
            )
    # when an interaction is recorded for them
    response = officer_api.post(
        "/api/interactions", {"person_id": person.pk, "channel": "email", "summary": "Ringte"}
    )
    # then it is a problem saying so, not a 500, and nothing was saved
    assert_problem(response, 409, code="concurrent_change")
    assert not Interaction.objects.exists()
