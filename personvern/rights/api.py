"""API for requests: intake from the organisation's website, and the staff's list, detail
and actions. Handlers check the permission, turn ids into objects and call a service."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.pagination import paginate

from personvern.accounts.auth import ApiRequest, api_actor, require_perm
from personvern.core.api import DbId, Pagination, existing
from personvern.processing.models import ProcessingActivity
from personvern.register.models import Person

from . import config, selectors, services
from .choices import ReceivedChannel
from .models import DataSubjectRequest
from .schemas import (
    ExtendIn,
    MatchPersonIn,
    NoteIn,
    ObjectionDecisionIn,
    ReasonIn,
    RectificationIn,
    RequestListOut,
    RequestOut,
    StaffCreateIn,
    WebsiteSubmitIn,
    WebsiteSubmitOut,
)
from .services.common import log_viewed

router = Router(tags=["data subject requests"])


def _purposes(ids: list[int]) -> list[ProcessingActivity]:
    return [
        existing(
            ProcessingActivity.objects.all(),
            pk,
            field="consent_purpose_ids",
            message=_("No processing activity with this id."),
        )
        for pk in ids
    ]


def _request(request_id: int) -> DataSubjectRequest:
    return get_object_or_404(selectors.requests_with_relations(), pk=request_id)


@router.post("/submit", response={202: WebsiteSubmitOut})
def submit_from_website(request: ApiRequest, payload: WebsiteSubmitIn) -> Status[WebsiteSubmitOut]:
    """The website passes on a request; the person confirms it by the link we e-mail them."""
    require_perm(request, "rights.add_datasubjectrequest")
    created = services.submit_request(
        actor=api_actor(request),
        channel=ReceivedChannel.API,
        **payload.model_dump(exclude={"consent_purpose_ids"}),
        consent_purposes=_purposes(payload.consent_purpose_ids),
    )
    return Status(202, WebsiteSubmitOut(reference=created.reference, status="received"))


@router.post("", response={201: RequestOut})
def create_request(request: ApiRequest, payload: StaffCreateIn) -> Status[DataSubjectRequest]:
    """A request received by phone, letter or e-mail, entered by staff."""
    require_perm(request, "rights.add_datasubjectrequest")
    created = services.submit_request(
        actor=api_actor(request),
        channel=payload.received_channel,
        **payload.model_dump(exclude={"consent_purpose_ids", "received_channel"}),
        consent_purposes=_purposes(payload.consent_purpose_ids),
    )
    return Status(201, _request(created.pk))


@router.get("", response=list[RequestListOut])
@paginate(Pagination)
def list_requests(
    request: ApiRequest,
    status: str | None = None,
    request_type: str | None = None,
    due: str | None = None,
) -> QuerySet[DataSubjectRequest]:
    """Requests, newest first; ``due=due_soon`` or ``due=overdue`` for the deadline lists."""
    require_perm(request, "rights.view_datasubjectrequest")
    if due == "overdue":
        requests = selectors.overdue()
    elif due == "due_soon":
        requests = selectors.due_soon(config.due_soon_days())
    else:
        requests = selectors.requests_with_relations()
    if status:
        requests = requests.filter(status=status)
    if request_type:
        requests = requests.filter(request_type=request_type)
    return requests


@router.get("/{int:request_id}", response=RequestOut)
def get_request(request: ApiRequest, request_id: DbId) -> DataSubjectRequest:
    require_perm(request, "rights.view_datasubjectrequest")
    found = _request(request_id)
    log_viewed(actor=api_actor(request), request=found, via="api")
    return found


@router.post("/{int:request_id}/verify", response=RequestOut)
def verify(request: ApiRequest, request_id: DbId, payload: NoteIn) -> DataSubjectRequest:
    services.verify_by_staff(
        actor=api_actor(request), request=_request(request_id), note=payload.note
    )
    return _request(request_id)


@router.post("/{int:request_id}/resend-verification", response=RequestOut)
def resend_verification(request: ApiRequest, request_id: DbId) -> DataSubjectRequest:
    """A new verification link to the address given (the earlier links stop working)."""
    services.resend_verification_link(actor=api_actor(request), request=_request(request_id))
    return _request(request_id)


@router.post("/{int:request_id}/match-person", response=RequestOut)
def match_person(
    request: ApiRequest, request_id: DbId, payload: MatchPersonIn
) -> DataSubjectRequest:
    person = existing(
        Person.objects.all(),
        payload.person_id,
        field="person_id",
        message=_("No person with this id."),
    )
    services.match_person(actor=api_actor(request), request=_request(request_id), person=person)
    return _request(request_id)


@router.post("/{int:request_id}/extend", response=RequestOut)
def extend(request: ApiRequest, request_id: DbId, payload: ExtendIn) -> DataSubjectRequest:
    services.extend_deadline(
        actor=api_actor(request),
        request=_request(request_id),
        until=payload.until,
        reason=payload.reason,
    )
    return _request(request_id)


@router.post("/{int:request_id}/refuse", response=RequestOut)
def refuse(request: ApiRequest, request_id: DbId, payload: ReasonIn) -> DataSubjectRequest:
    services.refuse_request(
        actor=api_actor(request), request=_request(request_id), reason=payload.reason
    )
    return _request(request_id)


@router.post("/{int:request_id}/complete-rectification", response=RequestOut)
def complete_rectification(
    request: ApiRequest, request_id: DbId, payload: RectificationIn
) -> DataSubjectRequest:
    services.complete_rectification(
        actor=api_actor(request),
        request=_request(request_id),
        note=payload.note,
        changes=payload.changes,
    )
    return _request(request_id)


@router.post("/{int:request_id}/lift-restriction", response=RequestOut)
def lift_restriction(
    request: ApiRequest, request_id: DbId, payload: ReasonIn
) -> DataSubjectRequest:
    services.lift_restriction(
        actor=api_actor(request), request=_request(request_id), reason=payload.reason
    )
    return _request(request_id)


@router.post("/{int:request_id}/decide-objection", response=RequestOut)
def decide_objection(
    request: ApiRequest, request_id: DbId, payload: ObjectionDecisionIn
) -> DataSubjectRequest:
    services.decide_objection(
        actor=api_actor(request),
        request=_request(request_id),
        compelling_grounds=payload.compelling_grounds,
    )
    return _request(request_id)


@router.post("/{int:request_id}/retry-sources", response=RequestOut)
def retry_sources(request: ApiRequest, request_id: DbId) -> DataSubjectRequest:
    """Try again, at once, the systems that failed the request (every attempt spent) or wait
    for their next attempt; 409 ``no_failed_source`` when none has."""
    services.retry_failed_sources(actor=api_actor(request), request=_request(request_id))
    return _request(request_id)


@router.post("/{int:request_id}/rerun", response=RequestOut)
def rerun(request: ApiRequest, request_id: DbId) -> DataSubjectRequest:
    """Run the fulfilment job again; it continues where it stopped."""
    services.rerun_fulfilment(actor=api_actor(request), request=_request(request_id))
    return _request(request_id)


@router.post("/{int:request_id}/reissue-download-link", response=RequestOut)
def reissue_download_link(request: ApiRequest, request_id: DbId) -> DataSubjectRequest:
    services.reissue_download_link(actor=api_actor(request), request=_request(request_id))
    return _request(request_id)
