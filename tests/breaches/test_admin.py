"""The breach register in the staff UI: a save goes through the services (validated and
audited), the time left shows, the draft downloads as PDF."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.breaches.choices import BreachRisk
from personvern.breaches.models import Breach
from personvern.breaches.services.register import record_breach
from personvern.core.actors import Actor

pytestmark = pytest.mark.django_db
INLINES = ("notifications", "reminders", "letters", "client_notices")


def _form(**values):
    data = {
        "title": "Mail to the wrong client",
        "what_happened": "An annual report went to the wrong client.",
        "aware_at_0": "2026-11-29", "aware_at_1": "10:00:00",
        "discovered_how": "staff", "subject_categories": "[]", "risk": "unassessed",
        **values,
    }  # fmt: skip
    for prefix in INLINES:
        for name, value in (("TOTAL", "0"), ("INITIAL", "0"), ("MIN_NUM", "0"), ("MAX_NUM", "9")):
            data[f"{prefix}-{name}_FORMS"] = value
    return data


def test_the_officer_records_a_breach_with_its_assessment_in_the_staff_ui(
    client, privacy_officer, controller
):
    client.force_login(privacy_officer)
    form = _form(risk="risk", risk_reasoning="Financial data of one client.")
    response = client.post(reverse("admin:breaches_breach_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    breach = Breach.objects.get()
    # the time typed in Oslo time is stored as the moment it names
    assert breach.aware_at == datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC)
    assert breach.risk == BreachRisk.RISK
    events = set(AuditEntry.objects.filter(object_id=str(breach.pk))
                 .values_list("event_type", flat=True))  # fmt: skip
    assert {AuditEventType.BREACH_RECORDED, AuditEventType.BREACH_RISK_ASSESSED} <= events
    page = client.get(reverse("admin:breaches_breach_change", args=[breach.pk])).content.decode()
    assert "2026-12-02 10:00 CET" in page  # the deadline in Oslo time
    pdf = client.get(reverse("admin:breaches_breach_report", args=[breach.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_refused_save_shows_the_reason_beside_the_field(client, privacy_officer):
    client.force_login(privacy_officer)
    response = client.post(reverse("admin:breaches_breach_add"),
                           _form(risk="high", risk_reasoning=""))  # fmt: skip
    assert response.status_code == 200
    assert "Begrunn vurderingen." in response.content.decode()
    assert not Breach.objects.exists()


def test_the_list_shows_the_time_left(client, privacy_officer):
    record_breach(actor=Actor.for_system("tests"), values={
        "title": "Open one", "what_happened": "x",
        "aware_at": timezone.now() - datetime.timedelta(hours=2, minutes=30),
    })  # fmt: skip
    client.force_login(privacy_officer)
    page = client.get(reverse("admin:breaches_breach_changelist")).content.decode()
    assert "69 h 29 min" in page or "69 h 30 min" in page
