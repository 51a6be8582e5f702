"""Reads: the activation rule, the Art. 30 column, the staff home page's items."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import FieldError
from personvern.core.workplace import Urgency, WorkplaceItem
from personvern.processing.choices import ActivityStatus
from personvern.processing.export import ContributedColumn
from personvern.processing.models import ProcessingActivity

from .choices import AssessmentsErrorCode
from .models import ImpactAssessment, Screening

REVIEW_NOTICE = datetime.timedelta(days=30)


def needs_dpia(activity: ProcessingActivity) -> bool:
    return Screening.objects.filter(activity=activity, needs_dpia=True).exists()


def signed_off(activity: ProcessingActivity) -> ImpactAssessment | None:
    return (
        ImpactAssessment.objects.filter(activity=activity, signed_off_at__isnull=False)
        .order_by("-signed_off_at")
        .first()
    )


def activation_check(activity: ProcessingActivity) -> list[FieldError]:
    if needs_dpia(activity) and signed_off(activity) is None:
        return [
            FieldError(
                "status",
                AssessmentsErrorCode.DPIA_REQUIRED,
                _("The screening found that this activity needs an impact assessment (Art. 35): "
                  "sign one off before making it active."),
            )
        ]  # fmt: skip
    return []


def _dpia_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "impact_assessments",
        queryset=ImpactAssessment.objects.filter(signed_off_at__isnull=False).order_by(
            "-signed_off_at"
        ),
        to_attr="signed_dpias",
    )


def _dpia_value(activity: ProcessingActivity) -> str:
    signed = getattr(activity, "signed_dpias", None)
    if signed is None:
        signed = list(_dpia_prefetch().queryset.filter(activity=activity))  # type: ignore[union-attr]
    if not signed:
        return ""
    dpia = signed[0]
    if dpia.signed_off_at is None:  # the prefetch asks for signed-off ones
        return ""
    review = f", review {dpia.review_on.isoformat()}" if dpia.review_on else ""
    return f"DPIA #{dpia.pk} signed off {dpia.signed_off_at.date().isoformat()}{review}"


DPIA_COLUMN = ContributedColumn(key="dpia", prefetch=_dpia_prefetch, value=_dpia_value)


def due_for_review(today: datetime.date | None = None) -> Any:
    today = today or timezone.localdate()
    return ImpactAssessment.objects.filter(
        signed_off_at__isnull=False, review_on__lte=today + REVIEW_NOTICE
    ).select_related("activity")


def active_without_dpia() -> Any:
    signed = ImpactAssessment.objects.filter(signed_off_at__isnull=False).values("activity_id")
    return Screening.objects.filter(
        Q(needs_dpia=True), activity__status=ActivityStatus.ACTIVE
    ).exclude(activity_id__in=signed)


def workplace_items(user: Any) -> list[WorkplaceItem]:
    if not user.has_perm("assessments.view_impactassessment"):
        return []
    items = []
    due = due_for_review().count()
    if due:
        items.append(WorkplaceItem(
            key="assessments.review_due", section=_("Impact assessments"),
            label=_("DPIAs due for review within 30 days"), count=due,
            url=reverse("admin:assessments_impactassessment_changelist"),
            urgency=Urgency.DUE_SOON,
        ))  # fmt: skip
    missing = active_without_dpia().count()
    if missing:
        items.append(WorkplaceItem(
            key="assessments.missing", section=_("Impact assessments"),
            label=_("Active activities that need a signed-off DPIA"), count=missing,
            url=reverse("admin:assessments_screening_changelist") + "?needs_dpia__exact=1",
            urgency=Urgency.OVERDUE,
        ))  # fmt: skip
    return items
