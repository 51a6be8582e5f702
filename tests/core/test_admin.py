"""The service-backed admin: refusals are shown, not 500s; Django's own admin log (which keeps
names where erasure never reaches) is not written, and the history page does not show it."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.register.models import Interaction, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NO_INLINES = {
    f"{prefix}-{key}": "0"
    for prefix in ("interactions", "job_applications", "consent_states")
    for key in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person_form(**overrides: str) -> dict[str, str]:
    return {
        "category": "lead",
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "",
        "phone": "",
        "source": "data_subject",
        **NO_INLINES,
        **overrides,
    }


def test_adding_changing_and_deleting_in_the_staff_ui_writes_no_django_admin_log(
    privacy_officer,
):
    client = client_for(privacy_officer)
    # when a person is added, changed and deleted in the staff UI
    assert client.post(reverse("admin:register_person_add"), person_form()).status_code == 302
    person = Person.objects.get()
    change = reverse("admin:register_person_change", args=[person.pk])
    assert client.post(change, person_form(first_name="Kaja")).status_code == 302
    delete = reverse("admin:register_person_delete", args=[person.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    # then Django's admin log holds nothing (it would keep the name), the audit log all three
    assert not LogEntry.objects.exists()
    actions = set(
        AuditEntry.objects.filter(object_type="register.person").values_list("action", flat=True)
    )
    assert {"create", "update", "delete"} <= actions


def test_the_saved_persons_name_is_never_put_in_a_cookie(privacy_officer):
    # when a person is added in the staff UI, which says "… was added" with their name
    response = client_for(privacy_officer).post(
        reverse("admin:register_person_add"), person_form(last_name="Cookiesen")
    )
    # then that message waits in the server-side session, not in a cookie the browser keeps
    assert response.status_code == 302
    assert "messages" not in response.cookies
    assert all("Cookiesen" not in morsel.value for morsel in response.cookies.values())


def test_the_rows_django_wrote_before_are_purged_by_a_migration(privacy_officer):
    import importlib

    from django.apps import apps

    # given a row Django's admin log wrote in an earlier version, naming a person
    person = PersonFactory(last_name="Loggesen")
    LogEntry.objects.create(
        user=privacy_officer, content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk), object_repr=str(person), action_flag=ADDITION,
        action_time=timezone.now(),
    )  # fmt: skip
    # when the migration's purge runs
    migration = importlib.import_module("personvern.core.migrations.0002_purge_django_admin_log")
    migration.purge(apps, None)
    # then nothing of it is left
    assert not LogEntry.objects.exists()


def test_the_bulk_delete_action_writes_no_django_admin_log(privacy_officer):
    people = PersonFactory.create_batch(2)
    response = client_for(privacy_officer).post(
        reverse("admin:register_person_changelist"),
        {"action": "delete_selected", "_selected_action": [p.pk for p in people], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Person.objects.exists()
    assert not LogEntry.objects.exists()


def test_the_history_page_leads_to_the_audit_log_without_names(privacy_officer):
    # given a person and an old admin-log row naming them (written before this release)
    person = PersonFactory(first_name="Synnøve", last_name="Solbakken")
    LogEntry.objects.create(
        user=privacy_officer,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=ADDITION,
        change_message="",
    )
    client = client_for(privacy_officer)
    # when the privacy officer opens the person's history
    response = client.get(reverse("admin:register_person_history", args=[person.pk]))
    # then it is the audit log filtered to this person's row, which shows no name
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:audit_auditentry_changelist"))
    assert f"object_id={person.pk}" in response["Location"]
    assert "object_type=register.person" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Solbakken" not in page.content.decode()


def test_a_role_without_the_audit_log_is_told_where_the_history_is(customer_service):
    person = PersonFactory(last_name="Solbakken")
    client = client_for(customer_service)
    response = client.get(reverse("admin:register_person_history", args=[person.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:register_person_change", args=[person.pk])


def test_a_save_the_service_refuses_is_shown_on_the_form_not_a_500(
    customer_service, privacy_officer
):
    # given a person whose processing is restricted (Art. 18)
    person = PersonFactory(processing_restricted_since=timezone.now())
    now = timezone.localtime()
    form = {
        "person": person.pk,
        "channel": "phone_call",
        "summary": "Ringte om faktura.",
        "occurred_at_0": now.strftime("%Y-%m-%d"),
        "occurred_at_1": now.strftime("%H:%M:%S"),
    }
    # when customer service records an interaction with them in the staff UI
    response = client_for(customer_service).post(reverse("admin:register_interaction_add"), form)
    # then the form comes back with the service's reason, and nothing was written
    assert response.status_code == 200
    assert len(response.context["adminform"].form.non_field_errors()) == 1
    assert not Interaction.objects.exists()
    assert not AuditEntry.objects.filter(action="create").exists()
    # but the privacy officer may
    response = client_for(privacy_officer).post(reverse("admin:register_interaction_add"), form)
    assert response.status_code == 302
    assert Interaction.objects.count() == 1
