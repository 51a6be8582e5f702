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
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import DomainError
from personvern.core.validation import email_lookup_key, normalise_phone
from personvern.processing.choices import ActivityStatus, CommunicationKind, LegalBasis
from personvern.processing.models import ProcessingActivity
from personvern.register.choices import Source, SubjectCategory
from personvern.register.models import Person

from . import keys
from .choices import Channel, ConsentAction, ConsentErrorCode, ContactReason
from .models import (
    ConsentState,
    ReservationImport,
    SuppressionEntry,
    TelemarketingReservation,
)

OSLO = ZoneInfo("Europe/Oslo")
CALLING_HOURS = (datetime.time(9, 0), datetime.time(21, 0))
MAX_BULK = 100_000
CHUNK = 5_000
# markedsføringsloven § 15 (2): the address was obtained from the customer in connection with a
# sale, not bought from a third party or found in a public source.
ADDRESS_FROM_THE_PERSON = frozenset({Source.DATA_SUBJECT, Source.INTERACTION})


@dataclass(frozen=True)
class ContactDecision:
    allowed: bool
    reason: ContactReason
    event_id: int | None = None


@dataclass
class Facts:
    """What is known about one recipient, gathered by one or many queries."""

    person_id: int | None = None
    customer: bool = False  # an existing customer under markedsføringsloven § 15 (2)
    restricted: bool = False
    objection_upheld: bool = False  # to processing on legitimate interest (Art. 21(1))
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


def is_existing_customer(
    *,
    category: str,
    source: str,
    relationship_ended_on: datetime.date | None,
    at: datetime.datetime,
) -> bool:
    """The existing-customer exception (markedsføringsloven § 15 (2)) needs a customer
    relationship that is still ongoing at ``at`` and contact details obtained from the customer
    in connection with it (from the person or an interaction, not a third party or a public
    source)."""
    if category != SubjectCategory.CUSTOMER_CONTACT or source not in ADDRESS_FROM_THE_PERSON:
        return False
    return relationship_ended_on is None or relationship_ended_on > at.astimezone(OSLO).date()


def decide(
    facts: Facts, *, channel: str, purpose: ProcessingActivity, at: datetime.datetime
) -> ContactDecision:
    """The rules, in order: what is not marketing passes; what the person said stops it."""
    if purpose.status != ActivityStatus.ACTIVE:
        return ContactDecision(False, ContactReason.INACTIVE_PURPOSE)
    if facts.objection_upheld and purpose.legal_basis == LegalBasis.LEGITIMATE_INTEREST:
        # Not even a service message: nothing on legitimate interest goes on for the person.
        return ContactDecision(False, ContactReason.OBJECTION_UPHELD)
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
    now = at or timezone.now()
    objections, consents = _states([person.pk], purpose=purpose, channel=channel)
    # Both of the person's addresses, whichever channel: the bulk check looks up the same two.
    digests = keys.registered_digests(email_key=person.email_key, phone=person.phone)
    phone_digest = keys.registered_digests(email_key="", phone=person.phone)
    facts = Facts(
        person_id=person.pk,
        customer=is_existing_customer(
            category=person.category,
            source=person.source,
            relationship_ended_on=person.relationship_ended_on,
            at=now,
        ),
        restricted=person.processing_restricted_since is not None,
        objection_upheld=person.legitimate_interest_objection_since is not None,
        suppressed=bool(_existing(SuppressionEntry, digests)),
        reserved=channel == Channel.PHONE
        and bool(_existing(TelemarketingReservation, phone_digest)),
        objection_event=objections.get(person.pk),
        state=consents.get(person.pk),
    )
    return decide(facts, channel=channel, purpose=purpose, at=now)


@dataclass(frozen=True)
class BulkResult:
    index: int
    allowed: bool
    reason: ContactReason
    person_ids: tuple[int, ...] = ()  # the people in the register the address belongs to


@dataclass(frozen=True)
class _Match:
    """A person an address belongs to, with what the decision needs to know about them."""

    pk: int
    customer: bool
    restricted: bool
    objection_upheld: bool
    digests: tuple[str, ...]


@dataclass
class _Recipient:
    index: int
    key: str | None
    digest: str | None
    people: list[int] = field(default_factory=list)


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _column_in(column: str, values: Sequence[str]) -> dict[str, Any]:
    """``column IN (...)`` for ``QuerySet.extra``: the strings are bound as they are, without
    the per-value preparation of an ``__in`` lookup, which costs more than the query itself
    for the thousands of keys and digests of a campaign check."""
    placeholders = ", ".join(["%s"] * len(values))
    return {"where": [f"{column} IN ({placeholders})"], "params": list(values)}


