"""The manual blocklist: addresses and CIDR networks, IPv4 and IPv6, refused before any view
runs; lifted blocks let the address in again; bad input gets an error naming the field."""

from __future__ import annotations

import datetime

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.website import blocklist_cache
from personvern.website.choices import WebsiteErrorCode
from personvern.website.middleware import BlocklistMiddleware
from personvern.website.models import BlockEntry, IpLogEntry
from personvern.website.selectors import blocks_due_for_review
from personvern.website.services import block_address, lift_block, review_block
from tests.api.conftest import assert_problem, session_client, token_client

pytestmark = pytest.mark.django_db
NEXT_MONTH = timezone.localdate() + datetime.timedelta(days=30)


def block(officer_actor, network: str) -> BlockEntry:
    return block_address(
        actor=officer_actor, network=network, reason="Credential stuffing", review_on=NEXT_MONTH
    )


def status_from(address: str) -> int:
    return Client().get("/website/demo/", REMOTE_ADDR=address).status_code


def test_a_blocked_address_gets_403_before_any_view_runs(officer_actor):
    # given a blocked address
    block(officer_actor, "198.51.100.7")
    views_run = []
    middleware = BlocklistMiddleware(lambda request: views_run.append(request) or HttpResponse())

    # when it makes a request
    response = middleware(RequestFactory().get("/admin/", REMOTE_ADDR="198.51.100.7"))

    # then it is refused and nothing behind the blocklist ran; a neighbour is let in
    assert response.status_code == 403
    assert views_run == []
    assert middleware(RequestFactory().get("/", REMOTE_ADDR="198.51.100.8")).status_code == 200


def test_a_blocked_cidr_network(officer_actor):
    block(officer_actor, "203.0.113.0/24")

    assert status_from("203.0.113.200") == 403
    assert status_from("::ffff:203.0.113.9") == 403
    assert status_from("203.0.114.1") == 200


def test_an_ipv4_mapped_network_is_stored_and_matched_as_ipv4(officer_actor):
    # when a network is given in its IPv4-mapped IPv6 form
    entry = block(officer_actor, "::ffff:203.0.113.0/120")

    # then it is the IPv4 network, and blocks both forms of its addresses
    assert entry.network == "203.0.113.0/24"
    assert status_from("203.0.113.200") == 403
    assert status_from("::ffff:203.0.113.9") == 403
    assert status_from("203.0.114.1") == 200


def test_a_blocked_ipv6_network(officer_actor):
    block(officer_actor, "2001:db8:bad::/48")

    assert status_from("2001:db8:bad:1::42") == 403
    assert status_from("2001:db8:beef::1") == 200


def test_blocked_attempts_are_logged(officer_actor, committed):
    block(officer_actor, "198.51.100.7")

    with committed():
        status_from("198.51.100.7")

    assert IpLogEntry.objects.get().status == 403


def test_a_lifted_block_lets_the_address_in_again(officer_actor):
    # given a blocked network
    entry = block(officer_actor, "203.0.113.0/24")
    assert status_from("203.0.113.5") == 403

    # when the block is lifted
    lift_block(actor=officer_actor, entry=entry, reason="The attack has stopped.")

    # then the address is let in, and the entry stays as the record of both steps
    assert status_from("203.0.113.5") == 200
    entry.refresh_from_db()
    assert entry.lifted_at is not None and entry.lifted_by_label == officer_actor.label
    actions = list(
        AuditEntry.objects.filter(object_type="website.blockentry")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]
    with pytest.raises(DomainError) as error:
        lift_block(actor=officer_actor, entry=entry, reason="again")
    assert error.value.code == WebsiteErrorCode.ALREADY_LIFTED


def test_the_list_is_cached_per_process(officer_actor, django_assert_num_queries):
    block(officer_actor, "198.51.100.7")
    assert blocklist_cache.is_blocked("198.51.100.7")

    # a check after the first costs no query
    with django_assert_num_queries(0):
        assert blocklist_cache.is_blocked("198.51.100.7")
        assert not blocklist_cache.is_blocked("198.51.100.8")


