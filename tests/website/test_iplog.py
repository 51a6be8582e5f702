"""The IP security log: what the middleware and the ingest API store, masked statistics,
linking a request to a person, reading rights and the retention purge."""

from __future__ import annotations

import datetime

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.website.choices import LogSource, WebsiteErrorCode
from personvern.website.middleware import IpLogMiddleware
from personvern.website.models import IpLogEntry, IpStatistic
from personvern.website.services import (
    link_entry_to_person,
    link_request_to_person,
)
from tests.api.conftest import assert_problem, session_client, token_client
from tests.factories import PersonFactory, ProcessingActivityFactory
from tests.website.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def test_a_page_view_is_logged_without_its_query_string(client: Client, committed):
    # when a visitor opens a page with personal data in the query string
    with committed():
        client.get(
            "/website/demo/?email=ola@example.com&lang=nb",
            REMOTE_ADDR="198.51.100.23",
            HTTP_USER_AGENT="Mozilla/5.0 test",
        )

    # then the log holds the address, method, bare path, status and user agent
    entry = IpLogEntry.objects.get()
    assert (entry.ip_address, entry.method, entry.path, entry.status) == (
        "198.51.100.23",
        "GET",
        "/website/demo/",
        200,
    )
    assert entry.user_agent == "Mozilla/5.0 test"
    assert entry.source == LogSource.PERSONVERN
    assert entry.person is None
    assert not IpLogEntry.objects.filter(path__contains="example.com").exists()


def test_single_use_links_are_logged_without_their_token(client: Client, committed):
    # when someone opens a verification link and a download link from a mail
    token = "Zx9-secret_token-value"
    with committed():
        client.get(f"/portal/verify/{token}/", REMOTE_ADDR="198.51.100.23")
        client.get(f"/portal/download/{token}/", REMOTE_ADDR="198.51.100.23")

    # then the log keeps the routes, and nobody who reads it can use the links
    paths = sorted(IpLogEntry.objects.values_list("path", flat=True))
    assert paths == ["/portal/download/{token}/", "/portal/verify/{token}/"]
    assert not IpLogEntry.objects.filter(path__contains=token).exists()


def test_statistics_hold_only_the_masked_address(client: Client, committed):
    # given two visits from one IPv4 /24 and one from an IPv6 /48
    with committed():
        client.get("/website/demo/", REMOTE_ADDR="198.51.100.23")
        client.get("/website/demo/", REMOTE_ADDR="198.51.100.99")
        client.get("/website/demo/", REMOTE_ADDR="2001:db8:abcd:12::1")

    # then the statistics count per masked network, and no full address is in them
    counts = dict(IpStatistic.objects.values_list("masked_ip", "requests"))
    assert counts == {"198.51.100.0": 2, "2001:db8:abcd::": 1}


def test_static_files_and_health_checks_are_not_visits(client: Client, committed):
    with committed():
        client.get("/healthz", REMOTE_ADDR="198.51.100.23")
        client.get("/static/website/banner.js", REMOTE_ADDR="198.51.100.23")

    assert not IpLogEntry.objects.exists()


@override_settings(PERSONVERN_WEBSITE={"IP_LOG_ENABLED": False})
def test_logging_can_be_switched_off(client: Client, committed):
    with committed():
        client.get("/website/demo/", REMOTE_ADDR="198.51.100.23")

    assert not IpLogEntry.objects.exists()


def _form_view(person, actor):
    def view(request):
        link_request_to_person(actor=actor, request=request, person=person)
        return HttpResponse(status=201)

    return view


def test_a_form_submission_links_its_own_entry_to_the_person(officer_actor, committed):
    # given a form that received a person's data
    person = PersonFactory()
    middleware = IpLogMiddleware(_form_view(person, officer_actor))
    request = RequestFactory().post("/portal/contact/?ref=x", REMOTE_ADDR="203.0.113.5")

    # when the request is served, and the same visitor then opens a page
    with committed():
        middleware(request)
        page = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
        IpLogMiddleware(lambda r: HttpResponse())(page)

    # then only the submitting request names the person, and the link is audited
    linked = IpLogEntry.objects.get(person=person)
    assert (linked.method, linked.path, linked.status) == ("POST", "/portal/contact/", 201)
    assert IpLogEntry.objects.filter(person__isnull=True).count() == 1
    audit = AuditEntry.objects.get(object_type="website.iplogentry", object_id=str(linked.pk))
    assert audit.subject_id == person.pk and audit.fields == ["person"]
    assert "203.0.113" not in str(audit.detail)


