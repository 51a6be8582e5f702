"""The staff home page's item for the privacy officer: findings waiting for review."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from personvern.core.workplace import Urgency, WorkplaceItem

from .choices import FindingKind, FindingStatus
from .models import Finding


def findings_to_review(user: Any) -> list[WorkplaceItem]:
    if not user.has_perm("pii.review_finding"):
        return []
    open_kinds = list(
        Finding.objects.filter(status=FindingStatus.OPEN).values_list("kind", flat=True)
    )
    if not open_kinds:
        return []
    identity = sum(1 for k in open_kinds if k in FindingKind.identity_numbers())
    url = reverse("admin:pii_finding_changelist") + "?status__exact=open"
    return [
        WorkplaceItem(
            key="pii.findings_open",
            section=_("Privacy"),
            label=_("Findings of identity numbers or special categories to review"),
            count=len(open_kinds),
            url=url,
            urgency=Urgency.DUE_SOON if identity else Urgency.INFO,
        )
    ]