@pytest.mark.parametrize(
    ("network", "code"),
    [
        ("999.1.1.1", WebsiteErrorCode.INVALID_NETWORK),
        ("not an address", WebsiteErrorCode.INVALID_NETWORK),
        ("203.0.113.7/24", WebsiteErrorCode.INVALID_NETWORK),
        ("2001:db8::/200", WebsiteErrorCode.INVALID_NETWORK),
        ("0.0.0.0/0", WebsiteErrorCode.NETWORK_TOO_BROAD),
        ("::/8", WebsiteErrorCode.NETWORK_TOO_BROAD),
    ],
)
def test_bad_input_gets_an_error_naming_the_field(officer_actor, network, code):
    with pytest.raises(DomainError) as error:
        block(officer_actor, network)

    assert error.value.errors[0].field == "network"
    assert error.value.errors[0].code == code
    assert not BlockEntry.objects.exists()


def test_the_api_blocks_and_reports_bad_input(privacy_officer):
    api = session_client(privacy_officer)

    bad = api.post(
        "/api/website/blocklist",
        {"network": "10.0.0.300", "reason": "x", "review_on": str(NEXT_MONTH)},
    )
    past = api.post(
        "/api/website/blocklist", {"network": "10.0.0.3", "reason": "x", "review_on": "2020-01-01"}
    )
    good = api.post(
        "/api/website/blocklist",
        {"network": "2001:DB8::/32", "reason": "Scanner", "review_on": str(NEXT_MONTH)},
    )

    assert_problem(bad, 422, field="network", code="invalid_network")
    assert_problem(past, 422, field="review_on", code="review_date_past")
    assert good.status_code == 201
    assert good.json()["network"] == "2001:db8::/32"


def test_the_review_list_holds_active_blocks_due_for_review(officer_actor, security_user):
    # given blocks due yesterday, due next month, and one lifted
    due = block(officer_actor, "198.51.100.1")
    BlockEntry.objects.filter(pk=due.pk).update(
        review_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    block(officer_actor, "198.51.100.2")
    lifted = block(officer_actor, "198.51.100.3")
    BlockEntry.objects.filter(pk=lifted.pk).update(review_on=timezone.localdate())
    lift_block(actor=officer_actor, entry=lifted, reason="done")

    # then only the active one due is on the list, in the API for the security role too
    assert list(blocks_due_for_review()) == [due]
    response = session_client(security_user).get("/api/website/blocklist?due=true")
    assert [b["network"] for b in response.json()["items"]] == ["198.51.100.1"]

    # and a review that keeps the block moves it off the list
    review_block(actor=officer_actor, entry=due, next_review_on=NEXT_MONTH)
    assert not blocks_due_for_review().exists()


def test_the_auditor_cannot_block(auditor):
    response = session_client(auditor).post(
        "/api/website/blocklist",
        {"network": "10.0.0.3", "reason": "x", "review_on": str(NEXT_MONTH)},
    )

    assert_problem(response, 403)


def test_blocks_are_added_and_lifted_in_the_staff_ui(privacy_officer):
    client = Client()
    client.force_login(privacy_officer)

    bad = client.post(
        "/admin/website/blockentry/add/",
        {"network": "10.0.0.7/8", "reason": "x", "review_on": str(NEXT_MONTH)},
    )
    assert bad.status_code == 200
    assert "network" in bad.context["adminform"].form.errors
    assert not BlockEntry.objects.exists()
    client.post(
        "/admin/website/blockentry/add/",
        {"network": "10.0.0.7", "reason": "Brute force", "review_on": str(NEXT_MONTH)},
    )
    entry = BlockEntry.objects.get()
    client.post(
        f"/admin/website/blockentry/{entry.pk}/change/",
        {"review_on": str(NEXT_MONTH), "lift_reason": "Resolved"},
    )
    entry.refresh_from_db()
    assert entry.lifted_at is not None and entry.lift_reason == "Resolved"
    assert client.post(f"/admin/website/blockentry/{entry.pk}/delete/").status_code == 403


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("203.0.113.0/24", "203.0.113.0/24"),  # the same network
        ("203.0.113.0/24", "203.0.113.7"),  # an address inside it
        ("203.0.113.7", "203.0.113.0/24"),  # a network around an address
        ("2001:db8::/32", "2001:db8:bad::/48"),
        ("203.0.113.0/24", "::ffff:203.0.113.0/120"),  # the same, IPv4-mapped
    ],
)
def test_a_network_already_covered_by_an_active_block_is_refused_naming_it(
    security_user, first, second
):
    # given an active block, added through the API
    api = token_client(security_user)
    existing = api.post(
        "/api/website/blocklist",
        {"network": first, "reason": "Scanner", "review_on": str(NEXT_MONTH)},
    )
    assert existing.status_code == 201, existing.content
    # when a network sharing addresses with it is added
    response = api.post(
        "/api/website/blocklist",
        {"network": second, "reason": "Again", "review_on": str(NEXT_MONTH)},
    )
    # then it is a 409 problem naming the existing block, and nothing was added
    body = assert_problem(response, 409, field="network", code="already_blocked")
    assert f"#{existing.json()['id']}" in body["errors"][0]["message"]
    assert BlockEntry.objects.count() == 1


