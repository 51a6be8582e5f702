"""One small handler per kind of record a rule can remove (the seam erasure and new data
sources plug into). Each builds the queryset of records a rule may act on today — expired,
not under a hold, not under a statutory period, not already done — and applies an action to
one batch of ids with set-based queries."""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django.db.models import Exists, Expression, F, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from personvern.consent.choices import ConsentAction
from personvern.consent.models import ConsentState
from personvern.register.models import Interaction, JobApplication, Person

from ..choices import HeldRecord, RetentionAction, TargetRecord, Trigger
from ..models import BookkeepingRecord, DueDiligenceRecord, RetentionRule, ReviewFlag
from ..periods import cutoff, start_of_day_after
from ..selectors import active_holds, person_held, record_held
from . import operations
from .statutes import bookkeeping_past_statute, due_diligence_past_statute


class Target(ABC):
    target: ClassVar[TargetRecord]
    model: ClassVar[type[Model]]
    triggers: ClassVar[frozenset[str]]
    actions: ClassVar[frozenset[str]]
    # What the report groups counts by (no personal data: a category or a kind).
    category_field: ClassVar[str]
    # The key of ``apply``'s result that counts this handler's own rows.
    primary: ClassVar[str]
    # Fiscal-year ends are month ends and stay month ends when the period is added.
    keep_month_end: ClassVar[bool] = False

    def primary_key(self, rule: RetentionRule) -> str:
        return "flagged" if rule.action == RetentionAction.FLAG else self.primary

    def pending(self, rule: RetentionRule, today: datetime.date) -> QuerySet[Any]:
        """What ``rule`` would act on today, with ``trigger_on`` and ``report_category``."""
        day = cutoff(today, rule.period, keep_month_end=self.keep_month_end)
        queryset: QuerySet[Any] = (
            self.scope(rule)
            .filter(self.expired(rule, day))
            .exclude(self.held())
            .filter(self.allowed_by_law(today))
            .exclude(self.done(rule))
            .annotate(
                trigger_on=self.trigger_expression(rule),
                report_category=F(self.category_field),
            )
        )
        return queryset

    def scope(self, rule: RetentionRule) -> QuerySet[Any]:
        queryset = self.model._default_manager.all()
        if rule.subject_category:
            queryset = queryset.filter(**{self.person_category_field: rule.subject_category})
        return queryset

    person_category_field: ClassVar[str] = "person__category"

    @abstractmethod
    def expired(self, rule: RetentionRule, day: datetime.date) -> Q | Exists: ...

    @abstractmethod
    def trigger_expression(self, rule: RetentionRule) -> Expression | F | Subquery: ...

    @abstractmethod
    def held(self) -> Q: ...

    def allowed_by_law(self, today: datetime.date) -> Q:
        return Q()

    def done(self, rule: RetentionRule) -> Q:
        if rule.action == RetentionAction.FLAG:
            return Q(
                Exists(
                    ReviewFlag.objects.filter(
                        rule=rule, record_type=self.target, record_id=OuterRef("pk")
                    )
                )
            )
        if rule.action == RetentionAction.ANONYMISE:
            return self.anonymised()
        return Q(pk__in=[])

    def anonymised(self) -> Q:
        return Q(pk__in=[])

    def apply(self, rule: RetentionRule, ids: Sequence[int]) -> Counter[str]:
        operation: dict[str, Callable[[Sequence[int]], Counter[str]]] = {
            RetentionAction.DELETE: self.delete,
            RetentionAction.ANONYMISE: self.anonymise,
        }
        if rule.action == RetentionAction.FLAG:
            return self.flag(rule, ids)
        return operation[rule.action](ids)

    def flag(self, rule: RetentionRule, ids: Sequence[int]) -> Counter[str]:
        rows = self.model._default_manager.filter(pk__in=ids).annotate(
            trigger_on=self.trigger_expression(rule)
        )
        flags = [
            ReviewFlag(
                rule=rule, record_type=self.target, record_id=pk, trigger_date=as_date(trigger)
            )
            for pk, trigger in rows.values_list("pk", "trigger_on")
        ]
        created = ReviewFlag.objects.bulk_create(flags, ignore_conflicts=True)
        return Counter({"flagged": len(created)})

    def delete(self, ids: Sequence[int]) -> Counter[str]:
        """Plain records (nothing hangs off them) go in one query; richer targets override."""
        deleted = self.model._default_manager.filter(pk__in=ids).delete()[0]
        return Counter({self.primary: deleted})

    def anonymise(self, ids: Sequence[int]) -> Counter[str]:
        raise NotImplementedError  # refused when the rule is saved (``actions``)


