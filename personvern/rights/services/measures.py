"""Restriction (Art. 18), objection (Art. 21) and consent withdrawal (Art. 7(3));
rectification (Art. 16) is in ``rectification``.

A restriction request restricts every data source, source by source (``across``): an
external source outside our transaction, retried with backoff when it fails, a manual source
through its staff member's task; the reply says system by system what was done.

An objection's interim restriction (Art. 18(1)(d)), its lift when the objection is decided
and the privacy officer's lift of a restriction (Art. 18(3)) go the same way, as steps of
the request (``steps``): the register changes in the transaction that decides it, every
other source by the step's job after it commits. No letter claims more than the sources'
states say was done."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.consent.choices import ConsentAction, ConsentMethod
from personvern.consent.models import ConsentState
from personvern.consent.services import (
    Evidence,
    Subject,
    object_to_direct_marketing,
    withdraw_consent,
)
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.processing.choices import LegalBasis
from personvern.register.models import Person

from .. import letters
from ..choices import (
    EventKind,
    ObjectionScope,
    ReceivedChannel,
    RequestStatus,
    RequestType,
    RightsErrorCode,
    TaskStep,
)
from ..links import new_status_link
from ..models import DataSubjectRequest
from ..package import activities_for
from ..sources import DataSource, configured_sources
from . import across, manual, steps
from .common import (
    complete,
    letter,
    lock,
    matched_person,
    require_open,
    require_perm,
    require_text,
)
from .events import log

STEP_ACTOR = Actor.for_system("rights-restriction")
# In the objection's result once the person is told the interim restriction is in place.
INTERIM_TOLD = "interim_restriction_told"


def _order(request: DataSubjectRequest, step: str, *, actor: Actor) -> None:
    """Order an interim restriction or a lift, in the caller's transaction (the request is
    locked): the register, which contact checks and staff edits read, changes now; every
    other source is left to the step's job, enqueued on commit; each manual source gets its
    staff member's task."""
    on = step == TaskStep.RESTRICT
    steps.order(request, step)
    request.save(update_fields=["result"])
    person = matched_person(request)
    for source in configured_sources():
        if source.holds_identity and not across.is_done(request, source, step):
            report = source.restrict(person, on=on, actor=actor, job=request.reference)
            across.record_done(request, source, report, actor, step=step)
    kind = EventKind.RESTRICTED if on else EventKind.RESTRICTION_LIFTED
    log(request=request, kind=kind, actor=actor, detail={"step": step})
    manual.ensure_tasks(request, actor=actor, step=step)
    steps.schedule(request, step)


def run_step(request_id: int, step: str, actor: Actor = STEP_ACTOR) -> None:
    """The step's job: restrict (or lift) in every source not done yet, each recorded under
    the step's own keys; safe to run again. Once an interim restriction is in place
    everywhere, the person is told, system by system."""
    step = TaskStep(step)
    if step == TaskStep.REQUEST:
        raise ValueError("run_step runs an interim restriction or a lift, not a request")
    on = step == TaskStep.RESTRICT
    sources = configured_sources()

    def call(source: DataSource, person: Person, job: str) -> dict[str, Any]:
        return source.restrict(person, on=on, actor=actor, job=job)

    if not across.run_all(request_id, sources, actor, call, step):
        return  # a source failed (retried later), waits for a task, or the step is over
    if step != TaskStep.RESTRICT:
        return
    with transaction.atomic():
        request = lock(request_id)
        if not steps.active(request, step) or request.result.get(INTERIM_TOLD):
            return
        outcomes, _short = across.systems(request, sources, "restrict", step)
        request.result = {**request.result, INTERIM_TOLD: True}
        request.save(update_fields=["result"])
        letter(
            request=request,
            name="objection_recorded",
            actor=actor,
            context={"pending": True, "outcomes": outcomes if len(sources) > 1 else []},
        )


