"""Staff UI for retention: rules, holds (set and lifted through the services; lifted holds
stay listed), bookkeeping and due-diligence records, flags, sweeps and the statistics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import Field, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyAdmin, ServiceAdmin
from personvern.core.errors import DomainError
from personvern.core.translated import default_language_fields

from . import services
from .config import minimum_group_size
from .models import (
    BookkeepingRecord,
    DueDiligenceRecord,
    LegalHold,
    RetentionRule,
    ReviewFlag,
    StatisticCell,
    SweepRun,
)
from .periods import describe
from .selectors import external_tables, suppress


@admin.register(RetentionRule)
class RetentionRuleAdmin(ServiceAdmin[RetentionRule]):
    list_display = (
        "name",
        "processing_activity",
        "target",
        "source_table",
        "trigger",
        "period",
        "action",
        "legal_source",
        "active",
    )
    list_filter = ("target", "trigger", "action", "active", "processing_activity")
    search_fields = ("name", "legal_source")
    list_select_related = ("processing_activity",)
    readonly_fields = ("created_at", "updated_at")
    # ``name`` is the bokmål name; the English one follows as "name [en]".
    exclude = default_language_fields(RetentionRule)

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        """The external table is chosen from the tables of the SQL sources in use."""
        if db_field.name == "source_table":
            return forms.ChoiceField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                required=False,
                choices=[("", "---------"), *external_tables()],
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("period"))
    def period(self, obj: RetentionRule) -> str:
        return describe(obj.period)  # in the staff member's language

    def validate(self, obj: RetentionRule | None, values: Mapping[str, Any]) -> None:
        if obj is None:
            services.clean_rule(services.RuleValues(**values))
        else:
            services.clean_rule(replace(services.RuleValues.of(obj), **values))

    def create(self, *, actor: Actor, values: dict[str, Any]) -> RetentionRule:
        return services.create_rule(actor=actor, values=services.RuleValues(**values))

    def update(self, *, actor: Actor, obj: RetentionRule, changes: dict[str, Any]) -> RetentionRule:
        # The form's fields are the rule's: the service refuses any other name at run time.
        return services.update_rule(
            actor=actor, rule=obj, changes=cast(services.RuleChanges, changes)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a rule is made inactive, never deleted: sweeps refer to it


@admin.register(LegalHold)
class LegalHoldAdmin(ServiceAdmin[LegalHold]):
    list_display = (
        "__str__",
        "person",
        "set_by_label",
        "set_at",
        "lifted_at",
        "lifted_by_label",
    )
    list_filter = ("record_type", ("lifted_at", admin.EmptyFieldListFilter))
    fields = ("record_type", "record_id", "reason")
    actions = ["lift"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # lifted, never deleted: the history of holds is evidence

    def create(self, *, actor: Actor, values: dict[str, Any]) -> LegalHold:
        return services.set_hold(actor=actor, **values)

    @admin.action(description=_("Lift the selected holds"), permissions=["change"])
    def lift(self, request: HttpRequest, queryset: QuerySet[LegalHold]) -> None:
        actor = Actor.from_request(request)
        for hold in queryset.filter(lifted_at__isnull=True):
            try:
                services.lift_hold(actor=actor, hold=hold)
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)


@admin.register(BookkeepingRecord)
class BookkeepingRecordAdmin(ServiceAdmin[BookkeepingRecord]):
    list_display = ("reference", "kind", "fiscal_year", "fiscal_year_end", "person", "company")
    list_filter = ("kind", "fiscal_year")
    search_fields = ("reference",)
    fields = ("kind", "reference", "document_date", "person", "company")
    raw_id_fields = ("person", "company")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def create(self, *, actor: Actor, values: dict[str, Any]) -> BookkeepingRecord:
        return services.register_bookkeeping_record(actor=actor, **values)

    def remove(self, *, actor: Actor, obj: BookkeepingRecord) -> None:
        services.delete_bookkeeping_record(actor=actor, bookkeeping=obj)


@admin.register(DueDiligenceRecord)
class DueDiligenceRecordAdmin(ServiceAdmin[DueDiligenceRecord]):
    list_display = ("reference", "performed_on", "relationship_ended_on", "person", "company")
    search_fields = ("reference",)
    fields = ("reference", "performed_on", "relationship_ended_on", "person", "company")
    raw_id_fields = ("person", "company")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["reference", "performed_on", "person", "company"] if obj else []

    def create(self, *, actor: Actor, values: dict[str, Any]) -> DueDiligenceRecord:
        return services.register_due_diligence_record(actor=actor, **values)

    def update(
        self, *, actor: Actor, obj: DueDiligenceRecord, changes: dict[str, Any]
    ) -> DueDiligenceRecord:
        return services.end_customer_relationship(
            actor=actor,
            due_diligence=obj,
            ended_on=changes.get("relationship_ended_on", obj.relationship_ended_on),
        )

    def remove(self, *, actor: Actor, obj: DueDiligenceRecord) -> None:
        services.delete_due_diligence_record(actor=actor, due_diligence=obj)


@admin.register(ReviewFlag)
class ReviewFlagAdmin(ReadOnlyAdmin[ReviewFlag]):
    list_display = ("__str__", "rule", "trigger_date", "flagged_at", "reviewed_at")
    list_filter = ("record_type", ("reviewed_at", admin.EmptyFieldListFilter), "rule")
    actions = ["mark_reviewed"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The list action only: a flag itself is never edited.
        return obj is None and request.user.has_perm("retention.change_reviewflag")

    @admin.action(description=_("Mark the selected records as reviewed"), permissions=["change"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[ReviewFlag]) -> None:
        actor = Actor.from_request(request)
        for flag in queryset.filter(reviewed_at__isnull=True):
            services.mark_reviewed(actor=actor, flag=flag)


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin[SweepRun]):
    list_display = ("started_at", "finished_at", "actor_label", "status")
    list_filter = ("status",)
    show_every_field = True


@admin.register(StatisticCell)
class StatisticCellAdmin(ReadOnlyAdmin[StatisticCell]):
    """Figures below the minimum group size are shown as "<5", never as their value."""

    list_display = ("metric", "year", "dimension", "shown_count")
    list_filter = ("metric", "year")
    fields = ("metric", "year", "dimension", "shown_count")
    readonly_fields = fields

    @admin.display(description=_("count"))
    def shown_count(self, obj: StatisticCell) -> str:
        count = suppress(obj.count)
        return str(count) if count is not None else f"<{minimum_group_size()}"
