"""API handlers for consent: record and withdraw, read state and ledger, check, import."""

from __future__ import annotations

from collections import Counter

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from personvern.accounts.auth import ApiRequest, api_actor, require_perm
from personvern.core.api import DbId, existing
from personvern.processing.models import ProcessingActivity
from personvern.register.models import Person
from personvern.register.services import log_person_viewed

from . import services
from .choices import ContactReason
from .imports import import_leads
from .models import ConsentEvent, ConsentState, ConsentText
from .permissions import bulk_check, can_contact
from .schemas import (
    BulkCheckIn,
    BulkCheckOut,
    CheckIn,
    CheckOut,
    ChoicesIn,
    ConsentEventOut,
    ConsentIn,
    EvidenceIn,
    LeadImportIn,
    LeadImportOut,
    LedgerEventOut,
    OptOutOut,
    PersonActionIn,
    ReservationImportIn,
    ReservationImportOut,
    StateOut,
    SubjectIn,
    TextCreateIn,
    TextOut,
    WithdrawalIn,
)

router = Router(tags=["consent"])


def _person(person_id: int) -> Person:
    return existing(
        Person.objects.all(), person_id, field="person_id", message=_("No person with this id.")
    )


def _purpose(purpose_id: int) -> ProcessingActivity:
    return existing(
        ProcessingActivity.objects.all(),
        purpose_id,
        field="purpose_id",
        message=_("No processing activity with this id."),
    )


def _subject(payload: SubjectIn) -> services.Subject:
    person = _person(payload.person_id) if payload.person_id is not None else None
    return services.Subject(person=person, visitor_id=payload.visitor_id)


def _evidence(payload: EvidenceIn) -> services.Evidence:
    return services.Evidence(**payload.model_dump())


@router.get("/texts", response=list[TextOut])
def list_texts(request: ApiRequest, slug: str | None = None) -> QuerySet[ConsentText]:
    """Every published version of every text, newest first."""
    require_perm(request, "consent.view_consenttext")
    texts = ConsentText.objects.all()
    return texts.filter(slug=slug) if slug else texts


@router.post("/texts", response={201: TextOut})
def publish_text(request: ApiRequest, payload: TextCreateIn) -> Status[ConsentText]:
    """Publish a new version; earlier versions stay unchanged."""
    require_perm(request, "consent.add_consenttext")
    text = services.publish_text(actor=api_actor(request), **payload.model_dump())
    return Status(201, text)


@router.post("/events", response={201: ConsentEventOut})
def record_consent(request: ApiRequest, payload: ConsentIn) -> Status[ConsentEvent]:
    """A consent given or refused, with the text shown and the evidence."""
    require_perm(request, "consent.add_consentevent")
    text = existing(
        ConsentText.objects.all(), payload.text_id, field="text_id",
        message=_("No text with this id."),
    )  # fmt: skip
    event = services.record_consent(
        actor=api_actor(request), subject=_subject(payload), purpose=_purpose(payload.purpose_id),
        channel=payload.channel, granted=payload.granted, method=payload.method, text=text,
        evidence=_evidence(payload.evidence),
    )  # fmt: skip
    return Status(201, event)


@router.post("/choices", response={201: list[ConsentEventOut]})
def record_choices(request: ApiRequest, payload: ChoicesIn) -> Status[list[ConsentEvent]]:
    """Several consents given or refused together, appended to the ledger as one batch."""
    require_perm(request, "consent.add_consentevent")
    choices = [
        services.Choice(
            purpose=_purpose(choice.purpose_id), channel=choice.channel, granted=choice.granted,
            text=existing(ConsentText.objects.all(), choice.text_id, field="text_id",
                          message=_("No text with this id.")),
        )
        for choice in payload.choices
    ]  # fmt: skip
    events = services.record_consents(
        actor=api_actor(request), subject=_subject(payload), choices=choices,
        method=payload.method, evidence=_evidence(payload.evidence),
    )  # fmt: skip
    return Status(201, events)


@router.post("/withdrawals", response={201: ConsentEventOut})
def withdraw(request: ApiRequest, payload: WithdrawalIn) -> Status[ConsentEvent]:
    """Withdraw a consent; 409 ``no_consent_to_withdraw`` when there is none to withdraw."""
    require_perm(request, "consent.manage_optouts")
    event = services.withdraw_consent(
        actor=api_actor(request), subject=_subject(payload), purpose=_purpose(payload.purpose_id),
        channel=payload.channel, method=payload.method, evidence=_evidence(payload.evidence),
    )  # fmt: skip
    return Status(201, event)


