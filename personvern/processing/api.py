"""API handlers for the record of processing activities and for processors.

Handlers check the permission, turn ids into objects, call a service and return an output
schema read again through the selectors, so a write answers with what a read would show.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.pagination import paginate

from personvern.accounts.auth import ApiRequest, api_actor, require_perm
from personvern.core.api import DbId, Pagination, blank_nulls, existing, search
from personvern.core.errors import CoreErrorCode, DomainError

from . import services
from .models import BalancingAssessment, DataProcessingAgreement, ProcessingActivity, Processor
from .schemas import (
    ActivityCreateIn,
    ActivityListOut,
    ActivityOut,
    ActivityUpdateIn,
    AgreementCreateIn,
    AgreementOut,
    AssessmentCreateIn,
    AssessmentOut,
    ProcessorCreateIn,
    ProcessorListOut,
    ProcessorOut,
    ProcessorUpdateIn,
)
from .selectors import activities_for_record, processors_with_relations

activities_router = Router(tags=["activities"])
processors_router = Router(tags=["processors"])

LIST_FIELDS = ("subject_categories", "data_categories", "processor_ids")


@contextmanager
def api_field_names(**names: str) -> Iterator[None]:
    """Report a service's field errors under the names the API uses (``parent`` → ``parent_id``)."""
    try:
        yield
    except DomainError as exc:
        exc.errors = [dataclasses.replace(e, field=names.get(e.field, e.field)) for e in exc.errors]
        if exc.field:
            exc.field = names.get(exc.field, exc.field)
        raise


