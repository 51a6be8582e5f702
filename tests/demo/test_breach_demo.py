"""The demo's breaches and DPIA screening.

Which demo activities a privacy professional would mark as needing a DPIA, reading WP248
rev.01's nine criteria ("in most cases, two or more") and Datatilsynet's list for a small
accounting firm:

- Personaladministrasjon (personnel): YES. Salary data is of a highly personal nature
  (financial data, criterion 4) and employees are vulnerable data subjects because of the
  imbalance of power with their employer (criterion 7, named in WP248 itself).
- Rekruttering (recruitment): YES. Applicants are evaluated for a position (evaluation of
  performance at work, criterion 1) and stand in the same imbalance of power (criterion 7).
- Kundetiltak etter hvitvaskingsloven (customer due diligence): no. The customer's risk is
  classified as the act requires (evaluation, criterion 1), but of customers in a professional
  role, not on a large scale, and nothing else.
- Salg og markedsføring: no. Data from third parties is combined with the firm's own
  (criterion 6) but nothing else: contact data in a professional role, not large scale.
- Nettstatistikk (Google Analytics) and Sikkerhetslogg: no. Each observes visitors
  (criterion 3, systematic monitoring) but on a small site, briefly kept, nothing else.
- Kundeforhold, Markedsføring på e-post/SMS/telefon, Kundeservice, Kontraktsoppfyllelse,
  Bokføring: no criterion. Business contact data handled as expected.
- None is of a kind on Datatilsynet's list (no employee monitoring, no location, biometric
  or genetic data, no credit scoring).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from personvern.assessments.models import ImpactAssessment, Screening
from personvern.assessments.selectors import active_without_dpia, due_for_review
from personvern.audit.models import AuditEntry
from personvern.breaches.choices import BreachStatus
from personvern.breaches.models import Breach
from personvern.clients.models import ClientController
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.core.workplace import workplace_items
from personvern.demo.content import activities as a
from personvern.processing.choices import ActivityStatus
from personvern.processing.models import ProcessingActivity
from personvern.processing.services import activate_activity
from tests.demo.conftest import run_demo

MARKED = {a.PERSONNEL, a.RECRUITMENT}


def test_the_screening_marks_exactly_what_a_privacy_professional_would(demo_output):
    screened = dict(Screening.objects.values_list("activity__name", "needs_dpia"))
    assert set(screened) == set(ProcessingActivity.objects.values_list("name", flat=True))
    assert {name for name, needed in screened.items() if needed} == MARKED


def test_personnel_is_signed_off_and_recruitment_still_needs_its_dpia(demo_output):
    assert ImpactAssessment.objects.get(activity__name=a.PERSONNEL).signed_off_at is not None
    assert ImpactAssessment.objects.get(activity__name=a.RECRUITMENT).signed_off_at is None
    assert [s.activity.name for s in active_without_dpia()] == [a.RECRUITMENT]
    assert [d.activity.name for d in due_for_review()] == [a.PERSONNEL]


def test_recruitment_cannot_be_activated_again_until_its_dpia_is_signed_off(demo_output):
    recruitment = ProcessingActivity.objects.get(name=a.RECRUITMENT)
    ProcessingActivity.objects.filter(pk=recruitment.pk).update(status=ActivityStatus.DRAFT)
    recruitment.refresh_from_db()
    with pytest.raises(DomainError):
        activate_activity(actor=Actor.for_system("tests"), activity=recruitment)


def test_one_closed_breach_and_one_open_one_and_a_client(demo_output):
    assert sorted(Breach.objects.values_list("status", flat=True)) == [
        BreachStatus.CLOSED, BreachStatus.OPEN
    ]
    closed = Breach.objects.get(status=BreachStatus.CLOSED)
    assert closed.notifications.get().reference == "DEMO-2026/0042"
    assert ClientController.objects.get().agreements.exists()


def test_the_staff_ui_shows_both_breaches_and_the_home_page_the_clock(demo_output, client,
                                                                   privacy_officer):  # fmt: skip
    client.force_login(privacy_officer)
    page = client.get(reverse("admin:breaches_breach_changelist")).content.decode()
    assert "Lønnsslipp sendt til feil mottaker" in page and "Bærbar PC" in page
    open_breach = Breach.objects.get(status=BreachStatus.OPEN)
    detail = client.get(reverse("admin:breaches_breach_change", args=[open_breach.pk]))
    assert detail.status_code == 200
    report = client.get(reverse("admin:breaches_breach_report", args=[open_breach.pk, "html"]))
    assert "Utkast til avviksmelding" in report.content.decode()
    keys = {item.key for item in workplace_items(privacy_officer)}
    assert f"breaches.open.{open_breach.pk}" in keys
    assert {"assessments.review_due", "assessments.missing"} <= keys


def test_loading_again_writes_nothing(demo_output):
    before = AuditEntry.objects.count()
    run_demo()
    assert AuditEntry.objects.count() == before