def test_a_request_without_submitted_data_is_never_linked(officer_actor):
    request = RequestFactory().get("/portal/", REMOTE_ADDR="203.0.113.5")

    with pytest.raises(DomainError) as error:
        link_request_to_person(actor=officer_actor, request=request, person=PersonFactory())

    assert error.value.code == WebsiteErrorCode.NOT_A_SUBMISSION


def test_an_ingested_form_post_can_be_linked_but_a_page_view_cannot(officer_actor):
    person = PersonFactory()
    now = timezone.now()
    post = IpLogEntry.objects.create(
        at=now,
        ip_address="203.0.113.5",
        method="POST",
        path="/kontakt",
        status=200,
        source=LogSource.WEBSITE,
    )
    view = IpLogEntry.objects.create(
        at=now,
        ip_address="203.0.113.5",
        method="GET",
        path="/",
        status=200,
        source=LogSource.WEBSITE,
    )

    link_entry_to_person(actor=officer_actor, entry=post, person=person)
    with pytest.raises(DomainError):
        link_entry_to_person(actor=officer_actor, entry=view, person=person)

    assert list(IpLogEntry.objects.filter(person=person)) == [post]


def test_the_retention_rule_deletes_old_entries_keeps_held_people_and_statistics():
    from personvern.retention.services import RuleValues, create_rule, set_hold
    from personvern.retention.services.sweep import sweep

    # given the IP log's retention rule of 90 days, entries 91 and 89 days old, and an old
    # entry of a person under a legal hold
    activity = ProcessingActivityFactory(name="IP security log")
    create_rule(actor=SYSTEM, values=RuleValues(
        name="IP log: 90 days", processing_activity=activity, target="ip_log_entries",
        trigger="created", action="delete", period_days=90,
        legal_source="GDPR art. 5(1)(e) and art. 32"))  # fmt: skip
    now = timezone.now()
    held = PersonFactory()
    set_hold(actor=SYSTEM, record_type="person", record_id=held.pk, reason="Dispute")
    for days, person in ((91, None), (89, None), (120, held)):
        IpLogEntry.objects.create(
            at=now - datetime.timedelta(days=days), ip_address="192.0.2.1", method="POST",
            path="/", status=200, source=LogSource.PERSONVERN, person=person,
        )  # fmt: skip
    IpStatistic.objects.create(
        day=now.date(), masked_ip="192.0.2.0", source="personvern", requests=3
    )

    # when the retention sweep runs (twice)
    sweep(actor=SYSTEM)
    sweep(actor=SYSTEM)

    # then only the old unheld entry went; the held person's entry and the statistics stay
    assert sorted((now - e.at).days for e in IpLogEntry.objects.all()) == [89, 120]
    assert IpStatistic.objects.exists()


# The ingest API

ENTRY = {
    "at": "2026-01-05T10:00:00+01:00",
    "ip_address": "2001:db8::7",
    "method": "POST",
    "path": "/kontakt?email=kari@example.com",
    "status": 302,
    "user_agent": "UA",
}


def test_the_website_sends_a_batch_with_its_token(security_user):
    api = token_client(security_user)

    response = api.post(
        "/api/website/ip-log",
        {"entries": [ENTRY, {**ENTRY, "method": "get", "ip_address": "192.0.2.9"}]},
    )

    assert response.status_code == 201, response.content
    assert response.json() == {"accepted": 2}
    entries = IpLogEntry.objects.filter(source=LogSource.WEBSITE).order_by("ip_address")
    assert [(e.ip_address, e.method, e.path) for e in entries] == [
        ("192.0.2.9", "GET", "/kontakt"),
        ("2001:db8::7", "POST", "/kontakt"),
    ]
    masked = IpStatistic.objects.filter(source=LogSource.WEBSITE).values_list(
        "masked_ip", flat=True
    )
    assert set(masked) == {"192.0.2.0", "2001:db8::"}
    assert AuditEntry.objects.get(object_type="website.iplogentry").detail["count"] == 2


def test_the_website_links_its_form_post_to_the_person_it_submitted(security_user):
    # given a person the website's contact form has just created in Personvern
    person = PersonFactory()

    # when the website sends its log, naming the person on the form's POST
    response = token_client(security_user).post(
        "/api/website/ip-log",
        {"entries": [{**ENTRY, "person_id": person.pk}, {**ENTRY, "method": "GET"}]},
    )

    # then only that entry names the person, and the link is audited without the address
    assert response.status_code == 201, response.content
    linked = IpLogEntry.objects.get(person=person)
    assert (linked.method, linked.source) == ("POST", LogSource.WEBSITE)
    assert IpLogEntry.objects.filter(person__isnull=True).count() == 1
    audit = AuditEntry.objects.get(object_type="website.iplogentry", action="update")
    assert (audit.subject_id, audit.object_id) == (person.pk, str(linked.pk))
    assert audit.fields == ["person"]
    assert "2001:db8" not in str(audit.detail)