@router.post("/objections", response={201: ConsentEventOut})
def object_to_marketing(request: ApiRequest, payload: PersonActionIn) -> Status[ConsentEvent]:
    """An objection to direct marketing (Art. 21(3)): every marketing channel stops."""
    require_perm(request, "consent.manage_optouts")
    event = services.object_to_direct_marketing(
        actor=api_actor(request), person=_person(payload.person_id), method=payload.method,
        evidence=_evidence(payload.evidence),
    )  # fmt: skip
    return Status(201, event)


@router.post("/opt-outs", response=OptOutOut)
def opt_out(request: ApiRequest, payload: PersonActionIn) -> services.OptOutResult:
    """Opt out of everything: withdraw all consents, object, and suppress the addresses."""
    require_perm(request, "consent.manage_optouts")
    return services.opt_out_of_everything(
        actor=api_actor(request), person=_person(payload.person_id), method=payload.method,
        evidence=_evidence(payload.evidence),
    )  # fmt: skip


@router.get("/people/{int:person_id}/state", response=list[StateOut])
def person_state(request: ApiRequest, person_id: DbId) -> QuerySet[ConsentState]:
    """The person's current consents and objection (audited as a view)."""
    require_perm(request, "consent.view_consentstate")
    person = get_object_or_404(Person, pk=person_id)
    log_person_viewed(actor=api_actor(request), person=person, via="api:consent-state")
    return ConsentState.objects.filter(person=person).order_by("purpose_id", "channel")


@router.get("/people/{int:person_id}/ledger", response=list[LedgerEventOut])
def person_ledger(request: ApiRequest, person_id: DbId) -> list[ConsentEvent]:
    """The person's full consent history with the exact texts (audited as a view)."""
    require_perm(request, "consent.view_consentevent")
    person = get_object_or_404(Person, pk=person_id)
    log_person_viewed(actor=api_actor(request), person=person, via="api:consent-ledger")
    return list(
        ConsentEvent.objects.filter(person_id=person.pk).select_related("text").order_by("sequence")
    )


@router.post("/check", response=CheckOut)
def check(request: ApiRequest, payload: CheckIn) -> CheckOut:
    """May this person be contacted on this channel for this purpose? With the reason
    (audited as a view of the person)."""
    require_perm(request, "consent.check_contact")
    person = _person(payload.person_id)
    decision = can_contact(
        person=person, channel=payload.channel, purpose=_purpose(payload.purpose_id),
        at=payload.at,
    )  # fmt: skip
    log_person_viewed(actor=api_actor(request), person=person, via="api:consent-check")
    return CheckOut(
        allowed=decision.allowed,
        reason=decision.reason,
        reason_text=str(ContactReason(decision.reason).label),
        event_id=decision.event_id,
    )


@router.post("/bulk-check", response=BulkCheckOut)
def campaign_check(request: ApiRequest, payload: BulkCheckIn) -> BulkCheckOut:
    """A campaign list: which addresses may be contacted, and why not for the rest. The
    addresses are in the body, answered by index, and never logged; the run is audited with
    the count and the ids of the people the addresses belong to."""
    require_perm(request, "consent.check_contact")
    purpose = _purpose(payload.purpose_id)
    results = bulk_check(
        addresses=payload.addresses, channel=payload.channel, purpose=purpose, at=payload.at
    )
    services.log_campaign_check(
        actor=api_actor(request), addresses=len(results), purpose=purpose,
        channel=payload.channel, subject_ids=(pid for r in results for pid in r.person_ids),
        via="api:consent-bulk-check",
    )  # fmt: skip
    allowed = sum(1 for r in results if r.allowed)
    return BulkCheckOut.model_validate(
        {
            "allowed": allowed,
            "refused": len(results) - allowed,
            "by_reason": dict(Counter(str(r.reason) for r in results)),
            "results": [
                {"index": r.index, "allowed": r.allowed, "reason": r.reason} for r in results
            ],
        }
    )


@router.post("/leads/import", response=LeadImportOut)
def import_third_party_leads(request: ApiRequest, payload: LeadImportIn) -> LeadImportOut:
    """Leads from a third party: rows without proof of consent to share are refused."""
    require_perm(request, "consent.import_leads")
    report = import_leads(
        actor=api_actor(request), source_party=payload.source_party,
        rows=[row.model_dump() for row in payload.rows],
    )  # fmt: skip
    return LeadImportOut.model_validate(
        {"accepted": report.accepted, "refused": [vars(r) for r in report.refused]}
    )


@router.post("/reservations/import", response=ReservationImportOut)
def import_reservations(request: ApiRequest, payload: ReservationImportIn) -> dict[str, int]:
    """Numbers reserved against telemarketing; only keyed hashes are kept."""
    require_perm(request, "consent.manage_optouts")
    return services.import_reservations(
        actor=api_actor(request), numbers=payload.numbers, source=payload.source
    )
