"""The demo CRM as a client of a SaaS meets it: a token or a 401, contacts found by e-mail in any
case or by phone in any spelling, pages with a ``next`` link, PATCH that names a field it
refuses, anonymising that keeps the record, rate-limit headers and a 429 past the limit, and
what a change did still there after a restart."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from personvern.demo.crm.service import ANONYMOUS, Crm

TOKEN = "demo-crm-test-token"


@pytest.fixture
def crm(tmp_path: Path) -> Iterator[Crm]:
    service = Crm(token=TOKEN, path=tmp_path / "crm.json", page_size=2)
    for n in range(3):
        service.add(
            name="Kari Nordmann",
            email="kari@example.com",
            phone="+4791234567",
            company=f"Firma {n}",
            notes="Ringer helst før lunsj.",
            interactions=[{"date": "2024-03-01", "channel": "call", "summary": "Spurte om MVA."}],
        )
    service.add(name="Ola Nordmann", email="ola@example.com", phone="+4791234568")
    service.start()
    yield service
    service.stop()


@pytest.fixture
def api(crm: Crm) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=crm.url + "/", headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        yield c


def test_a_call_without_the_token_is_refused(crm):
    response = httpx.get(f"{crm.url}/contacts", params={"email": "kari@example.com"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="crm"'
    wrong = httpx.get(f"{crm.url}/contacts", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_contacts_are_found_by_email_or_phone_page_by_page(api):
    first = api.get("contacts", params={"email": "KARI@example.com"}).json()
    assert (len(first["items"]), first["total"]) == (2, 3)
    second = api.get(first["next"]).json()
    assert [c["company"] for c in second["items"]] == ["Firma 2"] and second["next"] is None
    by_phone = api.get("contacts", params={"phone": "912 34 568"}).json()
    assert [c["name"] for c in by_phone["items"]] == ["Ola Nordmann"]
    [contact] = api.get("contacts", params={"company": "Firma 0"}).json()["items"]
    assert api.get(f"contacts/{contact['id']}").json()["interactions"][0]["channel"] == "call"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"page": "0"}, "page"), ({"fax": "1"}, "fax"), ({"email": " "}, "email")],
)
def test_a_bad_search_names_the_parameter(api, params, field):
    response = api.get("contacts", params=params)
    assert response.status_code == 400 and response.json()["field"] == field


def test_patch_changes_only_the_fields_it_knows(api, crm):
    response = api.patch("contacts/4", json={"email": "ola.n@example.com", "restricted": True})
    assert response.status_code == 200
    assert (crm.contacts[4]["email"], crm.contacts[4]["restricted"]) == ("ola.n@example.com", True)
    refused = api.patch("contacts/4", json={"id": 9})
    assert (refused.status_code, refused.json()["field"]) == (422, "id")
    wrong_type = api.patch("contacts/4", json={"restricted": "yes"})
    assert (wrong_type.status_code, wrong_type.json()["field"]) == (422, "restricted")
    assert api.patch("contacts/99", json={}).status_code == 404


def test_anonymising_keeps_the_record_without_what_names_the_person(api, crm, tmp_path):
    response = api.post("contacts/1/anonymise")
    assert response.status_code == 200
    kept: dict[str, Any] = response.json()
    assert (kept["name"], kept["email"], kept["phone"]) == (ANONYMOUS, "", "")
    assert kept["interactions"][0]["summary"] == ANONYMOUS
    assert api.get("contacts", params={"email": "kari@example.com"}).json()["total"] == 2
    # and a delete removes one; a restarted service reads what both left
    assert api.delete("contacts/2").status_code == 204
    again = Crm(token=TOKEN, path=tmp_path / "crm.json")
    assert sorted(again.contacts) == [1, 3, 4] and again.contacts[1]["name"] == ANONYMOUS
    assert "kari@example.com" not in json.dumps(again.contacts[1])


def test_the_rate_limit_is_announced_and_enforced(api, crm):
    crm.rate_limit = 2  # a second each; six quick calls fill at least one of two seconds
    responses = [api.get("contacts/1") for _ in range(6)]
    assert responses[0].headers["X-RateLimit-Limit"] == "2"
    limited = [r for r in responses if r.status_code == 429]
    assert limited and limited[0].headers["Retry-After"] == "1"
    assert limited[0].headers["X-RateLimit-Remaining"] == "0"


def test_a_busy_service_answers_503_with_retry_after(api, crm):
    crm.fail_next = 1
    busy = api.get("contacts/1")
    assert (busy.status_code, busy.headers["Retry-After"]) == (503, "1")
    assert api.get("contacts/1").status_code == 200
    assert crm.calls == ["GET /api/contacts/1", "GET /api/contacts/1"]