def _not_restricted(request: DataSubjectRequest) -> list[str]:
    """The systems where the interim restriction is not (yet) in place, by their states, in
    the person's language."""
    if not request.result.get("interim_restriction"):
        return []
    with translation.override(request.language if request.language in ("nb", "en") else "nb"):
        return [
            str(source.label)
            for source in configured_sources()
            if not across.is_done(request, source, TaskStep.RESTRICT)
        ]


def _evidence(request: DataSubjectRequest) -> Evidence:
    return Evidence(form_id=f"rights-request:{request.reference}")


def _ledger_actor_and_method(request: DataSubjectRequest, actor: Actor) -> tuple[Actor, str]:
    """The ledger names who recorded the choice: the staff member who took a request down
    by phone, letter or e-mail, or the person themselves through the portal or website."""
    if request.received_channel in ReceivedChannel.staff() and request.received_by is not None:
        return Actor(user=request.received_by), ConsentMethod.STAFF_REQUEST
    if request.received_channel == ReceivedChannel.API:
        return actor, ConsentMethod.WEB_FORM
    return actor, ConsentMethod.PORTAL_CHECKBOX


def restrict(request_id: int, actor: Actor) -> None:
    sources = configured_sources()

    def call(source: DataSource, person: Person, job: str) -> dict[str, Any]:
        return source.restrict(person, on=True, actor=actor, job=job)

    if not across.run_all(request_id, sources, actor, call):
        return  # a source failed (retried later) or waits for a task
    with transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS:
            return
        outcomes, _short = across.systems(request, sources, "restrict")
        log(request=request, kind=EventKind.RESTRICTED, actor=actor)
        complete(
            request,
            actor=actor,
            result={"restricted": True},
            name="restricted",
            context={"outcomes": outcomes if len(sources) > 1 else []},
        )


def lift_restriction(*, actor: Actor, request: DataSubjectRequest, reason: str) -> None:
    """The privacy officer lifts a restriction that a restriction request put in place. The
    person is told first: the notice is sent before anything changes, and if it cannot be sent
    nothing is lifted (Art. 18(3)). The register is lifted at once; every other source by the
    lift's job (``run_step``), a manual source through its staff member's task. An
    objection's interim restriction is lifted by deciding the objection instead."""
    require_perm(actor, "rights.decide_datasubjectrequest")
    request = DataSubjectRequest.objects.select_related("person").get(pk=request.pk)
    if request.request_type != RequestType.RESTRICTION or request.status != RequestStatus.DONE:
        raise DomainError(
            code=RightsErrorCode.NOT_A_RESTRICTION,
            status=409,
            message=_("Only a fulfilled restriction request can have its restriction lifted."),
        )
    reason = require_text(
        reason,
        field="reason",
        code=RightsErrorCode.REASON_REQUIRED,
        message=_("Give the reason for lifting the restriction."),
    )
    person = matched_person(request)
    if person.processing_restricted_since is None:
        raise DomainError(
            code=RightsErrorCode.NOT_RESTRICTED,
            status=409,
            message=_("Processing of this person is not restricted."),
        )
    letters.send_now(
        request,
        "restriction_lifting",
        {"reason": reason, "status_link": new_status_link(request)},
    )
    with transaction.atomic():
        request = lock(request.pk)
        request.lift_announced_at = timezone.now()
        request.save(update_fields=["lift_announced_at"])
        log(
            request=request,
            kind=EventKind.LIFT_ANNOUNCED,
            actor=actor,
            detail={"letter": "restriction_lifting", "language": request.language},
        )
        _order(request, TaskStep.LIFT, actor=actor)


