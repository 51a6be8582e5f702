"""Screening, DPIA sign-off and the Art. 30(2) export in the staff UI, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from personvern.assessments.models import ImpactAssessment, Screening
from personvern.assessments.services import start_dpia
from personvern.clients.services import create_client
from personvern.core.actors import Actor
from tests.factories import ProcessingActivityFactory

pytestmark = pytest.mark.django_db
ACTOR = Actor.for_system("tests")


def test_screening_in_the_staff_ui_marks_the_activity(client, privacy_officer):
    activity = ProcessingActivityFactory()
    client.force_login(privacy_officer)
    response = client.post(reverse("admin:assessments_screening_add"), {
        "activity": activity.pk, "criteria": ["large_scale", "vulnerable_subjects"],
        "reasoning": "Many employees.",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Screening.objects.get(activity=activity).needs_dpia is True


def test_sign_off_action_names_what_is_missing_then_signs(client, privacy_officer):
    dpia = start_dpia(actor=ACTOR, activity=ProcessingActivityFactory(), values={})
    client.force_login(privacy_officer)
    url = reverse("admin:assessments_impactassessment_changelist")
    refused = client.post(url, {"action": "sign_off", "_selected_action": [dpia.pk]}, follow=True)
    assert "Sett en dato for gjennomgang." in refused.content.decode()
    ImpactAssessment.objects.filter(pk=dpia.pk).update(
        description="d", necessity="n", measures="m", residual_risk="low", dpo_advice="ok",
        risks=[{"risk": "r", "likelihood": 1, "severity": 1}],
        review_on=datetime.date(2027, 1, 1),
    )
    client.post(url, {"action": "sign_off", "_selected_action": [dpia.pk]})
    dpia.refresh_from_db()
    assert dpia.signed_off_at is not None and dpia.signed_off_by == privacy_officer.username
    html = client.get(reverse("admin:assessments_impactassessment_export", args=[dpia.pk, "html"]))
    assert html.status_code == 200 and "personvernforordningen art. 35" in html.content.decode()


def test_art_30_2_export_in_the_staff_ui(client, privacy_officer, auditor):
    create_client(actor=ACTOR, values={"name": "Fjordbakst AS", "contact_email": "a@b.example",
                                       "processing": "Payroll"})  # fmt: skip
    client.force_login(privacy_officer)
    response = client.get(reverse("admin:clients_record_export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    client.force_login(auditor)
    assert client.get(reverse("admin:clients_record_export", args=["csv"])).status_code == 403
