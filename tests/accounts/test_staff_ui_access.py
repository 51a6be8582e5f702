"""Role permissions through the staff UI, and the audit entries its views and edits write."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from personvern.audit.models import AuditEntry
from personvern.register.models import Person
from tests.factories import PersonFactory, ProcessingActivityFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sales_user_cannot_read_audit_log_or_change_activities(sales_user):
    activity = ProcessingActivityFactory()
    client = client_for(sales_user)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_export")).status_code == 403
    change_url = reverse("admin:processing_processingactivity_change", args=[activity.pk])
    response = client.post(
        change_url, {"name": "Renamed", "purpose": "x", "legal_basis": "consent"}
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.name != "Renamed"
    # but can read activities and people
    assert client.get(reverse("admin:processing_processingactivity_changelist")).status_code == 200
    assert client.get(reverse("admin:register_person_changelist")).status_code == 200


def test_auditor_can_read_everything_but_change_nothing(auditor):
    person = PersonFactory()
    client = client_for(auditor)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:register_person_change", args=[person.pk])).status_code == 200
    assert client.get(reverse("admin:register_person_add")).status_code == 403
    response = client.post(
        reverse("admin:register_person_change", args=[person.pk]),
        {"category": "lead", "first_name": "Changed"},
    )
    assert response.status_code == 403
    assert (
        client.post(
            reverse("admin:register_person_delete", args=[person.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Person.objects.get().first_name == person.first_name


def test_viewing_a_person_in_the_staff_ui_is_audited(customer_service):
    person = PersonFactory()
    response = client_for(customer_service).get(
        reverse("admin:register_person_change", args=[person.pk]), REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="view")
    assert (entry.actor, entry.subject_id, entry.ip_address) == (
        customer_service,
        person.pk,
        "198.51.100.7",
    )
    assert entry.detail == {"via": "admin"}


def test_editing_a_person_in_the_staff_ui_goes_through_the_service(customer_service):
    person = PersonFactory(email="old@example.com", email_key="old@example.com")
    url = reverse("admin:register_person_change", args=[person.pk])
    form = {
        "category": person.category,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": "New@Example.COM",
        "phone": "+47 415 55 555",
        "position": "",
        "role": "",
        "company": "",
        "source": "data_subject",
        "source_party": "",
        "source_reference": "",
        **{
            f"{prefix}-{key}": value
            for prefix in ("interactions", "job_applications", "consent_states")
            for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
        },
    }
    response = client_for(customer_service).post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.email == "New@example.com" and person.phone == "+4741555555"
    entry = AuditEntry.objects.get(action="update")
    assert entry.fields == ["email", "phone"]


def test_invalid_input_in_the_staff_ui_shows_the_rule_and_stores_nothing(customer_service):
    form = {
        "category": "lead",
        "first_name": "Ola",
        "email": "not-an-email",
        "phone": "",
        "source": "third_party",
        "source_party": "Leads AS",
        "source_reference": "",
        "interactions-TOTAL_FORMS": "0",
        "interactions-INITIAL_FORMS": "0",
        "job_applications-TOTAL_FORMS": "0",
        "job_applications-INITIAL_FORMS": "0",
        "consent_states-TOTAL_FORMS": "0",
        "consent_states-INITIAL_FORMS": "0",
    }
    response = client_for(customer_service).post(reverse("admin:register_person_add"), form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"email", "source_reference"}
    assert not Person.objects.exists()


def test_privacy_officer_exports_audit_log_and_export_is_audited(privacy_officer):
    PersonFactory()
    client = client_for(privacy_officer)
    client.get(reverse("admin:register_person_change", args=[Person.objects.get().pk]))
    response = client.get(reverse("admin:audit_auditentry_export"))
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("id,at,actor,action")
    assert len(lines) == 2  # the view entry
    assert AuditEntry.objects.filter(action="export", object_type="audit.auditentry").exists()


def test_nobody_can_edit_the_audit_log_in_the_staff_ui(privacy_officer):
    PersonFactory()
    client = client_for(privacy_officer)
    client.get(reverse("admin:register_person_change", args=[Person.objects.get().pk]))
    entry = AuditEntry.objects.get()
    assert (
        client.post(
            reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403


def test_record_export_in_staff_ui_needs_export_permission(privacy_officer, sales_user):
    url = reverse("admin:processing_record_export", args=["csv"])
    assert client_for(sales_user).get(url).status_code == 403
    response = client_for(privacy_officer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_only_staff_sign_in_and_failed_logins_are_throttled(client):
    UserFactory(username="outsider", is_staff=False)
    UserFactory(username="officer")
    login = reverse("admin:login")
    password = "correct horse battery staple"
    response = client.post(login, {"username": "outsider", "password": password})
    assert "_auth_user_id" not in client.session
    for _attempt in range(5):
        client.post(login, {"username": "officer", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    response = client.post(
        login, {"username": "officer", "password": password}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_restricted_person_is_read_only_except_for_the_privacy_officer(
    customer_service, privacy_officer
):
    from django.utils import timezone

    person = PersonFactory(processing_restricted_since=timezone.now())
    url = reverse("admin:register_person_change", args=[person.pk])
    form = {"category": person.category, "first_name": "Changed", "last_name": person.last_name,
            "email": person.email, "source": "data_subject",
            **{f"{prefix}-{key}": "0" for prefix in ("interactions", "job_applications",
                                                     "consent_states")
               for key in ("TOTAL_FORMS", "INITIAL_FORMS")}}  # fmt: skip
    assert client_for(customer_service).post(url, form).status_code == 403
    assert Person.objects.get().first_name == person.first_name
    assert client_for(privacy_officer).post(url, form).status_code == 302
    assert Person.objects.get().first_name == "Changed"