@transaction.atomic
def object_(request_id: int, actor: Actor) -> None:
    """An objection to direct marketing is absolute: written to the ledger at once. One to
    legitimate-interest processing restricts it while the privacy officer weighs whether
    compelling grounds override (Art. 18(1)(d)): the register at once, the other sources by
    the step's job, which tells the person once it is in place everywhere (``run_step``);
    ``decide_objection`` answers."""
    request = lock(request_id)
    if request.status != RequestStatus.IN_PROGRESS or request.objection_decided_at:
        return
    person = matched_person(request)
    if ObjectionScope.DIRECT_MARKETING in request.objection_scopes and not request.result.get(
        "direct_marketing_objection"
    ):
        ledger_actor, method = _ledger_actor_and_method(request, actor)
        event = object_to_direct_marketing(
            actor=ledger_actor, person=person, method=method, evidence=_evidence(request)
        )
        request.result = {**request.result, "direct_marketing_objection": event.sequence}
        request.save(update_fields=["result"])
        log(
            request=request,
            kind=EventKind.OBJECTION_RECORDED,
            actor=actor,
            detail={"scope": ObjectionScope.DIRECT_MARKETING, "ledger_sequence": event.sequence},
        )
    if ObjectionScope.LEGITIMATE_INTEREST in request.objection_scopes:
        if request.result.get("interim_restriction"):
            steps.schedule(request, TaskStep.RESTRICT)  # run again: it goes on where it was
        elif person.processing_restricted_since is None:
            request.result = {**request.result, "interim_restriction": True}
            _order(request, TaskStep.RESTRICT, actor=actor)
            log(
                request=request,
                kind=EventKind.OBJECTION_RECORDED,
                actor=actor,
                detail={"scope": ObjectionScope.LEGITIMATE_INTEREST},
            )
        return
    complete(request, actor=actor, result={}, name="objection_recorded", context={"pending": False})


@transaction.atomic
def uphold_legitimate_interest_objection(
    *, actor: Actor, person: Person, request: DataSubjectRequest
) -> Person:
    """Mark the person's objection to processing on legitimate interest (Art. 21(1)) as
    upheld: from then on every contact check refuses activities on legitimate interest for
    them (``ContactReason.OBJECTION_UPHELD``). Kept until staff clear it by hand, never
    automatically; a second upheld objection keeps the first date."""
    if person.legitimate_interest_objection_since is None:
        person.legitimate_interest_objection_since = timezone.now()
        person.save(update_fields=["legitimate_interest_objection_since"])
        record(actor=actor, event=AuditEventType.OBJECTION_UPHELD, obj=person, subject_id=person.pk,
               fields=["legitimate_interest_objection_since"],
               detail={"objection_upheld": True, "request_id": request.pk})  # fmt: skip
    return person