@pytest.mark.parametrize(
    ("change", "code"),
    [({"method": "GET"}, "not_a_submission"), ({"person_id": 987654}, "unknown_person")],
)
def test_a_bad_link_refuses_the_whole_batch_naming_the_entry(security_user, change, code):
    person = PersonFactory()
    response = token_client(security_user).post(
        "/api/website/ip-log",
        {"entries": [ENTRY, {**ENTRY, "person_id": person.pk, **change}]},
    )

    body = assert_problem(response, 422)
    assert {"field": "entries.1.person_id", "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in body["errors"]
    ]
    assert not IpLogEntry.objects.exists()


def test_ingest_needs_a_token_not_a_session(security_user, client):
    assert_problem(
        session_client(security_user).post("/api/website/ip-log", {"entries": [ENTRY]}), 401
    )
    assert_problem(
        client.post("/api/website/ip-log", {"entries": [ENTRY]}, content_type="application/json"),
        401,
    )


def test_ingest_needs_the_permission(auditor):
    response = token_client(auditor).post("/api/website/ip-log", {"entries": [ENTRY]})

    assert_problem(response, 403)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ip_address": "999.1.1.1"}, "entries.0.ip_address"),
        ({"status": 42}, "entries.0.status"),
        ({"method": "G E T"}, "entries.0.method"),
        ({"surprise": 1}, "entries.0.surprise"),
        ({"at": "2026-01-05T10:00:00"}, "entries.0.at"),
        ({"at": "2999-01-05T10:00:00Z"}, "entries.0.at"),
    ],
)
def test_ingest_validates_every_entry(security_user, change, field):
    response = token_client(security_user).post(
        "/api/website/ip-log", {"entries": [{**ENTRY, **change}]}
    )

    body = assert_problem(response, 422)
    assert field in [e["field"] for e in body["errors"]]
    assert not IpLogEntry.objects.filter(source=LogSource.WEBSITE).exists()


def test_ingest_refuses_an_empty_or_oversized_batch(security_user):
    api = token_client(security_user)

    assert_problem(api.post("/api/website/ip-log", {"entries": []}), 422)
    assert_problem(api.post("/api/website/ip-log", {"entries": [ENTRY] * 1001}), 422)


def test_only_the_privacy_officer_and_security_read_the_log(
    privacy_officer, security_user, auditor, sales_user
):
    IpLogEntry.objects.create(
        at=timezone.now(),
        ip_address="192.0.2.1",
        method="GET",
        path="/",
        status=200,
        source=LogSource.WEBSITE,
    )

    for user in (privacy_officer, security_user):
        response = session_client(user).get("/api/website/ip-log")
        assert response.status_code == 200
        assert "192.0.2.1" in [e["ip_address"] for e in response.json()["items"]]
    for user in (auditor, sales_user):
        assert_problem(session_client(user).get("/api/website/ip-log"), 403)
        staff = Client()
        staff.force_login(user)
        assert staff.get("/admin/website/iplogentry/").status_code == 403
    assert AuditEntry.objects.filter(action="view", object_type="website.iplogentry").count() == 2


def test_masked_statistics_api(auditor):
    IpStatistic.objects.create(
        day=timezone.localdate(), masked_ip="192.0.2.0", source="website", requests=3
    )

    response = session_client(auditor).get("/api/website/ip-statistics")

    assert response.json()["items"] == [{"masked_ip": "192.0.2.0", "source": "website", "total": 3}]


def test_the_log_in_the_staff_ui_is_audited(security_user):
    client = Client()
    client.force_login(security_user)

    assert client.get("/admin/website/iplogentry/").status_code == 200
    entry = AuditEntry.objects.get(action="view", object_type="website.iplogentry")
    assert entry.actor_label == security_user.username


def test_ingest_refuses_an_address_with_a_zone_id_naming_the_entry(security_user):
    # when the website sends a log line whose address carries an IPv6 zone id
    response = token_client(security_user).post(
        "/api/website/ip-log", {"entries": [ENTRY, {**ENTRY, "ip_address": "fe80::1%eth0"}]}
    )
    # then the batch is refused naming that entry, and nothing was stored
    assert_problem(response, 422, field="entries.1.ip_address", code="zone_id_not_allowed")
    assert not IpLogEntry.objects.exists()
    assert not IpStatistic.objects.exists()
