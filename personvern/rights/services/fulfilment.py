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
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.register.models import Person

from .. import config, tokens
from ..choices import (
    EventKind,
    RequestStatus,
    RequestType,
    RightsErrorCode,
    SourceStatus,
    TokenPurpose,
)
from ..links import portal_link
from ..models import DataSubjectRequest
from ..package import SourceFailed, build_package
from ..sources import configured_sources
from . import erasure, manual, measures, rectification, transfer
from .common import complete, letter, lock, require_perm, start
from .events import log
from .packages import delete_package, discard_on_failure, erasure_started, save_package

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
        stop = _begin(request, actor)
    if stop == SUPPLEMENT:
        _supplement(request_id, actor)
        return str(RequestStatus.DONE)
    if stop is not None:
        return stop
    handler = HANDLERS[RequestType(request.request_type)]
    handler(request_id, actor)
    return str(DataSubjectRequest.objects.values_list("status", flat=True).get(pk=request_id))


SUPPLEMENT = "supplement"


def _begin(request: DataSubjectRequest, actor: Actor) -> str | None:
    """The locked first part of the job: None to go on to the type's handler, else the status
    to return (``SUPPLEMENT``: an answered package's supplement is due)."""
    if request.status not in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS):
        return SUPPLEMENT if supplement_pending(request) else str(request.status)
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
    return None


def _erasure_resumes(request: DataSubjectRequest) -> bool:
    return request.request_type == RequestType.ERASURE and bool(request.source_states)


def _new_download_link(request: DataSubjectRequest) -> dict[str, Any]:
    """A new single-use download link, for the letter that sends it, and its hours."""
    hours = config.download_link_hours()
    token = tokens.issue(request=request, purpose=TokenPurpose.DOWNLOAD, hours=hours)
    return {"link": download_url(token, request), "hours": hours}


def download_url(token: str, request: DataSubjectRequest) -> str:
    return portal_link("download", token=token, request=request)


def _package(request_id: int, actor: Actor) -> None:
    """Access (Art. 15) and portability (Art. 20): build the package; for portability with a
    destination, POST the JSON there (outside any transaction: a network call must not hold a
    lock), retrying as configured, and record the receipt; then send the single-use download
    link — with the receipt, or, when every attempt failed, with a letter that says so.

    A source that fails is recorded (``erasure._failed``) and the package waits for its retry
    (``retry_due_sources``); from ``RIGHTS_PARTIAL_PACKAGE_DAYS`` before the deadline it goes
    without that source, the letter and the report naming it as not searched yet, and the
    rest follows once it answers (``_supplement``)."""
    with discard_on_failure() as saved, transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS:
            return
        if not request.package_name:
            assert request.person is not None  # noqa: S101 - checked by ``fulfil``
            document = _build(
                request, request.person, actor, saved, partial=erasure.partial_package_due(request)
            )
            if document is None:
                return  # a source failed: recorded, retried with backoff
        else:
            document = None
    delivery = request.result.get("delivery")
    if request.destination_url and delivery is None:
        if document is None:
            with transaction.atomic():
                assert request.person is not None  # noqa: S101
                package = build_package(
                    request=request,
                    person=request.person,
                    skip=request.result.get("not_searched", ()),
                )
                package.file.close()
                document = package.document
        delivery = transfer.deliver(
            request_id=request_id, actor=actor, url=request.destination_url, document=document
        )
    with transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS:
            return
        failed = delivery is not None and not delivery.get("delivered", True)
        complete(
            request,
            actor=actor,
            result={},
            name="delivery_failed" if failed else "package_ready",
            context={
                **_new_download_link(request),
                "delivery": delivery,
                **_systems(request),
            },
        )


