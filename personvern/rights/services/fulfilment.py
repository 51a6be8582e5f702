"""Fulfilment: the background job that answers a verified request, one function per type.

The job takes the request's id and may run any number of times: each step checks what is
already done (the status, the package, the delivery receipt, each source's state) and does
only the rest. Types that need a person's decision (rectification, an objection to
legitimate-interest processing) wait for it after the automatic part."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.register.models import Person

from .. import config, tokens
from ..choices import EventKind, RequestStatus, RequestType, RightsErrorCode, TokenPurpose
from ..links import portal_link
from ..models import DataSubjectRequest
from ..package import build_package
from . import erasure, manual, measures, rectification, transfer
from .common import complete, letter, lock, require_perm, start
from .events import log
from .packages import discard_on_failure, erasure_started, save_package

FULFILMENT_ACTOR = Actor.for_system("rights-fulfilment")
# The types that reach the data sources, and so the manual ones' staff. A rectification
# reaches them too, once the corrections are known: its job creates the tasks then, naming
# them (``rectification.run``).
TYPES_WITH_TASKS = frozenset(
    {RequestType.ACCESS, RequestType.PORTABILITY, RequestType.ERASURE, RequestType.RESTRICTION}
)


def fulfil(*, request_id: int, actor: Actor = FULFILMENT_ACTOR) -> str:
    """Do what is left of the request; returns its status."""
    with transaction.atomic():
        request = lock(request_id)
        if request.status not in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS):
            return str(request.status)
        # An erasure that has begun goes on even though the person may be gone: a worker that
        # died after the register was erased (and the link to the person cleared) but before
        # the reply must not answer "we hold no data" on the rerun.
        if request.person_id is None and not _erasure_resumes(request):
            if request.events.filter(kind=EventKind.SEVERAL_MATCHES).exists():
                return str(request.status)  # staff chooses the person first
            start(request, actor=actor)
            complete(request, actor=actor, result={"person": "not_found"}, name="no_data")
            return str(request.status)
        start(request, actor=actor)
        if request.request_type in TYPES_WITH_TASKS:
            manual.ensure_tasks(request, actor=actor)
            # An erasure and a restriction go on with the other sources (an erasure's register
            # waits for the tasks); the other types wait here until the last task is closed.
            if (
                request.request_type not in (RequestType.ERASURE, RequestType.RESTRICTION)
                and manual.open_tasks(request).exists()
            ):
                return str(request.status)
    handler = HANDLERS[RequestType(request.request_type)]
    handler(request_id, actor)
    return str(DataSubjectRequest.objects.values_list("status", flat=True).get(pk=request_id))


def _erasure_resumes(request: DataSubjectRequest) -> bool:
    return request.request_type == RequestType.ERASURE and bool(request.source_states)


def download_url(token: str, request: DataSubjectRequest) -> str:
    return portal_link("download", token=token, request=request)


def _package(request_id: int, actor: Actor) -> None:
    """Access (Art. 15) and portability (Art. 20): build the package; for portability with a
    destination, POST the JSON there (outside any transaction: a network call must not hold a
    lock), retrying as configured, and record the receipt; then send the single-use download
    link — with the receipt, or, when every attempt failed, with a letter that says so."""
    with discard_on_failure() as saved, transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS:
            return
        if not request.package_name:
            assert request.person is not None  # noqa: S101 - checked by ``fulfil``
            document: dict[str, Any] | None = _build(request, request.person, actor, saved)
        else:
            document = None
    delivery = request.result.get("delivery")
    if request.destination_url and delivery is None:
        if document is None:
            with transaction.atomic():
                assert request.person is not None  # noqa: S101
                package = build_package(request=request, person=request.person)
                package.file.close()
                document = package.document
        delivery = transfer.deliver(
            request_id=request_id, actor=actor, url=request.destination_url, document=document
        )
    with transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS:
            return
        token = tokens.issue(
            request=request, purpose=TokenPurpose.DOWNLOAD, hours=config.download_link_hours()
        )
        failed = delivery is not None and not delivery.get("delivered", True)
        complete(
            request,
            actor=actor,
            result={},
            name="delivery_failed" if failed else "package_ready",
            context={
                "link": download_url(token, request),
                "hours": config.download_link_hours(),
                "delivery": delivery,
            },
        )


def _build(
    request: DataSubjectRequest, person: Person, actor: Actor, saved: list[str], **detail: Any
) -> dict[str, Any]:
    """Build and store the package, name it on the request; returns the data.json document.
    Runs inside the caller's transaction, within ``discard_on_failure`` (``saved``)."""
    package = build_package(request=request, person=person)
    with package.file:
        request.package_name = save_package(request, package.file, saved)
    request.result = {**request.result, "counts": package.counts}
    request.save(update_fields=["package_name", "result"])
    log(
        request=request,
        kind=EventKind.PACKAGE_BUILT,
        actor=actor,
        detail={"records": sum(package.counts.values()), **detail},
    )
    return package.document


@transaction.atomic
def open_download(*, token: str) -> tuple[DataSubjectRequest, bytes]:
    """The package behind a download link, once."""
    request = tokens.consume(token, purpose=TokenPurpose.DOWNLOAD)
    if not request.package_name or not default_storage.exists(request.package_name):
        raise tokens.invalid_link()
    with default_storage.open(request.package_name, "rb") as handle:
        content = handle.read()
    log(
        request=request,
        kind=EventKind.DOWNLOADED,
        actor=Actor.for_system("portal"),
        detail={"bytes": len(content)},
    )
    return request, content


def reissue_download_link(*, actor: Actor, request: DataSubjectRequest) -> None:
    """A new link when the first one expired or was lost. The package is sent as it was if it
    is still stored; once the clean-up has deleted it, it is built again from the data held
    now. Never after an erasure of the person: their packages are gone and stay gone."""
    require_perm(actor, "rights.change_datasubjectrequest")
    with discard_on_failure() as saved, transaction.atomic():
        request = lock(request.pk)
        if (
            request.request_type not in (RequestType.ACCESS, RequestType.PORTABILITY)
            or request.status != RequestStatus.DONE
            or request.subject_id is None
        ):
            raise DomainError(
                code=RightsErrorCode.INVALID_STATE,
                status=409,
                message=_("This request has no data package."),
            )
        if request.person is None or erasure_started(request.subject_id):
            raise DomainError(
                code=RightsErrorCode.ERASED,
                status=409,
                message=_("The person's data has been erased: no data package can be sent."),
            )
        if not request.package_name or not default_storage.exists(request.package_name):
            _build(request, request.person, actor, saved, rebuilt=True)
        token = tokens.issue(
            request=request, purpose=TokenPurpose.DOWNLOAD, hours=config.download_link_hours()
        )
        letter(
            request=request,
            name="package_ready",
            actor=actor,
            context={
                "link": download_url(token, request),
                "hours": config.download_link_hours(),
                "delivery": request.result.get("delivery"),
            },
        )


HANDLERS: dict[RequestType, Callable[[int, Actor], None]] = {
    RequestType.ACCESS: _package,
    RequestType.PORTABILITY: _package,
    RequestType.ERASURE: erasure.erase,
    RequestType.RESTRICTION: measures.restrict,
    RequestType.OBJECTION: measures.object_,
    RequestType.CONSENT_WITHDRAWAL: measures.withdraw_consents,
    RequestType.RECTIFICATION: rectification.run,
}
