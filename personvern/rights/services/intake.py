"""Receiving and verifying requests.

The portal and the API answer every submission the same way, whether or not the address is
in the register: the acknowledgement with the verification link goes to the address given,
which is the requester's own. Only once they have proved control of it by the single-use link
is the address matched with the register (through ``find_people``, the only look-up by
e-mail), and only then does any reply say whether we hold data about them."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.dates import answer_due
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect
from personvern.core.validation import normalise_email
from personvern.processing.choices import LegalBasis
from personvern.processing.models import ProcessingActivity
from personvern.register.models import Person
from personvern.register.selectors import find_people

from .. import config, tokens
from ..choices import (
    EventKind,
    Language,
    ObjectionScope,
    ReceivedChannel,
    RequestStatus,
    RequestType,
    RightsErrorCode,
    TokenPurpose,
    VerificationMethod,
)
from ..delivery import check_destination
from ..links import portal_link
from ..models import DataSubjectRequest
from .common import (
    letter,
    letters_last,
    lock,
    new_reference,
    require_open,
    require_perm,
    require_text,
)
from .events import log


def due_on(received_at: datetime.datetime) -> datetime.date:
    """One calendar month from receipt, or the organisation's shorter promise
    (``config.deadline_days``) where it comes first (``core.dates.answer_due``)."""
    return answer_due(timezone.localdate(received_at), config.deadline_days())


def verify_url(token: str, request: DataSubjectRequest) -> str:
    return portal_link("verify", token=token, request=request)


def _validate(
    *,
    request_type: str,
    language: str,
    channel: str,
    email: str,
    destination_url: str,
    objection_scopes: Sequence[str],
    consent_purposes: Sequence[ProcessingActivity],
) -> str:
    errors: list[FieldError] = []
    if request_type not in RequestType.values:
        errors.append(
            FieldError(
                "request_type", RightsErrorCode.INVALID_TYPE, _("Select a valid type of request.")
            )
        )
    if language not in Language.values:
        errors.append(FieldError("language", RightsErrorCode.INVALID_LANGUAGE, _("Use nb or en.")))
    if channel not in ReceivedChannel.values:
        errors.append(
            FieldError(
                "received_channel", RightsErrorCode.INVALID_CHANNEL, _("Select a valid channel.")
            )
        )
    normalised = ""
    try:
        normalised = normalise_email(email, field="email")
    except DomainError as exc:
        errors.extend(exc.errors)
    if destination_url:
        if request_type != RequestType.PORTABILITY:
            errors.append(
                FieldError(
                    "destination_url",
                    RightsErrorCode.INVALID_DESTINATION,
                    _("Only a portability request sends data elsewhere."),
                )
            )
        else:
            try:
                check_destination(destination_url)
            except DomainError as exc:
                errors.extend(exc.errors)
    if request_type == RequestType.OBJECTION and (
        not objection_scopes or set(objection_scopes) - set(ObjectionScope.values)
    ):
        errors.append(
            FieldError(
                "objection_scopes",
                RightsErrorCode.INVALID_OBJECTION_SCOPE,
                _("Choose what you object to."),
            )
        )
    if any(p.legal_basis != LegalBasis.CONSENT for p in consent_purposes):
        errors.append(
            FieldError(
                "consent_purposes",
                RightsErrorCode.INVALID_PURPOSE,
                _("Choose purposes that rest on consent."),
            )
        )
    collect(errors)
    return normalised


@transaction.atomic
def submit_request(
    *,
    actor: Actor,
    request_type: str,
    email: str,
    language: str = Language.NB,
    channel: str = ReceivedChannel.PORTAL,
    details: str = "",
    destination_url: str = "",
    objection_scopes: Sequence[str] = (),
    consent_purposes: Iterable[ProcessingActivity] = (),
    verification_note: str = "",
) -> DataSubjectRequest:
    """Receive a request. Staff entering one received by phone, letter or e-mail may verify
    it at once with a note on how they did (which needs the verify permission, as verifying
    later does); otherwise the person gets a verification link."""
    check_may_verify(actor, verification_note)
    purposes = list(consent_purposes)
    normalised = _validate(
        request_type=request_type,
        language=language,
        channel=channel,
        email=email,
        destination_url=destination_url,
        objection_scopes=objection_scopes,
        consent_purposes=purposes,
    )
    if channel in ReceivedChannel.staff():
        require_perm(actor, "rights.add_datasubjectrequest")
        if actor.user is None:
            raise DomainError(
                code=RightsErrorCode.INVALID_CHANNEL,
                message=_("A staff member takes down requests made by phone, letter or e-mail."),
                field="received_channel",
            )
    now = timezone.now()
    request = DataSubjectRequest.objects.create(
        reference=new_reference(),
        request_type=request_type,
        contact_email=normalised,
        language=language,
        received_channel=channel,
        received_by=actor.user if channel in ReceivedChannel.staff() else None,
        received_at=now,
        due_on=due_on(now),
        details=details.strip(),
        destination_url=destination_url.strip(),
        objection_scopes=sorted(set(objection_scopes)),
    )
    request.consent_purposes.set(purposes)
    log(
        request=request,
        kind=EventKind.SUBMITTED,
        actor=actor,
        detail={"channel": channel},
        fields=("request_type", "contact_email", "details"),
    )
    if verification_note.strip():
        # Both letters go after the fulfilment job is queued, in this order.
        with letters_last():
            letter(request=request, name="acknowledged", actor=actor, context={"link": ""})
            _verify(request, actor=actor, method=VerificationMethod.STAFF, note=verification_note)
    else:
        token = tokens.issue(
            request=request, purpose=TokenPurpose.VERIFY, hours=config.verify_link_hours()
        )
        letter(
            request=request,
            name="acknowledged",
            actor=actor,
            context={"link": verify_url(token, request), "hours": config.verify_link_hours()},
        )
    return request


def check_may_verify(actor: Actor, note: str) -> None:
    """A verification note verifies the request: only those who may verify may give one (the
    website's API token may add requests, never verify them)."""
    if note.strip() and not actor.has_perm("rights.verify_datasubjectrequest"):
        raise DomainError(
            code=CoreErrorCode.PERMISSION_DENIED,
            status=403,
            field="verification_note",
            message=_(
                "You may not verify a person's identity. Leave the note empty: "
                "the person is sent a link instead."
            ),
        )


@transaction.atomic
def verify_by_token(*, token: str, actor: Actor) -> DataSubjectRequest:
    """The person followed the link and confirmed: they control the address."""
    request = tokens.consume(token, purpose=TokenPurpose.VERIFY)
    if request.status != RequestStatus.AWAITING_VERIFICATION:
        raise tokens.invalid_link()
    _verify(request, actor=actor, method=VerificationMethod.EMAIL_LINK, note="")
    return request


def _require_awaiting_verification(request: DataSubjectRequest) -> None:
    require_open(request)
    if request.status != RequestStatus.AWAITING_VERIFICATION:
        raise DomainError(
            code=RightsErrorCode.INVALID_STATE,
            message=_("This request is already verified."),
            status=409,
        )


@transaction.atomic
def verify_by_staff(*, actor: Actor, request: DataSubjectRequest, note: str) -> DataSubjectRequest:
    """Staff verified the person's identity another way (in person, a known phone number);
    the note says how, without copying identity documents."""
    require_perm(actor, "rights.verify_datasubjectrequest")
    request = lock(request.pk)
    _require_awaiting_verification(request)
    _verify(request, actor=actor, method=VerificationMethod.STAFF, note=note)
    return request


def _verify(request: DataSubjectRequest, *, actor: Actor, method: str, note: str) -> None:
    with letters_last():  # the job is queued before the letters go
        _verify_and_schedule(request, actor=actor, method=method, note=note)


def _verify_and_schedule(
    request: DataSubjectRequest, *, actor: Actor, method: str, note: str
) -> None:
    if method == VerificationMethod.STAFF:
        note = require_text(
            note,
            field="note",
            code=RightsErrorCode.NOTE_REQUIRED,
            message=_("Say how the person's identity was verified."),
        )
    request.status = RequestStatus.VERIFIED
    request.verified_at = timezone.now()
    request.verification_method = method
    request.verification_note = note
    request.save(
        update_fields=["status", "verified_at", "verification_method", "verification_note"]
    )
    log(request=request, kind=EventKind.VERIFIED, actor=actor, detail={"method": method})
    letter(request=request, name="verified", actor=actor)
    people = list(find_people(email=request.contact_email)[:2])
    if len(people) > 1:
        log(request=request, kind=EventKind.SEVERAL_MATCHES, actor=actor)
        return
    if people:
        _match(request, people[0], actor=actor)
    else:
        log(request=request, kind=EventKind.NO_MATCH, actor=actor)
    schedule_fulfilment(request)


def _match(request: DataSubjectRequest, person: Person, *, actor: Actor) -> None:
    request.person = person
    request.subject_id = person.pk
    request.save(update_fields=["person", "subject_id"])
    log(request=request, kind=EventKind.PERSON_MATCHED, actor=actor)


@transaction.atomic
def match_person(
    *, actor: Actor, request: DataSubjectRequest, person: Person
) -> DataSubjectRequest:
    """Several people share the address: staff says which one the request is about. It must
    be one of them: the request's address was verified, not the chosen person's."""
    require_perm(actor, "rights.verify_datasubjectrequest")
    request = lock(request.pk)
    require_open(request)
    if request.status == RequestStatus.AWAITING_VERIFICATION or request.person_id is not None:
        raise DomainError(
            code=RightsErrorCode.INVALID_STATE,
            message=_("Match a verified request that has no person yet."),
            status=409,
        )
    if (
        request.contact_email
        and not find_people(email=request.contact_email).filter(pk=person.pk).exists()
    ):
        raise DomainError(
            code=RightsErrorCode.NOT_A_MATCH,
            field="person_id",
            message=_("Choose one of the people registered with the request's e-mail address."),
        )
    _match(request, person, actor=actor)
    schedule_fulfilment(request)
    return request


@transaction.atomic
def resend_verification_link(*, actor: Actor, request: DataSubjectRequest) -> DataSubjectRequest:
    """Staff send the person a new verification link (the first was lost or expired); the
    links sent before stop working, and the request lapses only once this one has expired."""
    require_perm(actor, "rights.change_datasubjectrequest")
    request = lock(request.pk)
    _require_awaiting_verification(request)
    now = timezone.now()
    request.tokens.filter(purpose=TokenPurpose.VERIFY, used_at__isnull=True).update(used_at=now)
    token = tokens.issue(
        request=request, purpose=TokenPurpose.VERIFY, hours=config.verify_link_hours()
    )
    log(request=request, kind=EventKind.VERIFICATION_RESENT, actor=actor)
    letter(
        request=request,
        name="acknowledged",
        actor=actor,
        context={"link": verify_url(token, request), "hours": config.verify_link_hours()},
    )
    return request


# The fulfilment job (``tasks.fulfil_request_task``) sits above the services it calls: its
# ``enqueue`` is handed here from ``apps.py``, so that the services never import the tasks.
_FULFILMENT_JOB: dict[str, Callable[[int], object]] = {}


def use_fulfilment_job(enqueue: Callable[[int], object]) -> None:
    _FULFILMENT_JOB["enqueue"] = enqueue


def schedule_fulfilment(request: DataSubjectRequest) -> None:
    """Enqueue the background job once this transaction commits (it takes only the id)."""
    try:
        enqueue = _FULFILMENT_JOB["enqueue"]
    except KeyError:
        raise LookupError("No fulfilment job registered (rights apps.py)") from None
    transaction.on_commit(partial(enqueue, request.pk))


@transaction.atomic
def rerun_fulfilment(*, actor: Actor, request: DataSubjectRequest) -> None:
    """Run the job again (after a crash, say): it continues where it stopped."""
    require_perm(actor, "rights.change_datasubjectrequest")
    require_open(request)
    log(request=request, kind=EventKind.STARTED, actor=actor, detail={"rerun": True})
    schedule_fulfilment(request)