def test_lifting_a_block_really_lets_the_address_in_and_it_can_be_blocked_again(security_user):
    # given a blocked network, and the same network refused as a second block
    api = token_client(security_user)
    body = {"network": "198.51.100.0/24", "reason": "Scanner", "review_on": str(NEXT_MONTH)}
    first = api.post("/api/website/blocklist", body).json()
    assert api.post("/api/website/blocklist", body).status_code == 409
    assert status_from("198.51.100.9") == 403
    # when the block is lifted
    lifted = api.post(f"/api/website/blocklist/{first['id']}/lift", {"reason": "Stopped."})
    assert lifted.status_code == 200, lifted.content
    # then the address is let in, and a new block of it may be added
    assert status_from("198.51.100.9") == 200
    assert api.post("/api/website/blocklist", body).status_code == 201
    assert status_from("198.51.100.9") == 403


@pytest.mark.parametrize("network", ["fe80::1%eth0", "fe80::%eth0/64", "fe80::1%25eth0"])
def test_a_zone_id_is_refused_naming_the_field(security_user, network):
    response = token_client(security_user).post(
        "/api/website/blocklist",
        {"network": network, "reason": "Local", "review_on": str(NEXT_MONTH)},
    )
    assert_problem(response, 422, field="network", code="zone_id_not_allowed")
    assert not BlockEntry.objects.exists()


def test_a_peer_address_with_a_zone_id_is_matched_and_logged_without_it(officer_actor, committed):
    # given a blocked link-local address
    block(officer_actor, "fe80::1")
    # when a request arrives from it on an interface (the server reports the zone)
    with committed():
        assert status_from("fe80::1%eth0") == 403
        assert status_from("fe80::2%eth0") == 200
    # then it was blocked, and the log holds the addresses without the zone
    assert sorted(IpLogEntry.objects.values_list("ip_address", flat=True)) == [
        "fe80::1",
        "fe80::2",
    ]


def test_the_staff_ui_names_the_block_that_already_covers_a_network(officer_actor, security_user):
    existing = block(officer_actor, "192.0.2.0/24")
    client = Client()
    client.force_login(security_user)

    response = client.post(
        "/admin/website/blockentry/add/",
        {"network": "192.0.2.77", "reason": "Again", "review_on": str(NEXT_MONTH)},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["network"]
    assert f"#{existing.pk}" in errors[0]
    assert BlockEntry.objects.count() == 1
