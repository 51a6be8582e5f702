"""The review queue in the staff admin: list, redact, accept with a basis, set a policy."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from personvern.pii.choices import FindingStatus
from personvern.pii.models import FieldPolicy, Finding
from personvern.register import services
from personvern.register.models import Interaction
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def interaction(officer_actor, fnr):
    return services.record_interaction(
        actor=officer_actor, person=PersonFactory(), channel="email",
        summary=f"Fnr {fnr}. Hun er medlem av Fagforbundet.",
    )  # fmt: skip


def test_the_queue_lists_open_findings_with_review_links(privacy_officer, interaction, fnr):
    client = logged_in(privacy_officer)
    page = client.get(reverse("admin:pii_finding_changelist") + "?status__exact=open")
    assert page.status_code == 200
    assert fnr not in page.content.decode()
    finding = Finding.objects.get(kind="no_fnr")
    detail = client.get(reverse("admin:pii_finding_change", args=[finding.pk])).content.decode()
    assert reverse("admin:pii_finding_review", args=[finding.pk, "redact"]) in detail


def test_redact_and_accept_from_the_admin(privacy_officer, interaction, fnr):
    client = logged_in(privacy_officer)
    number = Finding.objects.get(kind="no_fnr")
    response = client.post(reverse("admin:pii_finding_review", args=[number.pk, "redact"]))
    assert response.status_code == 302
    assert fnr not in Interaction.objects.get(pk=interaction.pk).summary
    union = Finding.objects.get(kind="union", status=FindingStatus.OPEN)
    url = reverse("admin:pii_finding_review", args=[union.pk, "accept"])
    refused = client.post(url, {"basis": "9_2_b", "reason": ""})
    assert refused.status_code == 200  # the form again, naming the missing reason
    client.post(url, {"basis": "9_2_b", "reason": "Trekk av kontingent etter avtale."})
    union.refresh_from_db()
    assert union.status == FindingStatus.ACCEPTED


def test_other_staff_cannot_review(customer_service, interaction):
    finding = Finding.objects.first()
    url = reverse("admin:pii_finding_review", args=[finding.pk, "redact"])
    assert logged_in(customer_service).post(url).status_code == 403


def test_the_privacy_officer_sets_a_fields_policy(privacy_officer):
    client = logged_in(privacy_officer)
    response = client.post(
        reverse("admin:pii_fieldpolicy_add"),
        {"scanned_field": "register.interaction.summary", "action": "refuse"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FieldPolicy.objects.get().action == "refuse"


def test_staff_saving_a_finding_in_the_admin_are_told_the_kind_not_the_value(customer_service, fnr):
    person = PersonFactory()
    client = logged_in(customer_service)
    response = client.post(
        reverse("admin:register_interaction_add"),
        {"person": person.pk, "channel": "email", "summary": f"Fnr {fnr}",
         "occurred_at_0": "2026-11-01", "occurred_at_1": "10:00"},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert "Norwegian national identity number" in page or "Norsk fødselsnummer" in page
    assert fnr not in page
    assert Interaction.objects.count() == 1