def reservations_fresh(*, at: datetime.datetime) -> bool:
    """Whether Reservasjonsregisteret was imported in the month of ``at`` (local time)."""
    latest = ReservationImport.objects.order_by("-imported_at").first()
    if latest is None:
        return False
    imported = timezone.localtime(latest.imported_at).date()
    today = timezone.localtime(at).date()
    return (imported.year, imported.month) >= (today.year, today.month)


def require_fresh_reservations(*, at: datetime.datetime) -> None:
    """A phone campaign is refused (409) until the reservation list of this month is in."""
    if not reservations_fresh(at=at):
        raise DomainError(
            code=ConsentErrorCode.RESERVATIONS_OUTDATED,
            message=_(
                "Import this month's Reservasjonsregisteret before a phone campaign: the list "
                "was last imported before the current month."
            ),
            field="channel",
            status=409,
        )


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
    now = at or timezone.now()
    if channel == Channel.PHONE:
        require_fresh_reservations(at=now)
    recipients = [_recipient(i, a, by_phone=by_phone) for i, a in enumerate(addresses)]
    valid_keys = sorted({r.key for r in recipients if r.key})
    people = _people_by_key(valid_keys, by_phone=by_phone, at=now)
    person_ids = sorted({match.pk for matches in people.values() for match in matches})
    objections, consents = _states(person_ids, purpose=purpose, channel=channel)
    # The given address and, as in the single check, both addresses of each person it matches.
    digests = {r.digest for r in recipients if r.digest}
    digests.update(d for matches in people.values() for match in matches for d in match.digests)
    suppressed = _existing(SuppressionEntry, sorted(digests))
    reserved = (
        _existing(TelemarketingReservation, sorted({r.digest for r in recipients if r.digest}))
        if channel == Channel.PHONE
        else set()
    )
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
                person_id=match.pk,
                customer=match.customer,
                restricted=match.restricted,
                objection_upheld=match.objection_upheld,
                suppressed=base.suppressed or not suppressed.isdisjoint(match.digests),
                reserved=base.reserved,
                objection_event=objections.get(match.pk),
                state=consents.get(match.pk),
            )
            for match in matches
        ] or [base]
        decisions = [decide(f, channel=channel, purpose=purpose, at=now) for f in candidates]
        # Several people may share an address: any refusal among them wins.
        decision = next((d for d in decisions if not d.allowed), decisions[0])
        results.append(
            BulkResult(
                recipient.index,
                decision.allowed,
                decision.reason,
                tuple(match.pk for match in matches),
            )
        )
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
    lookup_keys: Sequence[str], *, by_phone: bool, at: datetime.datetime
) -> dict[str, list[_Match]]:
    column = "phone" if by_phone else "email_key"
    found: dict[str, list[_Match]] = defaultdict(list)
    for chunk in _chunks(lookup_keys):
        rows = Person.objects.extra(**_column_in(column, chunk)).values_list(
            column, "pk", "category", "source", "relationship_ended_on",
            "processing_restricted_since", "legitimate_interest_objection_since", "email_key",
            "phone",
        )  # fmt: skip
        for (key, pk, category, source, ended_on, restricted_since, objection_since, email_key,
             phone) in rows:  # fmt: skip
            customer = is_existing_customer(
                category=category, source=source, relationship_ended_on=ended_on, at=at
            )
            found[key].append(
                _Match(
                    pk=pk,
                    customer=customer,
                    restricted=restricted_since is not None,
                    objection_upheld=objection_since is not None,
                    digests=tuple(keys.registered_digests(email_key=email_key, phone=phone)),
                )
            )
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
    """Which of these digests the list holds. A list shorter than the question is read whole
    (one query); a longer one is asked about the digests, in chunks."""
    if not digests:
        return set()
    if model.objects.count() <= len(digests):
        wanted = set(digests)
        listed = model.objects.values_list("digest", flat=True).iterator(chunk_size=10_000)
        return {digest for digest in listed if digest in wanted}
    found: set[str] = set()
    for chunk in _chunks(digests):
        found.update(
            model.objects.extra(**_column_in("digest", chunk)).values_list("digest", flat=True)
        )
    return found