def _build(
    request: DataSubjectRequest,
    person: Person,
    actor: Actor,
    saved: list[str],
    *,
    partial: bool = False,
    replace: bool = False,
    **detail: Any,
) -> dict[str, Any] | None:
    """Build and store the package, name it on the request; returns the data.json document.
    Runs inside the caller's transaction, within ``discard_on_failure`` (``saved``).

    A source that fails is recorded as failing (its reason code, retried with backoff); then
    None, nothing stored, or with ``partial`` the package is built again without it. With
    ``replace`` the stored package (and its unused links) goes once the new one is stored."""
    skip: set[str] = set()
    while True:
        try:
            package = build_package(request=request, person=person, skip=skip)
            break
        except SourceFailed as exc:
            erasure._failed(request.pk, exc.source, exc.reason, actor)
            request.refresh_from_db(fields=["source_states"])
            if not partial:
                return None
            skip.add(exc.source.key)
    if replace:
        delete_package(request, actor=actor, reason="supplement")
    with package.file:
        request.package_name = save_package(request, package.file, saved)
    records: dict[str, int] = {}
    for name, count in package.counts.items():
        key = name.rpartition(".")[0]
        records[key] = records.get(key, 0) + count
    request.source_states = {
        **request.source_states,
        **{
            key: {"status": SourceStatus.DONE, "report": {"records": records.get(key, 0)}}
            for key in package.document["sources"]
        },
    }
    result = {**request.result, "counts": package.counts}
    result.pop("not_searched", None)
    if skip:
        result["not_searched"] = sorted(skip)
    request.result = result
    request.save(update_fields=["package_name", "result", "source_states"])
    log(
        request=request,
        kind=EventKind.PACKAGE_BUILT,
        actor=actor,
        detail={"records": sum(package.counts.values()), **detail},
    )
    return package.document


def supplement_pending(request: DataSubjectRequest) -> bool:
    """An answered access or portability request whose package went without a source."""
    return (
        request.status == RequestStatus.DONE
        and request.request_type in (RequestType.ACCESS, RequestType.PORTABILITY)
        and bool(request.result.get("not_searched"))
    )


def _supplement(request_id: int, actor: Actor) -> None:
    """The sources a package went without answer now: a new package from every source
    replaces the first (whose unused link stops working), and the person is sent its link.
    A source that still fails is recorded and retried with backoff; after an erasure of the
    person nothing is sent (nothing is left to send)."""
    with discard_on_failure() as saved, transaction.atomic():
        request = lock(request_id)
        if not supplement_pending(request):
            return
        missing = list(request.result["not_searched"])
        if (
            request.person is None
            or request.subject_id is None
            or erasure_started(request.subject_id)
        ):
            result = {k: v for k, v in request.result.items() if k != "not_searched"}
            request.result = {**result, "supplement": "erased"}
            request.save(update_fields=["result"])
            return
        if _build(request, request.person, actor, saved, replace=True) is None:
            return  # a source still fails: recorded, retried with backoff
        request.result = {**request.result, "supplemented": missing}
        request.save(update_fields=["result"])
        letter(
            request=request,
            name="package_supplement",
            actor=actor,
            context={
                **_new_download_link(request),
                **_systems(request, always=True),
                "supplemented": _names(request, missing),
            },
        )


def _names(request: DataSubjectRequest, keys: list[str]) -> list[str]:
    """The systems' names, in the person's language (never a source's error)."""
    if not keys:
        return []
    labels = {source.key: source.label for source in configured_sources()}
    language = request.language if request.language in ("nb", "en") else "nb"
    with translation.override(language):
        return [str(labels.get(key, key)) for key in keys]


def _systems(request: DataSubjectRequest, *, always: bool = False) -> dict[str, list[str]]:
    """For the letter: the systems searched and those that could not be searched yet (only
    when a system could not, unless ``always``: the letter then names none)."""
    not_searched = list(request.result.get("not_searched", []))
    if not (not_searched or always):
        return {"searched": [], "not_searched": []}
    searched = [
        key
        for key, state in request.source_states.items()
        if state.get("status") == SourceStatus.DONE and key not in not_searched
    ]
    names = _names(request, searched + not_searched)
    return {"searched": names[: len(searched)], "not_searched": names[len(searched) :]}


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
        stored = request.package_name and default_storage.exists(request.package_name)
        if not stored and _build(request, request.person, actor, saved, rebuilt=True) is None:
            raise DomainError(
                code=RightsErrorCode.SOURCE_FAILED,
                status=503,
                message=_("A data source cannot be reached now. Try again later."),
            )
        letter(
            request=request,
            name="package_ready",
            actor=actor,
            context={
                **_new_download_link(request),
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
