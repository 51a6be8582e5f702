"""Reads over retention: rules per activity, and the anonymised statistics with small cells
suppressed, so that no figure can single a person out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from personvern.connectors.tables import table_choices
from personvern.register.models import Person

from . import config
from .choices import HeldRecord
from .keepers import KEEPERS
from .models import LegalHold, RetentionRule, StatisticCell
from .periods import keep_until


def rules_with_relations() -> QuerySet[RetentionRule]:
    return RetentionRule.objects.select_related("processing_activity", "data_category")


def retention_days(target: str, *, today: datetime.date | None = None) -> int | None:
    """How many days the strictest active rule keeps ``target`` records (None: no rule), for
    texts such as the privacy notice."""
    today = today or timezone.localdate()
    rules = RetentionRule.objects.filter(target=target, active=True)
    days = [(keep_until(today, rule.period) - today).days for rule in rules]
    return min(days) if days else None


def strictest_rule(target: str, *, today: datetime.date | None = None) -> RetentionRule | None:
    """The active rule that keeps ``target`` records the shortest time (None: no rule): what a
    text promises about those records, read from the rules the sweep runs."""
    today = today or timezone.localdate()
    rules = list(RetentionRule.objects.filter(target=target, active=True).order_by("pk"))
    return min(rules, key=lambda rule: keep_until(today, rule.period), default=None)


def external_tables() -> list[tuple[str, str]]:
    """The tables a rule may name: those of the SQL sources in use (``dataset.table``)."""
    return table_choices()


def active_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(lifted_at__isnull=True)


def person_held(person_field: str) -> Q:
    """Whether the person in ``person_field`` of the outer row is held: under an active legal
    hold, under restriction of processing (Art. 18 allows storage only, so nothing of theirs
    is deleted or anonymised), or kept by an app above (``keepers``: a data-subject request
    still open, whose answer must show, and act on, the data as it was when they asked)."""
    person = OuterRef(person_field)
    on_hold = active_holds().filter(record_type=HeldRecord.PERSON, record_id=person)
    restricted = Person.objects.filter(pk=person, processing_restricted_since__isnull=False)
    held = Q(Exists(on_hold)) | Q(Exists(restricted))
    for keeper in KEEPERS.values():
        held |= Q(keeper.keeps(person))
    return held


def record_held(record_type: HeldRecord) -> Exists:
    """Whether the outer row, a record of ``record_type``, is under an active hold."""
    return Exists(active_holds().filter(record_type=record_type, record_id=OuterRef("pk")))


@dataclass(frozen=True)
class Figure:
    metric: str
    year: int
    dimension: str
    count: int | None  # None: below the minimum group size, suppressed

    @property
    def shown(self) -> str:
        return str(self.count) if self.count is not None else f"<{config.minimum_group_size()}"


def suppress(count: int, minimum: int | None = None) -> int | None:
    """A count, or None when it is below the minimum group size (zero is not a person)."""
    minimum = config.minimum_group_size() if minimum is None else minimum
    return count if count == 0 or count >= minimum else None


def statistics(*, metric: str | None = None, minimum: int | None = None) -> list[Figure]:
    cells = StatisticCell.objects.all()
    if metric:
        cells = cells.filter(metric=metric)
    return [
        Figure(cell.metric, cell.year, cell.dimension, suppress(cell.count, minimum))
        for cell in cells.order_by("metric", "year", "dimension")
    ]


def rule_summary(rule: RetentionRule) -> str:
    """One line for people: "Interactions (customer_contact): 3 y after Last interaction,
    then Delete"."""

    scope = rule.subject_category or rule.bookkeeping_kind or rule.source_table
    records = f"{rule.get_target_display()}" + (f" ({scope})" if scope else "")
    return (
        f"{records}: {rule.period} after {rule.get_trigger_display()}, "
        f"then {rule.get_action_display()}"
    )
