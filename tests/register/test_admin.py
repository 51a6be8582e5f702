"""The register's staff UI: a restricted person's records are read-only where the service
would refuse a write, and opening an interaction or a job application is audited as a view."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from personvern.audit.models import AuditEntry
from personvern.register import services
from personvern.register.models import (
    Interaction,
    JobApplication,
    JobApplicationDocument,
    Person,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def restricted(officer_actor):
    """A restricted applicant (Art. 18) with an interaction and an application."""
    person = PersonFactory(category="job_applicant")
    interaction = services.record_interaction(actor=officer_actor, person=person, channel="email")
    application = services.create_job_application(
        actor=officer_actor, person=person, position="Revisor"
    )
    services.restrict_processing(actor=officer_actor, person=person)
    return person, interaction, application


def test_a_restricted_persons_records_are_read_only_for_customer_service(
    customer_service, restricted
):
    _person, interaction, application = restricted
    client = client_for(customer_service)
    # when customer service opens the interaction and the application
    for url in (
        reverse("admin:register_interaction_change", args=[interaction.pk]),
        reverse("admin:register_jobapplication_change", args=[application.pk]),
    ):
        page = client.get(url)
        # then they may read it, but the page offers no save and no delete
        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        assert page.context["has_delete_permission"] is False
        assert 'name="_save"' not in page.content.decode()
    # and a forged post is refused before it reaches the service
    response = client.post(
        reverse("admin:register_interaction_change", args=[interaction.pk]),
        {"channel": "meeting", "summary": "Endret."},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:register_interaction_delete", args=[interaction.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Interaction.objects.get().channel == "email"
    assert not AuditEntry.objects.filter(action__in=["update", "delete"], actor=customer_service)


def test_the_privacy_officer_may_still_change_them(privacy_officer, restricted):
    _person, interaction, application = restricted
    client = client_for(privacy_officer)
    for url in (
        reverse("admin:register_interaction_change", args=[interaction.pk]),
        reverse("admin:register_jobapplication_change", args=[application.pk]),
    ):
        assert client.get(url).context["has_change_permission"] is True


def test_an_unrestricted_persons_interaction_is_editable_by_customer_service(
    customer_service, officer_actor
):
    interaction = services.record_interaction(
        actor=officer_actor, person=PersonFactory(), channel="email"
    )
    page = client_for(customer_service).get(
        reverse("admin:register_interaction_change", args=[interaction.pk])
    )
    assert page.context["has_change_permission"] is True


def test_a_restricted_person_cannot_be_deleted_by_staff_without_the_permission(
    customer_service, officer_actor
):
    # given a restricted person with nothing else recorded, and a customer service user who
    # was also given the delete permission
    person = services.restrict_processing(actor=officer_actor, person=PersonFactory())
    customer_service.user_permissions.add(Permission.objects.get(codename="delete_person"))
    client = client_for(customer_service)
    url = reverse("admin:register_person_delete", args=[person.pk])
    # then the page offers no delete, and a forged one is refused
    change = client.get(reverse("admin:register_person_change", args=[person.pk]))
    assert change.context["has_delete_permission"] is False
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize(
    ("url_name", "via"),
    [
        ("admin:register_interaction_change", "admin:interaction"),
        ("admin:register_jobapplication_change", "admin:job_application"),
    ],
)
def test_opening_an_interaction_or_application_is_audited_as_a_view(
    customer_service, officer_actor, url_name, via
):
    # given an applicant with an interaction and an application
    person = PersonFactory(category="job_applicant")
    interaction = services.record_interaction(actor=officer_actor, person=person, channel="email")
    application = services.create_job_application(
        actor=officer_actor, person=person, position="Revisor"
    )
    obj = interaction if "interaction" in url_name else application
    # when customer service opens its page
    response = client_for(customer_service).get(
        reverse(url_name, args=[obj.pk]), REMOTE_ADDR="198.51.100.8"
    )
    # then one view of the person is audited, with who, from where and through what
    assert response.status_code == 200
    view = AuditEntry.objects.get(action="view")
    assert (view.actor, view.subject_id, view.ip_address, view.detail) == (
        customer_service,
        person.pk,
        "198.51.100.8",
        {"via": via},
    )
    assert JobApplication.objects.count() == 1


def test_a_document_for_a_restricted_applicant_is_refused_on_the_form(customer_service, restricted):
    # given a restricted applicant's application
    _person, _interaction, application = restricted
    # when customer service uploads a document to it in the staff UI
    response = client_for(customer_service).post(
        reverse("admin:register_jobapplicationdocument_add"),
        {
            "application": application.pk,
            "title": "CV",
            "file": SimpleUploadedFile("cv.pdf", b"%PDF synthetic", "application/pdf"),
        },
    )
    # then the form says why, with no server error, and nothing is stored
    assert response.status_code == 200
    assert len(response.context["adminform"].form.non_field_errors()) == 1
    assert not JobApplicationDocument.objects.exists()


def test_staff_record_the_end_of_a_customer_relationship_and_see_restriction_and_objection(
    customer_service,
):
    import datetime

    from django.utils import timezone

    # given a customer whose objection to legitimate interest was upheld
    person = PersonFactory(
        category="customer_contact", legitimate_interest_objection_since=timezone.now()
    )
    url = reverse("admin:register_person_change", args=[person.pk])
    form = {
        "category": person.category, "first_name": person.first_name,
        "last_name": person.last_name, "email": person.email, "phone": person.phone,
        "source": person.source, "relationship_ended_on": "2026-03-31",
        **{f"{prefix}-{key}": "0" for prefix in ("interactions", "job_applications",
                                                 "consent_states")
           for key in ("TOTAL_FORMS", "INITIAL_FORMS")},
    }  # fmt: skip
    client = client_for(customer_service)

    # then the page shows the objection (read-only), and the relationship's end can be set
    page = client.get(url).content.decode()
    assert "legitimate_interest_objection_since" in page
    assert 'name="legitimate_interest_objection_since"' not in page
    assert 'name="relationship_ended_on"' in page
    assert client.post(url, form).status_code == 302
    person.refresh_from_db()
    assert person.relationship_ended_on == datetime.date(2026, 3, 31)