def _processors(ids: list[int]) -> list[Processor]:
    wanted = set(ids)
    found = list(Processor.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise DomainError(
            code=CoreErrorCode.NOT_FOUND, message=_("Unknown processor id."), field="processor_ids"
        )
    return found


def _parent(parent_id: int | None) -> Processor | None:
    if parent_id is None:
        return None
    return existing(
        Processor.objects.all(),
        parent_id,
        field="parent_id",
        message=_("No processor with this id."),
    )


def _activity_values(data: dict[str, Any]) -> dict[str, Any]:
    """Service values from an activity body: ``null`` clears, processor ids become processors."""
    values = {
        name: [] if value is None else value for name, value in data.items() if name in LIST_FIELDS
    }
    values.update(blank_nulls({k: v for k, v in data.items() if k not in LIST_FIELDS}))
    if "processor_ids" in values:
        values["processors"] = _processors(values.pop("processor_ids"))
    return values


def _activity(activity_id: int) -> ProcessingActivity:
    return get_object_or_404(activities_for_record(), pk=activity_id)


def _processor(processor_id: int) -> Processor:
    return get_object_or_404(processors_with_relations(), pk=processor_id)


# Processing activities


@activities_router.get("", response=list[ActivityListOut])
@paginate(Pagination)
def list_activities(
    request: ApiRequest,
    status: str | None = None,
    legal_basis: str | None = None,
    q: str | None = None,
) -> QuerySet[ProcessingActivity]:
    """The record of processing activities, filtered by status or legal basis, searched by name."""
    require_perm(request, "processing.view_processingactivity")
    activities = activities_for_record()
    if status:
        activities = activities.filter(status=status)
    if legal_basis:
        activities = activities.filter(legal_basis=legal_basis)
    return search(activities, q, ("name",))


@activities_router.get("/{int:activity_id}", response=ActivityOut)
def get_activity(request: ApiRequest, activity_id: DbId) -> ProcessingActivity:
    require_perm(request, "processing.view_processingactivity")
    return _activity(activity_id)


@activities_router.post("", response={201: ActivityOut})
def create_activity(request: ApiRequest, payload: ActivityCreateIn) -> Status[ProcessingActivity]:
    """A new activity is a draft until it is activated."""
    require_perm(request, "processing.add_processingactivity")
    values = services.ActivityValues(**_activity_values(payload.model_dump()))
    activity = services.create_activity(actor=api_actor(request), values=values)
    return Status(201, _activity(activity.pk))


@activities_router.patch("/{int:activity_id}", response=ActivityOut)
def update_activity(
    request: ApiRequest, activity_id: DbId, payload: ActivityUpdateIn
) -> ProcessingActivity:
    require_perm(request, "processing.change_processingactivity")
    activity = get_object_or_404(ProcessingActivity, pk=activity_id)
    # The schema's fields are the activity's: the service refuses any other name at run time.
    changes = cast(
        services.ActivityChanges, _activity_values(payload.model_dump(exclude_unset=True))
    )
    services.update_activity(actor=api_actor(request), activity=activity, changes=changes)
    return _activity(activity.pk)


@activities_router.post("/{int:activity_id}/activate", response=ActivityOut)
def activate_activity(request: ApiRequest, activity_id: DbId) -> ProcessingActivity:
    """Put an activity into effect. On legitimate interest its latest balancing assessment must
    be favourable (422 ``balancing_assessment_required``)."""
    require_perm(request, "processing.change_processingactivity")
    activity = get_object_or_404(ProcessingActivity, pk=activity_id)
    services.activate_activity(actor=api_actor(request), activity=activity)
    return _activity(activity.pk)


@activities_router.post("/{int:activity_id}/retire", response=ActivityOut)
def retire_activity(request: ApiRequest, activity_id: DbId) -> ProcessingActivity:
    require_perm(request, "processing.change_processingactivity")
    activity = get_object_or_404(ProcessingActivity, pk=activity_id)
    services.retire_activity(actor=api_actor(request), activity=activity)
    return _activity(activity.pk)


@activities_router.post("/{int:activity_id}/assessments", response={201: AssessmentOut})
def record_assessment(
    request: ApiRequest, activity_id: DbId, payload: AssessmentCreateIn
) -> Status[BalancingAssessment]:
    """Record a legitimate-interest balancing assessment (purpose, necessity, balancing). The
    latest assessment decides: an unfavourable one is recorded and sets an active activity on
    legitimate interest back to draft (audited)."""
    require_perm(request, "processing.add_balancingassessment")
    activity = get_object_or_404(ProcessingActivity, pk=activity_id)
    assessment = services.record_balancing_assessment(
        actor=api_actor(request),
        activity=activity,
        purpose_test=payload.purpose_test,
        necessity_test=payload.necessity_test,
        balancing_test=payload.balancing_test,
        outcome=payload.outcome,
        assessed_on=payload.assessed_on,
    )
    return Status(201, assessment)


# Processors


@processors_router.get("", response=list[ProcessorListOut])
@paginate(Pagination)
def list_processors(
    request: ApiRequest,
    country: str | None = None,
    transfer_mechanism: str | None = None,
    q: str | None = None,
) -> QuerySet[Processor]:
    """Processors and sub-processors, with whether each transfer mechanism is lawful."""
    require_perm(request, "processing.view_processor")
    processors = Processor.objects.select_related("parent")
    if country:
        processors = processors.filter(country=country.upper())
    if transfer_mechanism:
        processors = processors.filter(transfer_mechanism=transfer_mechanism)
    return search(processors, q, ("name",))


@processors_router.get("/{int:processor_id}", response=ProcessorOut)
def get_processor(request: ApiRequest, processor_id: DbId) -> Processor:
    require_perm(request, "processing.view_processor")
    return _processor(processor_id)


@processors_router.post("", response={201: ProcessorOut})
def create_processor(request: ApiRequest, payload: ProcessorCreateIn) -> Status[Processor]:
    require_perm(request, "processing.add_processor")
    values = services.ProcessorValues(
        **payload.model_dump(exclude={"parent_id"}), parent=_parent(payload.parent_id)
    )
    with api_field_names(parent="parent_id"):
        processor = services.create_processor(actor=api_actor(request), values=values)
    return Status(201, _processor(processor.pk))


@processors_router.patch("/{int:processor_id}", response=ProcessorOut)
def update_processor(
    request: ApiRequest, processor_id: DbId, payload: ProcessorUpdateIn
) -> Processor:
    require_perm(request, "processing.change_processor")
    processor = get_object_or_404(Processor, pk=processor_id)
    sent = payload.model_fields_set
    # The schema's fields are the processor's: the service refuses any other name at run time.
    changes = cast(
        services.ProcessorChanges,
        blank_nulls(
            payload.model_dump(exclude_unset=True, exclude={"parent_id", "data_categories"})
        ),
    )
    if "parent_id" in sent:
        changes["parent"] = _parent(payload.parent_id)
    if "data_categories" in sent:
        changes["data_categories"] = payload.data_categories or []
    with api_field_names(parent="parent_id"):
        services.update_processor(actor=api_actor(request), processor=processor, changes=changes)
    return _processor(processor.pk)


@processors_router.delete("/{int:processor_id}", response={204: None})
def delete_processor(request: ApiRequest, processor_id: DbId) -> Status[None]:
    """Delete a processor and its agreements; 409 ``processor_has_sub_processors`` while it
    has sub-processors."""
    require_perm(request, "processing.delete_processor")
    processor = get_object_or_404(Processor, pk=processor_id)
    services.delete_processor(actor=api_actor(request), processor=processor)
    return Status(204, None)


@processors_router.post("/{int:processor_id}/agreements", response={201: AgreementOut})
def record_agreement(
    request: ApiRequest, processor_id: DbId, payload: AgreementCreateIn
) -> Status[DataProcessingAgreement]:
    """Record a data-processing agreement (GDPR Art. 28(3)); the document is uploaded in the
    admin."""
    require_perm(request, "processing.add_dataprocessingagreement")
    processor = get_object_or_404(Processor, pk=processor_id)
    agreement = services.record_agreement(
        actor=api_actor(request),
        processor=processor,
        signed_on=payload.signed_on,
        review_due=payload.review_due,
        expires_on=payload.expires_on,
    )
    return Status(201, agreement)
