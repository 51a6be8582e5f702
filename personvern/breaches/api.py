"""/api/breaches: the breach register, its clock, risk assessment, notifications and the
draft report. Handlers check the permission and call a service."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from personvern.accounts.auth import ApiRequest, api_actor, require_perm
from personvern.core.api import DbId, Pagination

from . import report, services
from .models import Breach
from .schemas import (
    BreachCreateIn,
    BreachListOut,
    BreachOut,
    DraftFieldOut,
    NotificationIn,
    NotificationOut,
    RiskIn,
)

router = Router(tags=["breaches"])


def _breaches() -> QuerySet[Breach]:
    return Breach.objects.prefetch_related("notifications").order_by("-aware_at", "-pk")


def _breach(breach_id: int) -> Breach:
    return get_object_or_404(_breaches(), pk=breach_id)


@router.get("", response=list[BreachListOut])
@paginate(Pagination)
def list_breaches(request: ApiRequest, status: str | None = None) -> QuerySet[Breach]:
    """The register, newest first, with the time left of each breach's 72 hours."""
    require_perm(request, "breaches.view_breach")
    breaches = _breaches()
    return breaches.filter(status=status) if status else breaches


@router.get("/{int:breach_id}", response=BreachOut)
def get_breach(request: ApiRequest, breach_id: DbId) -> Breach:
    require_perm(request, "breaches.view_breach")
    return _breach(breach_id)


@router.post("", response={201: BreachOut})
def record_breach(request: ApiRequest, payload: BreachCreateIn) -> Status[Breach]:
    """Record a breach (Art. 33(5)). Times need their zone (422 ``invalid_times``)."""
    require_perm(request, "breaches.add_breach")
    breach = services.record_breach(actor=api_actor(request), values=payload.model_dump())
    return Status(201, _breach(breach.pk))


@router.post("/{int:breach_id}/risk", response=BreachOut)
def assess_risk(request: ApiRequest, breach_id: DbId, payload: RiskIn) -> Breach:
    """The risk assessment with its reasoning (422 ``reasoning_required`` without one)."""
    require_perm(request, "breaches.change_breach")
    breach = get_object_or_404(Breach, pk=breach_id)
    services.assess_risk(actor=api_actor(request), breach=breach, risk=payload.risk,
                         reasoning=payload.reasoning)  # fmt: skip
    return _breach(breach.pk)


@router.post("/{int:breach_id}/notifications", response={201: NotificationOut})
def record_notification(
    request: ApiRequest, breach_id: DbId, payload: NotificationIn
) -> Status[object]:
    """A notification submitted to Datatilsynet (initial, follow-up, final) with its
    reference. Later than 72 hours needs ``delay_reasons`` (422 ``delay_reasons_required``)."""
    require_perm(request, "breaches.add_breachnotification")
    breach = get_object_or_404(Breach, pk=breach_id)
    notification = services.record_notification(
        actor=api_actor(request), breach=breach, **payload.model_dump()
    )
    return Status(201, notification)


@router.get("/{int:breach_id}/report", response=list[DraftFieldOut])
def draft_report(request: ApiRequest, breach_id: DbId) -> list[report.DraftField]:
    """The draft notification, in the fields and order of Datatilsynet's form, in Norwegian."""
    require_perm(request, "breaches.view_breach")
    return report.draft(_breach(breach_id))
