"""Reads of the findings: the review queue, a record's open findings, and the facts behind the
privacy notice's statement about special categories."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .choices import FindingKind, FindingStatus
from .models import Finding


def open_findings() -> QuerySet[Finding]:
    return Finding.objects.filter(status=FindingStatus.OPEN).select_related("resolved_by")


def findings_of(target: str, object_id: object) -> QuerySet[Finding]:
    """A record's open findings (what the staff member who saved it is told)."""
    return Finding.objects.filter(
        target=target, object_id=str(object_id), status=FindingStatus.OPEN
    ).order_by("field", "start")


@dataclass(frozen=True)
class SpecialCategoryFacts:
    """What the notice may say about special categories (Art. 9), criminal-offence data
    (Art. 10) and identity numbers, from the declared categories and the review queue."""

    declared: bool  # an activity declares a special category
    open_special: int  # findings of Art. 9 or 10 not yet reviewed
    accepted_special: int  # kept under a legal basis
    open_identity: int
    accepted_identity: int

    @property
    def holds_special(self) -> bool:
        """Whether the organisation holds (or may hold) special-category or criminal data."""
        return self.declared or self.open_special > 0 or self.accepted_special > 0

    @property
    def holds_identity_numbers(self) -> bool:
        return self.open_identity > 0 or self.accepted_identity > 0

    @property
    def may_state_none(self) -> bool:
        """The notice may promise "no special categories" only when none is declared, none
        was kept and none waits for review."""
        return not self.holds_special


def special_category_statement_facts(*, declared: bool) -> SpecialCategoryFacts:
    """``declared``: whether the record of processing declares a special category (the
    notice's builder knows; this app sits below processing)."""
    identity = FindingKind.identity_numbers()
    counts = {"open_special": 0, "accepted_special": 0, "open_identity": 0, "accepted_identity": 0}
    rows = Finding.objects.filter(
        status__in=[FindingStatus.OPEN, FindingStatus.ACCEPTED]
    ).values_list("status", "kind")
    for status, kind in rows.iterator():
        group = "identity" if kind in identity else "special"
        counts[f"{status}_{group}"] += 1
    return SpecialCategoryFacts(declared=declared, **counts)