def as_date(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def timestamp_or_date(field: str, day: datetime.date, *, is_date: bool) -> Q:
    if is_date:
        return Q(**{f"{field}__lte": day})
    return Q(**{f"{field}__lt": start_of_day_after(day)})


class InteractionTarget(Target):
    primary = "interactions"
    target = TargetRecord.INTERACTIONS
    model = Interaction
    triggers = frozenset({Trigger.CREATED, Trigger.LAST_INTERACTION, Trigger.RELATIONSHIP_ENDED})
    actions = frozenset(RetentionAction.values)
    category_field = "person__category"
    fields = {
        Trigger.CREATED: ("occurred_at", False),
        Trigger.LAST_INTERACTION: ("person__last_interaction_at", False),
        Trigger.RELATIONSHIP_ENDED: ("person__relationship_ended_on", True),
    }

    def expired(self, rule: RetentionRule, day: datetime.date) -> Q:
        field, is_date = self.fields[Trigger(rule.trigger)]
        return timestamp_or_date(field, day, is_date=is_date)

    def trigger_expression(self, rule: RetentionRule) -> F:
        return F(self.fields[Trigger(rule.trigger)][0])

    def held(self) -> Q:
        return Q(person_held("person_id")) | Q(record_held(HeldRecord.INTERACTION))

    def anonymised(self) -> Q:
        return Q(summary="")

    def delete(self, ids: Sequence[int]) -> Counter[str]:
        return operations.delete_interactions(ids)

    def anonymise(self, ids: Sequence[int]) -> Counter[str]:
        return operations.anonymise_interactions(ids)


class JobApplicationTarget(Target):
    primary = "job_applications"
    target = TargetRecord.JOB_APPLICATIONS
    model = JobApplication
    triggers = frozenset({Trigger.APPLICATION_DECIDED, Trigger.CREATED})
    actions = frozenset({RetentionAction.DELETE, RetentionAction.FLAG})
    category_field = "status"
    fields = {
        Trigger.APPLICATION_DECIDED: ("decision_date", True),
        Trigger.CREATED: ("received_at", False),
    }

    def expired(self, rule: RetentionRule, day: datetime.date) -> Q:
        field, is_date = self.fields[Trigger(rule.trigger)]
        return timestamp_or_date(field, day, is_date=is_date)

    def trigger_expression(self, rule: RetentionRule) -> F:
        return F(self.fields[Trigger(rule.trigger)][0])

    def held(self) -> Q:
        return Q(person_held("person_id")) | Q(record_held(HeldRecord.JOB_APPLICATION))

    def delete(self, ids: Sequence[int]) -> Counter[str]:
        return operations.delete_job_applications(ids)


class PersonTarget(Target):
    primary = "people"
    target = TargetRecord.PEOPLE
    model = Person
    triggers = frozenset(
        {
            Trigger.LAST_INTERACTION,
            Trigger.RELATIONSHIP_ENDED,
            Trigger.CONSENT_WITHDRAWN,
            Trigger.CREATED,
            Trigger.APPLICATION_DECIDED,
        }
    )
    actions = frozenset(RetentionAction.values)
    category_field = "category"
    person_category_field = "category"

    def _consents(self, rule: RetentionRule) -> QuerySet[ConsentState]:
        return ConsentState.objects.filter(
            person_id=OuterRef("pk"), purpose_id=rule.processing_activity_id
        )

    def expired(self, rule: RetentionRule, day: datetime.date) -> Q | Exists:
        before = start_of_day_after(day)
        if rule.trigger == Trigger.LAST_INTERACTION:
            # Someone never interacted with counts from when they were registered.
            return Q(last_interaction_at__lt=before) | Q(
                last_interaction_at__isnull=True, created_at__lt=before
            )
        if rule.trigger == Trigger.RELATIONSHIP_ENDED:
            return Q(relationship_ended_on__lte=day)
        if rule.trigger == Trigger.CONSENT_WITHDRAWN:
            # Withdrawn before the cut-off, and no consent for the purpose given or changed since.
            consents = self._consents(rule)
            withdrawn = consents.filter(action=ConsentAction.WITHDRAWN, changed_at__lt=before)
            since = consents.filter(Q(action=ConsentAction.GRANTED) | Q(changed_at__gte=before))
            return Q(Exists(withdrawn)) & ~Q(Exists(since))
        if rule.trigger == Trigger.APPLICATION_DECIDED:
            # An applicant goes with their applications: none undecided, none decided after the
            # cut-off (what the privacy notice promises for the whole record). The applications
            # rule may have deleted them already in this sweep: then registration before the
            # cut-off stands in for them.
            applications = JobApplication.objects.filter(person_id=OuterRef("pk"))
            undecided = applications.filter(decision_date__isnull=True)
            recent = applications.filter(decision_date__gt=day)
            return Q(created_at__lt=before) & ~Q(Exists(undecided)) & ~Q(Exists(recent))
        return Q(created_at__lt=before)

    def trigger_expression(self, rule: RetentionRule) -> Expression | F | Subquery:
        if rule.trigger == Trigger.LAST_INTERACTION:
            return Coalesce(F("last_interaction_at"), F("created_at"))
        if rule.trigger == Trigger.RELATIONSHIP_ENDED:
            return F("relationship_ended_on")
        if rule.trigger == Trigger.CONSENT_WITHDRAWN:
            latest = self._consents(rule).order_by("-changed_at").values("changed_at")[:1]
            return Subquery(latest)
        if rule.trigger == Trigger.APPLICATION_DECIDED:
            decided = JobApplication.objects.filter(person_id=OuterRef("pk")).order_by(
                "-decision_date"
            )
            return Subquery(decided.values("decision_date")[:1])
        return F("created_at")

    def held(self) -> Q:
        # A hold on the person or on any one of their records keeps the whole person.
        return Q(Exists(active_holds().filter(person_id=OuterRef("pk")))) | Q(person_held("pk"))

    def allowed_by_law(self, today: datetime.date) -> Q:
        """Not while bookkeeping or due-diligence material about them must still be kept."""
        bookkeeping = BookkeepingRecord.objects.filter(person_id=OuterRef("pk")).exclude(
            bookkeeping_past_statute(today)
        )
        due_diligence = DueDiligenceRecord.objects.filter(person_id=OuterRef("pk")).exclude(
            due_diligence_past_statute(today)
        )
        return ~Q(Exists(bookkeeping)) & ~Q(Exists(due_diligence))

    def anonymised(self) -> Q:
        return operations.ANONYMISED

    def delete(self, ids: Sequence[int]) -> Counter[str]:
        return operations.delete_people(ids)

    def anonymise(self, ids: Sequence[int]) -> Counter[str]:
        return operations.anonymise_people(ids)


class BookkeepingTarget(Target):
    primary = "bookkeeping_records"
    target = TargetRecord.BOOKKEEPING_RECORDS
    model = BookkeepingRecord
    triggers = frozenset({Trigger.FISCAL_YEAR_END})
    actions = frozenset({RetentionAction.DELETE, RetentionAction.FLAG})
    category_field = "kind"
    keep_month_end = True

    def scope(self, rule: RetentionRule) -> QuerySet[Any]:
        queryset = super().scope(rule)
        return queryset.filter(kind=rule.bookkeeping_kind) if rule.bookkeeping_kind else queryset

    def expired(self, rule: RetentionRule, day: datetime.date) -> Q:
        return Q(fiscal_year_end__lte=day)

    def trigger_expression(self, rule: RetentionRule) -> F:
        return F("fiscal_year_end")

    def held(self) -> Q:
        return Q(person_held("person_id")) | Q(record_held(HeldRecord.BOOKKEEPING_RECORD))

    def allowed_by_law(self, today: datetime.date) -> Q:
        return bookkeeping_past_statute(today)


class DueDiligenceTarget(Target):
    primary = "due_diligence_records"
    target = TargetRecord.DUE_DILIGENCE_RECORDS
    model = DueDiligenceRecord
    triggers = frozenset({Trigger.RELATIONSHIP_ENDED})
    actions = frozenset({RetentionAction.DELETE, RetentionAction.FLAG})
    category_field = "person__category"

    def expired(self, rule: RetentionRule, day: datetime.date) -> Q:
        return Q(relationship_ended_on__lte=day)

    def trigger_expression(self, rule: RetentionRule) -> F:
        return F("relationship_ended_on")

    def held(self) -> Q:
        return Q(person_held("person_id")) | Q(record_held(HeldRecord.DUE_DILIGENCE_RECORD))

    def allowed_by_law(self, today: datetime.date) -> Q:
        return due_diligence_past_statute(today)


# Records that people own go before the people: a rule on interactions then counts the
# same rows in a dry run and in the real run, and people go last, with whatever is left.
# Rules on external tables run first: their rows are no register records.
ORDER: list[str] = [
    TargetRecord.EXTERNAL_TABLE,
    TargetRecord.BOOKKEEPING_RECORDS,
    TargetRecord.DUE_DILIGENCE_RECORDS,
    TargetRecord.IP_LOG_ENTRIES,
    TargetRecord.DATA_SUBJECT_REQUESTS,
    TargetRecord.CONSENT_EVIDENCE,
    TargetRecord.INTERACTIONS,
    TargetRecord.JOB_APPLICATIONS,
    TargetRecord.PEOPLE,
]
# The handlers by target. Retention's own and the register's are here; an app above
# retention whose records a rule may remove (the website's IP log, the answered requests)
# registers its handler from its ``AppConfig.ready``, so retention never imports it.
TARGETS: dict[str, Target] = {}


def register_target(handler: Target) -> None:
    """Make ``handler`` the one for its target (a target of ``TargetRecord`` in ``ORDER``)."""
    if handler.target not in ORDER:
        raise LookupError(f"Retention target {handler.target!r} has no place in ORDER")
    TARGETS[handler.target] = handler


for _handler in (
    BookkeepingTarget(),
    DueDiligenceTarget(),
    InteractionTarget(),
    JobApplicationTarget(),
    PersonTarget(),
):
    register_target(_handler)


def target_for(target: str) -> Target:
    """The handler for a target; an unknown target is a programming error, and fails loudly."""
    try:
        return TARGETS[target]
    except KeyError:
        raise LookupError(f"No retention handler for target {target!r}") from None
