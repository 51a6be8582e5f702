"""May we contact this person, on this channel, for this purpose, now? And why (not)?

One decision function serves the single check and the bulk campaign check; the bulk check
gathers the same facts with a handful of set-based queries for up to 100,000 addresses.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import DomainError
from personvern.core.validation import email_lookup_key, normalise_phone
from personvern.processing.choices import ActivityStatus, CommunicationKind, LegalBasis
from personvern.processing.models import ProcessingActivity
from personvern.register.choices import SubjectCategory
from personvern.register.models import Person

from . import keys
from .choices import Channel, ConsentAction, ConsentErrorCode, ContactReason
from .models import ConsentState, SuppressionEntry, TelemarketingReservation

OSLO = ZoneInfo("Europe/Oslo")
CALLING_HOURS = (datetime.time(9, 0), datetime.time(21, 0))
MAX_BULK = 100_000
CHUNK = 5_000


@dataclass(frozen=True)
class ContactDecision:
    allowed: bool
    reason: ContactReason
    event_id: int | None = None


@dataclass
class Facts:
    """What is known about one recipient, gathered by one or many queries."""

    person_id: int | None = None
    customer: bool = False
    restricted: bool = False
    suppressed: bool = False
    reserved: bool = False
    objection_event: int | None = None
    state: tuple[str, int] | None = None  # (action, event id) for this purpose and channel


@functools.cache
def _norwegian_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NO", years=year)


def within_calling_hours(at: datetime.datetime) -> bool:
    """Weekdays 09:00-21:00 Norwegian time; never on Saturdays, Sundays or public holidays."""
    local = at.astimezone(OSLO)
    if local.weekday() >= 5 or local.date() in _norwegian_holidays(local.year):
        return False
    return CALLING_HOURS[0] <= local.time() < CALLING_HOURS[1]


def decide(
    facts: Facts, *, channel: str, purpose: ProcessingActivity, at: datetime.datetime
) -> ContactDecision:
    """The rules, in order: what is not marketing passes; what the person said stops it."""
    if purpose.status != ActivityStatus.ACTIVE:
        return ContactDecision(False, ContactReason.INACTIVE_PURPOSE)
    if purpose.communication == CommunicationKind.SERVICE_MESSAGES:
        return ContactDecision(True, ContactReason.SERVICE_MESSAGE)
    if purpose.communication != CommunicationKind.DIRECT_MARKETING:
        return ContactDecision(False, ContactReason.NOT_MARKETING_PURPOSE)
    if facts.restricted:
        return ContactDecision(False, ContactReason.RESTRICTED)
    if facts.objection_event is not None:
        return ContactDecision(False, ContactReason.OBJECTION, facts.objection_event)
    if facts.suppressed:
        return ContactDecision(False, ContactReason.SUPPRESSED)
    if channel == Channel.PHONE:
        if facts.reserved:
            return ContactDecision(False, ContactReason.TELEMARKETING_RESERVATION)
        if not within_calling_hours(at):
            return ContactDecision(False, ContactReason.OUTSIDE_CALLING_HOURS)
    if facts.state is not None:
        action, event_id = facts.state
        if action == ConsentAction.GRANTED:
            return ContactDecision(True, ContactReason.CONSENT, event_id)
        reason = (
            ContactReason.REFUSED if action == ConsentAction.REFUSED else ContactReason.OPTED_OUT
        )
        return ContactDecision(False, reason, event_id)
    if facts.person_id is None:
        return ContactDecision(False, ContactReason.UNKNOWN_PERSON)
    if channel in Channel.electronic() and purpose.existing_customer_exception and facts.customer:
        return ContactDecision(True, ContactReason.EXISTING_CUSTOMER)
    if channel == Channel.PHONE and purpose.legal_basis == LegalBasis.LEGITIMATE_INTEREST:
        return ContactDecision(True, ContactReason.TELEMARKETING_PERMITTED)
    return ContactDecision(False, ContactReason.NO_CONSENT)


def _check_channel(channel: str) -> None:
    if channel not in Channel.marketing():
        raise DomainError(
            code=ConsentErrorCode.INVALID_CHANNEL,
            message=_("Select a contact channel."),
            field="channel",
        )


def can_contact(
    *,
    person: Person,
    channel: str,
    purpose: ProcessingActivity,
    at: datetime.datetime | None = None,
) -> ContactDecision:
    """The answer for one person: a few indexed reads."""
    _check_channel(channel)
    address = person.phone if channel in (Channel.PHONE, Channel.SMS) else person.email
    if channel in (Channel.EMAIL, Channel.PHONE, Channel.SMS) and not address:
        return ContactDecision(False, ContactReason.NO_ADDRESS)
    objections, consents = _states([person.pk], purpose=purpose, channel=channel)
    email_digest = keys.try_email_digest(person.email) if person.email else None
    phone_digest = keys.try_phone_digest(person.phone) if person.phone else None
    digests = [d for d in (email_digest, phone_digest) if d]
    facts = Facts(
        person_id=person.pk,
        customer=person.category == SubjectCategory.CUSTOMER_CONTACT,
        restricted=person.processing_restricted_since is not None,
        suppressed=bool(_existing(SuppressionEntry, digests)),
        reserved=channel == Channel.PHONE
        and bool(_existing(TelemarketingReservation, [phone_digest] if phone_digest else [])),
        objection_event=objections.get(person.pk),
        state=consents.get(person.pk),
    )
    return decide(facts, channel=channel, purpose=purpose, at=at or timezone.now())


@dataclass(frozen=True)
class BulkResult:
    index: int
    allowed: bool
    reason: ContactReason


@dataclass
class _Recipient:
    index: int
    key: str | None
    digest: str | None
    people: list[int] = field(default_factory=list)


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def bulk_check(
    *,
    addresses: Sequence[str],
    channel: str,
    purpose: ProcessingActivity,
    at: datetime.datetime | None = None,
) -> list[BulkResult]:
    """Which of these e-mail addresses (or phone numbers, for SMS and phone) may be contacted
    for this purpose, and why not for the rest. Results keep the input order."""
    _check_channel(channel)
    if len(addresses) > MAX_BULK:
        raise DomainError(
            code=ConsentErrorCode.TOO_MANY_ADDRESSES,
            message=_("Check at most 100,000 addresses at a time."),
            field="addresses",
        )
    by_phone = channel in (Channel.PHONE, Channel.SMS)
    recipients = [_recipient(i, a, by_phone=by_phone) for i, a in enumerate(addresses)]
    valid_keys = sorted({r.key for r in recipients if r.key})
    people = _people_by_key(valid_keys, by_phone=by_phone)
    person_ids = sorted({pid for pids in people.values() for pid, _c, _r in pids})
    objections, consents = _states(person_ids, purpose=purpose, channel=channel)
    digests = sorted({r.digest for r in recipients if r.digest})
    suppressed = _existing(SuppressionEntry, digests)
    reserved = _existing(TelemarketingReservation, digests) if channel == Channel.PHONE else set()
    now = at or timezone.now()
    results = []
    for recipient in recipients:
        if recipient.key is None:
            results.append(BulkResult(recipient.index, False, ContactReason.INVALID_ADDRESS))
            continue
        matches = people.get(recipient.key, [])
        base = Facts(suppressed=recipient.digest in suppressed,
                     reserved=recipient.digest in reserved)  # fmt: skip
        candidates = [
            Facts(
                person_id=pid,
                customer=category == SubjectCategory.CUSTOMER_CONTACT,
                restricted=restricted,
                suppressed=base.suppressed,
                reserved=base.reserved,
                objection_event=objections.get(pid),
                state=consents.get(pid),
            )
            for pid, category, restricted in matches
        ] or [base]
        decisions = [decide(f, channel=channel, purpose=purpose, at=now) for f in candidates]
        # Several people may share an address: any refusal among them wins.
        decision = next((d for d in decisions if not d.allowed), decisions[0])
        results.append(BulkResult(recipient.index, decision.allowed, decision.reason))
    return results


def _recipient(index: int, address: str, *, by_phone: bool) -> _Recipient:
    try:
        if by_phone:
            key = normalise_phone(address)
            return _Recipient(index, key, keys.digest("phone:" + key))
        key = email_lookup_key(address)
        return _Recipient(index, key, keys.digest("email:" + key))
    except DomainError:
        return _Recipient(index, None, None)


def _people_by_key(
    lookup_keys: Sequence[str], *, by_phone: bool
) -> dict[str, list[tuple[int, str, bool]]]:
    column = "phone" if by_phone else "email_key"
    found: dict[str, list[tuple[int, str, bool]]] = defaultdict(list)
    for chunk in _chunks(lookup_keys):
        rows = Person.objects.filter(**{f"{column}__in": chunk}).values_list(
            column, "pk", "category", "processing_restricted_since"
        )
        for key, pk, category, restricted_since in rows:
            found[key].append((pk, category, restricted_since is not None))
    return found


def _states(
    person_ids: Sequence[int], *, purpose: ProcessingActivity, channel: str
) -> tuple[dict[int, int], dict[int, tuple[str, int]]]:
    """Objections (person -> event) and this purpose's consent state (person -> action, event)."""
    objections: dict[int, int] = {}
    consents: dict[int, tuple[str, int]] = {}
    for start in range(0, len(person_ids), CHUNK):
        rows = (
            ConsentState.objects.filter(person_id__in=person_ids[start : start + CHUNK])
            .filter(Q(purpose=purpose, channel=channel) | Q(purpose__isnull=True))
            .values_list("person_id", "purpose_id", "action", "event_id")
        )
        for person_id, purpose_id, action, event_id in rows:
            if purpose_id is not None:
                consents[person_id] = (action, event_id)
            elif action == ConsentAction.OBJECTED:
                objections[person_id] = event_id
    return objections, consents


def _existing(model: type[SuppressionEntry] | type[TelemarketingReservation],
              digests: Sequence[str]) -> set[str]:  # fmt: skip
    found: set[str] = set()
    for chunk in _chunks(digests):
        found.update(model.objects.filter(digest__in=chunk).values_list("digest", flat=True))
    return found
