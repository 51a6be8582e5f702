"""Retention rules, legal holds, the records Norwegian law makes the organisation keep, the
anonymised statistics kept after person-level data is gone, and the history of sweeps.

Writes go through ``services``; the sweep changes rows set-based, in batches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.processing.models import DataCategory, ProcessingActivity
from personvern.register.choices import SubjectCategory
from personvern.register.models import Company, Person

from .choices import (
    BookkeepingKind,
    HeldRecord,
    RetentionAction,
    StatisticMetric,
    SweepStatus,
    TargetRecord,
    Trigger,
)
from .periods import Period


class RetentionRule(models.Model):
    """Keep ``target`` records for a period after ``trigger``, then delete, anonymise or flag."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    processing_activity = models.ForeignKey(
        ProcessingActivity,
        on_delete=models.PROTECT,
        related_name="retention_rules",
        verbose_name=_("processing activity"),
    )
    data_category = models.ForeignKey(
        DataCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retention_rules",
        verbose_name=_("data category"),
        help_text=_("The category of personal data the rule is about, if one."),
    )
    target = models.CharField(_("records"), max_length=30, choices=TargetRecord.choices)
    subject_category = models.CharField(
        _("category of data subjects"),
        max_length=30,
        choices=SubjectCategory.choices,
        blank=True,
        help_text=_("Only records of people in this category; empty for all."),
    )
    bookkeeping_kind = models.CharField(
        _("kind of bookkeeping material"),
        max_length=20,
        choices=BookkeepingKind.choices,
        blank=True,
        help_text=_("For bookkeeping records: which class of § 13; empty for both."),
    )
    trigger = models.CharField(_("counts from"), max_length=30, choices=Trigger.choices)
    # For rules on an external SQL source: "dataset key.table" and the table's date column.
    source_table = models.CharField(
        _("external table"),
        max_length=110,
        blank=True,
        help_text=_("For rows of an external SQL source: the dataset's table."),
    )
    trigger_column = models.CharField(
        _("trigger column"),
        max_length=63,
        blank=True,
        help_text=_("For an external table: the date or timestamp column the period counts from."),
    )
    period_years = models.PositiveSmallIntegerField(_("years"), default=0)
    period_months = models.PositiveSmallIntegerField(_("months"), default=0)
    period_days = models.PositiveSmallIntegerField(_("days"), default=0)
    action = models.CharField(_("then"), max_length=20, choices=RetentionAction.choices)
    legal_source = models.TextField(
        _("legal source"),
        help_text=_("The statute, contract or assessment the period rests on."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["processing_activity__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def period(self) -> Period:
        return Period(self.period_years, self.period_months, self.period_days)


class LegalHold(models.Model):
    """A dispute, claim or ongoing request that stops every rule for a person or one record
    until it is lifted. Lifted holds stay as the record of who held what, when and why."""

    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("person"),
        help_text=_("The person the held data is about."),
    )
    record_type = models.CharField(_("holds"), max_length=30, choices=HeldRecord.choices)
    record_id = models.BigIntegerField(_("record id"))
    reason = models.TextField(_("reason"), help_text=_("The dispute, claim or request."))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by (staff user)"),
    )
    set_by_label = models.CharField(_("set by"), max_length=150)
    set_at = models.DateTimeField(_("set"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by (staff user)"),
    )
    lifted_by_label = models.CharField(_("lifted by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-set_at", "-pk"]
        indexes = [
            models.Index(
                fields=["record_type", "record_id"],
                condition=Q(lifted_at__isnull=True),
                name="retention_hold_active_record",
            ),
            models.Index(
                fields=["person"],
                condition=Q(lifted_at__isnull=True),
                name="retention_hold_active_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} #{self.record_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class BookkeepingRecord(models.Model):
    """A piece of bookkeeping material naming a person or a company (bokføringsloven § 13).

    The document itself lives in the accounting system; this row says which fiscal year it
    belongs to, so the engine knows how long the law requires it to be kept."""

    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookkeeping_records",
        verbose_name=_("person"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookkeeping_records",
        verbose_name=_("company"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BookkeepingKind.choices)
    reference = models.CharField(
        _("reference"), max_length=100, help_text=_("Voucher or document number.")
    )
    document_date = models.DateField(_("document date"))
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), help_text=_("The calendar year in which the fiscal year ends.")
    )
    fiscal_year_end = models.DateField(_("fiscal year end"), db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bookkeeping record")
        verbose_name_plural = _("bookkeeping records")
        ordering = ["-fiscal_year_end", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.fiscal_year})"


class DueDiligenceRecord(models.Model):
    """Customer due diligence under hvitvaskingsloven: kept five years after the customer
    relationship ended (§ 30)."""

    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="due_diligence_records",
        verbose_name=_("person"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="due_diligence_records",
        verbose_name=_("customer"),
    )
    reference = models.CharField(_("reference"), max_length=100)
    performed_on = models.DateField(_("performed on"))
    relationship_ended_on = models.DateField(
        _("customer relationship ended"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty while the customer relationship lasts."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("customer due-diligence record")
        verbose_name_plural = _("customer due-diligence records")
        ordering = ["-performed_on", "reference"]

    def __str__(self) -> str:
        return self.reference


class ReviewFlag(models.Model):
    """A record a rule says a person should look at before anything is removed."""

    rule = models.ForeignKey(
        RetentionRule, on_delete=models.CASCADE, related_name="flags", verbose_name=_("rule")
    )
    record_type = models.CharField(_("records"), max_length=30, choices=TargetRecord.choices)
    record_id = models.BigIntegerField(_("record id"))
    trigger_date = models.DateField(_("counted from"), null=True)
    flagged_at = models.DateTimeField(_("flagged"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by_label = models.CharField(_("reviewed by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("record flagged for review")
        verbose_name_plural = _("records flagged for review")
        ordering = ["-flagged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "record_type", "record_id"], name="retention_flag_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} #{self.record_id}"


class StatisticCell(models.Model):
    """One anonymised figure: how many of something per year and dimension. Figures below
    the minimum group size are stored but never shown (see ``selectors.statistics``)."""

    metric = models.CharField(_("figure"), max_length=40, choices=StatisticMetric.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    dimension = models.CharField(_("group"), max_length=200)
    count = models.PositiveBigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("anonymised statistic")
        verbose_name_plural = _("anonymised statistics")
        ordering = ["metric", "year", "dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "year", "dimension"], name="retention_statistic_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.year} {self.dimension}"


class SweepRun(models.Model):
    """One run of the sweep. Its counts are updated in the same transaction as each batch,
    so they stay true even if the run is stopped half-way."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    actor_label = models.CharField(_("run by"), max_length=150)
    status = models.CharField(
        _("status"), max_length=20, choices=SweepStatus.choices, default=SweepStatus.RUNNING
    )
    report = models.JSONField(
        _("report"), default=dict, blank=True, help_text=_("Counts and dates per rule.")
    )

    class Meta:
        verbose_name = _("retention sweep")
        verbose_name_plural = _("retention sweeps")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"
