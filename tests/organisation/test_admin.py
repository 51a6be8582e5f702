from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from personvern.audit.models import AuditEntry
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_privacy_officer_edits_the_controller_profile_through_the_service(privacy_officer):
    organisation = OrganisationFactory()
    client = Client()
    client.force_login(privacy_officer)
    url = reverse("admin:organisation_organisation_change", args=[organisation.pk])
    form = {
        "legal_name": organisation.legal_name,
        "organisation_number": "974 760 673",
        "responsible_role": "Daglig leder",
        "privacy_contact_email": "personvern@example.com",
        "postal_address": "",
        "website": "",
        "supervisory_authority": organisation.supervisory_authority_id,
        "request_deadline_days": 30,
        "cookie_lifetime_limit_days": 30,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.privacy_contact_email == "personvern@example.com"
    entry = AuditEntry.objects.get(action="update")
    assert entry.fields == ["privacy_contact_email"]
    # a second controller cannot be added
    assert client.get(reverse("admin:organisation_organisation_add")).status_code == 403


def test_invalid_orgnr_in_the_profile_is_shown_and_not_saved(privacy_officer):
    organisation = OrganisationFactory()
    client = Client()
    client.force_login(privacy_officer)
    url = reverse("admin:organisation_organisation_change", args=[organisation.pk])
    response = client.post(
        url,
        {
            "legal_name": "X",
            "organisation_number": "123456789",
            "responsible_role": "Daglig leder",
            "privacy_contact_email": "post@example.com",
            "supervisory_authority": organisation.supervisory_authority_id,
            "request_deadline_days": 30,
            "cookie_lifetime_limit_days": 30,
        },
    )
    assert response.status_code == 200
    assert "organisation_number" in response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.legal_name == "Testfirma AS"