def decide_objection(*, actor: Actor, request: DataSubjectRequest, compelling_grounds: str) -> None:
    """The privacy officer's decision on an objection to legitimate-interest processing.

    With compelling grounds (recorded and sent), processing continues. Without, the objection
    is upheld: the person is marked so that every activity on legitimate interest stops for
    them (contact checks refuse it), and the reply lists those activities. An objection to
    direct marketing in the same request was written to the ledger when it was made; none is
    written for an objection that did not include direct marketing. Either way the interim
    restriction is lifted after the person has been told: the register at once, the other
    sources by the lift's job; the letter names the systems where it was not yet in place.

    The letter goes first, synchronously; the decision, the ledger entry, the lift and the
    completion are then recorded in one transaction. If the letter cannot be sent nothing is
    recorded (``mail_failed``, 503) and the officer may decide again; a decided objection is
    never decided twice."""
    require_perm(actor, "rights.decide_datasubjectrequest")
    request = lock_open_objection(request)
    person = matched_person(request)
    grounds = compelling_grounds.strip()
    activities = [
        a.name for a in activities_for(person) if a.legal_basis == LegalBasis.LEGITIMATE_INTEREST
    ]
    direct_marketing = ObjectionScope.DIRECT_MARKETING in request.objection_scopes
    context: dict[str, Any] = {
        "grounds": grounds,
        "activities": activities,
        "direct_marketing": direct_marketing,
        "interim": bool(request.result.get("interim_restriction")),
        "not_restricted": _not_restricted(request),
    }
    # Told before the interim restriction is lifted (Art. 18(3)); no lock is held meanwhile.
    letters.send_now(
        request, "objection_decided", {**context, "status_link": new_status_link(request)}
    )
    with transaction.atomic():
        request = lock(request.pk)
        _check_objection_awaits_decision(request)
        request.compelling_grounds = grounds
        request.objection_decided_at = timezone.now()
        request.save(update_fields=["compelling_grounds", "objection_decided_at"])
        log(
            request=request,
            kind=EventKind.OBJECTION_DECIDED,
            actor=actor,
            detail={"upheld": not grounds},
            fields=("compelling_grounds",),
        )
        if not grounds:
            person = uphold_legitimate_interest_objection(
                actor=actor, person=matched_person(request), request=request
            )
            # ``object_`` wrote a direct-marketing objection when the request was made; this
            # only makes sure of it, and writes none when the person did not object to that.
            if direct_marketing and not request.result.get("direct_marketing_objection"):
                ledger_actor, method = _ledger_actor_and_method(request, actor)
                event = object_to_direct_marketing(
                    actor=ledger_actor, person=person, method=method, evidence=_evidence(request)
                )
                request.result = {**request.result, "direct_marketing_objection": event.sequence}
        request.result = {
            **request.result,
            "upheld": not grounds,
            "stopped_activities": [] if grounds else activities,
        }
        request.save(update_fields=["result"])
        log(
            request=request,
            kind=EventKind.LETTER,
            actor=actor,
            detail={"letter": "objection_decided", "language": request.language},
        )
        if request.result.get("interim_restriction"):
            _order(request, TaskStep.LIFT, actor=actor)
        complete(request, actor=actor, result={}, name=None)


def lock_open_objection(request: DataSubjectRequest) -> DataSubjectRequest:
    """The request, fresh, if it is an objection awaiting the privacy officer's decision."""
    request = DataSubjectRequest.objects.select_related("person").get(pk=request.pk)
    _check_objection_awaits_decision(request)
    return request


def _check_objection_awaits_decision(request: DataSubjectRequest) -> None:
    require_open(request)
    if (
        request.request_type != RequestType.OBJECTION
        or ObjectionScope.LEGITIMATE_INTEREST not in request.objection_scopes
        or request.status != RequestStatus.IN_PROGRESS
        or request.objection_decided_at is not None
    ):
        raise DomainError(
            code=RightsErrorCode.INVALID_STATE,
            status=409,
            message=_("There is no objection awaiting a decision."),
        )


@transaction.atomic
def withdraw_consents(request_id: int, actor: Actor) -> None:
    """Withdraw the chosen consents (all when none were chosen) through the ledger."""
    request = lock(request_id)
    if request.status != RequestStatus.IN_PROGRESS:
        return
    person = matched_person(request)
    states = ConsentState.objects.filter(
        person=person, action=ConsentAction.GRANTED, purpose__isnull=False
    ).select_related("purpose")
    chosen = list(request.consent_purposes.values_list("pk", flat=True))
    if chosen:
        states = states.filter(purpose_id__in=chosen)
    ledger_actor, method = _ledger_actor_and_method(request, actor)
    withdrawn = []
    for state in states.order_by("pk"):
        assert state.purpose is not None  # noqa: S101 - filtered above
        withdraw_consent(
            actor=ledger_actor,
            subject=Subject(person=person),
            purpose=state.purpose,
            channel=state.channel,
            method=method,
            evidence=_evidence(request),
        )
        withdrawn.append({"purpose": state.purpose.name, "channel": state.channel})
    log(
        request=request,
        kind=EventKind.CONSENTS_WITHDRAWN,
        actor=actor,
        detail={"count": len(withdrawn)},
    )
    complete(
        request,
        actor=actor,
        result={"withdrawn": withdrawn},
        name="consents_withdrawn",
        context={"withdrawn": withdrawn},
    )
