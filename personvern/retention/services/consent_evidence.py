"""Consent evidence as a retention target: the personal parts of a ledger event's evidence
(masked IP address, browser) are kept while the consent is in force and for the rule's period
after it ends, then removed; the event, its text, its answer and the chain stay.

GDPR Art. 7(1) requires the controller to be able to prove a consent, and Art. 5(1)(e) to
keep personal data no longer than needed. Proof is needed while the consent is relied on and
for as long as a claim about it can be made after it ends: the general limitation period is
3 years (foreldelsesloven § 2), the demo's rule. The ledger chains a salted digest of the
personal parts (``consent.ledger``), so removing them leaves ``ledger verify`` passing.

"Ends" is read per (subject, purpose, channel), as the ledger keeps the current state: a
consent (or an objection to direct marketing, which is also relied on while it lasts) ends
when a later answer for the same subject, purpose and channel is recorded; a withdrawal,
refusal or withdrawn objection is proof of an answer that ended nothing in force, and counts
from when it was given. Events from before the digest existed (migration 0008 of consent)
chain their evidence inline and cannot lose it without breaking the chain: they are left
alone (the scope below leaves them out)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When

from personvern.consent import ledger
from personvern.consent.choices import ConsentAction
from personvern.consent.models import ConsentEvent

from ..choices import RetentionAction, TargetRecord, Trigger
from ..models import RetentionRule
from ..periods import start_of_day_after
from ..selectors import person_held
from .targets import Target

# Answers that are relied on while they are the current one.
IN_FORCE = (ConsentAction.GRANTED, ConsentAction.OBJECTED)

# The three kinds of state key (ConsentState's unique constraints): whose answer to what.
_KEYS: tuple[tuple[Q, dict[str, Any]], ...] = (
    (
        Q(person__isnull=False, purpose__isnull=False),
        {"person_id": OuterRef("person_id"), "purpose_id": OuterRef("purpose_id"),
         "channel": OuterRef("channel")},
    ),
    (
        Q(person__isnull=False, purpose__isnull=True),
        {"person_id": OuterRef("person_id"), "purpose__isnull": True},
    ),
    (
        Q(person__isnull=True),
        {"person__isnull": True, "visitor_id": OuterRef("visitor_id"),
         "purpose_id": OuterRef("purpose_id"), "channel": OuterRef("channel")},
    ),
)  # fmt: skip


def _later(key: dict[str, Any]) -> QuerySet[ConsentEvent]:
    """Events after the outer one with the same state key."""
    return ConsentEvent.objects.filter(sequence__gt=OuterRef("sequence"), **key)


class ConsentEvidenceTarget(Target):
    primary = "consent_evidence"
    target = TargetRecord.CONSENT_EVIDENCE
    model = ConsentEvent
    triggers = frozenset({Trigger.CONSENT_ENDED})
    actions = frozenset({RetentionAction.ANONYMISE})
    category_field = "action"

    def scope(self, rule: RetentionRule) -> QuerySet[Any]:
        # Only events whose personal evidence is still there and chained through its digest.
        return super().scope(rule).exclude(personal_salt="")

    def expired(self, rule: RetentionRule, day: datetime.date) -> Q:
        before = start_of_day_after(day)
        ended = Q()
        for kind, key in _KEYS:
            ended |= kind & Q(Exists(_later(key).filter(occurred_at__lt=before)))
        return (Q(action__in=IN_FORCE) & ended) | (
            ~Q(action__in=IN_FORCE) & Q(occurred_at__lt=before)
        )

    def trigger_expression(self, rule: RetentionRule) -> Case:
        """When the consent ended: the next answer's time, or the event's own."""
        whens = [
            When(
                Q(action__in=IN_FORCE) & kind,
                then=Subquery(_later(key).order_by("sequence").values("occurred_at")[:1]),
            )
            for kind, key in _KEYS
        ]
        return Case(*whens, default=F("occurred_at"))

    def held(self) -> Q:
        return Q(person_held("person_id"))

    def anonymised(self) -> Q:
        return Q(personal_salt="")

    def anonymise(self, ids: Sequence[int]) -> Counter[str]:
        return Counter({self.primary: ledger.remove_personal_evidence(ids)})
