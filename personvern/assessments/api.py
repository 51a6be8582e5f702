"""/api/assessments: the screening lists, screening an activity, DPIAs and their sign-off."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from personvern.accounts.auth import ApiRequest, api_actor, require_perm
from personvern.core.api import DbId, existing
from personvern.processing.models import ProcessingActivity

from . import criteria as lists
from . import services
from .models import ImpactAssessment, Screening
from .schemas import (
    CriteriaOut,
    DpiaCreateIn,
    DpiaOut,
    DpiaUpdateIn,
    ScreeningIn,
    ScreeningOut,
)

router = Router(tags=["assessments"])


def _activity(activity_id: int) -> ProcessingActivity:
    return existing(ProcessingActivity.objects.all(), activity_id, field="activity_id",
                    message=_("No processing activity with this id."))  # fmt: skip


def _values(data: dict[str, Any]) -> dict[str, Any]:
    """A ``null`` residual risk clears it (stored blank)."""
    return {k: ("" if v is None and k == "residual_risk" else v) for k, v in data.items()}


@router.get("/criteria", response=CriteriaOut)
def get_criteria(request: ApiRequest) -> dict[str, Any]:
    """The nine WP248 rev.01 criteria and Datatilsynet's list, with their sources."""
    require_perm(request, "assessments.view_screening")
    wp, dt = lists.wp248(), lists.datatilsynet_list()
    return {
        "wp248_source": wp.source, "wp248_url": wp.url,
        "wp248": [{"key": k, "label": v} for k, v in wp.items.items()],
        "datatilsynet_source": dt.source, "datatilsynet_url": dt.url,
        "datatilsynet_list": [{"key": k, "label": v} for k, v in dt.items.items()],
        "rule": f"{wp.rule} {dt.rule}",
    }  # fmt: skip


@router.post("/screenings", response=ScreeningOut)
def screen_activity(request: ApiRequest, payload: ScreeningIn) -> Screening:
    """Record (or replace) an activity's screening: two or more criteria, or a listed kind,
    and it needs a DPIA before it may be active. Unknown keys: 422 naming the field."""
    require_perm(request, "assessments.change_screening")
    return services.screen_activity(
        actor=api_actor(request), activity=_activity(payload.activity_id),
        criteria=payload.criteria, listed_kinds=payload.listed_kinds,
        reasoning=payload.reasoning,
    )  # fmt: skip


@router.get("/screenings/{int:activity_id}", response=ScreeningOut)
def get_screening(request: ApiRequest, activity_id: DbId) -> Screening:
    require_perm(request, "assessments.view_screening")
    return get_object_or_404(Screening, activity_id=activity_id)


@router.post("/dpias", response={201: DpiaOut})
def start_dpia(request: ApiRequest, payload: DpiaCreateIn) -> Status[ImpactAssessment]:
    require_perm(request, "assessments.add_impactassessment")
    data = _values(payload.model_dump(exclude_unset=True))
    activity = _activity(data.pop("activity_id"))
    dpia = services.start_dpia(actor=api_actor(request), activity=activity, values=data)
    return Status(201, dpia)


@router.get("/dpias/{int:dpia_id}", response=DpiaOut)
def get_dpia(request: ApiRequest, dpia_id: DbId) -> ImpactAssessment:
    require_perm(request, "assessments.view_impactassessment")
    return get_object_or_404(ImpactAssessment, pk=dpia_id)


@router.patch("/dpias/{int:dpia_id}", response=DpiaOut)
def update_dpia(request: ApiRequest, dpia_id: DbId, payload: DpiaUpdateIn) -> ImpactAssessment:
    """Change a DPIA not yet signed off (422 ``already_signed_off`` otherwise)."""
    require_perm(request, "assessments.change_impactassessment")
    dpia = get_object_or_404(ImpactAssessment, pk=dpia_id)
    changes = _values(payload.model_dump(exclude_unset=True))
    return services.update_dpia(actor=api_actor(request), dpia=dpia, changes=changes)


@router.post("/dpias/{int:dpia_id}/sign-off", response=DpiaOut)
def sign_off_dpia(request: ApiRequest, dpia_id: DbId) -> ImpactAssessment:
    """Sign off; every missing part is named (422 ``incomplete``), and a high residual risk
    needs the prior consultation first (422 ``prior_consultation_required``)."""
    require_perm(request, "assessments.change_impactassessment")
    dpia = get_object_or_404(ImpactAssessment, pk=dpia_id)
    return services.sign_off_dpia(actor=api_actor(request), dpia=dpia)
