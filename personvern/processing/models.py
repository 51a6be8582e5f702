"""The record of processing activities (GDPR Art. 30) and the processors behind them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .categories import category_name
from .choices import (
    ActivityStatus,
    AssessmentOutcome,
    CommunicationKind,
    DpfStatus,
    LegalBasis,
    SccModule,
    SpecialCategoryCondition,
    TransferMechanism,
)


class DataCategory(models.Model):
    """A category of personal data, named with the fideslang taxonomy key where one fits."""

    key = models.CharField(
        _("key"),
        max_length=100,
        unique=True,
        help_text=_("Fideslang data category, e.g. user.contact.email."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("data category")
        verbose_name_plural = _("data categories")
        ordering = ["key"]

    def __str__(self) -> str:
        # The name from the catalogue, in the reader's language (staff UI, forms).
        return f"{category_name(self)} ({self.key})"


class Processor(models.Model):
    """A processor or sub-processor handling personal data on the controller's behalf."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=20,
        blank=True,
        help_text=_("Norwegian organisation number, when the processor has one."),
    )
    country = models.CharField(
        _("country"), max_length=2, help_text=_("Where the data is processed; ISO 3166-1 alpha-2.")
    )
    services = models.TextField(_("services"), help_text=_("What the processor does for us."))
    data_categories = models.ManyToManyField(
        DataCategory, blank=True, related_name="processors", verbose_name=_("data categories")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_processors",
        verbose_name=_("sub-processor of"),
    )
    transfer_mechanism = models.CharField(
        _("transfer mechanism"),
        max_length=20,
        choices=TransferMechanism.choices,
        default=TransferMechanism.EEA,
    )
    dpf_name = models.CharField(
        _("name on the Data Privacy Framework list"),
        max_length=300,
        blank=True,
        help_text=_("For the EU-US DPF: the organisation's name as the DPF list gives it."),
    )
    scc_module = models.CharField(
        _("SCC module"), max_length=3, choices=SccModule.choices, blank=True, default=""
    )
    transfer_impact_assessment = models.FileField(
        _("transfer impact assessment"),
        upload_to="transfer-assessments/",
        blank=True,
        help_text=_("Required with standard contractual clauses."),
    )

    class Meta:
        verbose_name = _("processor")
        verbose_name_plural = _("processors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def transfer_is_valid(self) -> bool:
        return self.transfer_mechanism not in TransferMechanism.invalid()


def agreement_path(instance: DataProcessingAgreement, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1][:10] if "." in filename else "bin"
    return f"agreements/{instance.processor_id}/{timezone.now():%Y%m%d%H%M%S%f}.{suffix}"


class DataProcessingAgreement(models.Model):
    """A data-processing agreement (GDPR Art. 28(3)) with a processor."""

    processor = models.ForeignKey(
        Processor, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("processor")
    )
    signed_on = models.DateField(_("signed on"))
    review_due = models.DateField(
        _("review due"), help_text=_("When the agreement is next reviewed.")
    )
    document = models.FileField(_("document"), upload_to=agreement_path, blank=True)
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("The day the agreement ends; empty while it runs until terminated."),
    )
    expiry_alerted_on = models.DateField(_("expiry alert sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("data-processing agreement")
        verbose_name_plural = _("data-processing agreements")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return f"{self.processor} {self.signed_on}"


class ProcessingActivity(models.Model):
    """One entry of the record of processing activities."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"))
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    legal_basis_detail = models.CharField(
        _("legal basis detail"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the statute for a legal obligation (bokføringsloven § 13)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    data_categories = models.ManyToManyField(
        DataCategory, blank=True, related_name="activities", verbose_name=_("data categories")
    )
    subject_categories = models.JSONField(
        _("categories of data subjects"),
        default=list,
        blank=True,
        help_text=_("Register categories, e.g. customer_contact, job_applicant."),
    )
    communication = models.CharField(
        _("messages to people"),
        max_length=20,
        choices=CommunicationKind.choices,
        default=CommunicationKind.NONE,
    )
    existing_customer_exception = models.BooleanField(
        _("existing-customer exception"),
        default=False,
        help_text=_(
            "Marketing of the organisation's own similar services by e-mail or SMS to existing "
            "customers without prior consent (markedsføringsloven § 15)."
        ),
    )
    automated_decision_making = models.BooleanField(
        _("automated decision-making"),
        default=False,
        help_text=_(
            "Decisions about people based solely on automated processing, including profiling, "
            "with legal or similarly significant effects (GDPR Art. 22)."
        ),
    )
    automated_decision_logic = models.TextField(
        _("logic, significance and consequences"),
        blank=True,
        help_text=_(
            "When decisions are automated: the logic involved, and the significance and the "
            "envisaged consequences for the person (Art. 13(2)(f), 15(1)(h))."
        ),
    )
    sources = models.TextField(_("where the data comes from"), blank=True)
    recipients = models.TextField(_("categories of recipients"), blank=True)
    processors = models.ManyToManyField(
        Processor, blank=True, related_name="activities", verbose_name=_("processors")
    )
    retention = models.TextField(
        _("retention"), blank=True, help_text=_("Time limits for erasure.")
    )
    security_measures = models.TextField(_("security measures"), blank=True)
    record_group = models.CharField(
        _("group in the record"),
        max_length=100,
        blank=True,
        help_text=_(
            "E.g. Customers, Employees, Website: the exported record has one sheet per group."
        ),
    )
    joint_controllers = models.TextField(
        _("joint controllers"),
        blank=True,
        help_text=_("Who decides the purposes and means together with us (Art. 26), if any."),
    )
    special_category_condition = models.CharField(
        _("condition for special categories (Art. 9)"),
        max_length=1,
        choices=SpecialCategoryCondition.choices,
        blank=True,
        default="",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")
        ordering = ["name"]
        permissions = [("export_record", _("Can export the record of processing activities"))]

    def __str__(self) -> str:
        return self.name


class BalancingAssessment(models.Model):
    """The documented legitimate-interest assessment (purpose, necessity, balancing) that
    must exist before an activity on that basis may be made active."""

    activity = models.ForeignKey(
        ProcessingActivity,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("processing activity"),
    )
    purpose_test = models.TextField(_("purpose: the legitimate interest pursued"))
    necessity_test = models.TextField(_("necessity: why the processing is needed for it"))
    balancing_test = models.TextField(
        _("balancing: the person's interests, expectations and safeguards")
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=AssessmentOutcome.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_label = models.CharField(_("author"), max_length=150)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("balancing assessment")
        verbose_name_plural = _("balancing assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.activity} {self.assessed_on}"


class AdequacyDecision(models.Model):
    """A European Commission adequacy decision (GDPR Art. 45): the countries a transfer may
    rest on without further safeguards. Kept as data, with the decision's reference, so that
    staff follow the Commission's list (the United States is on it only through the Data
    Privacy Framework, for organisations on the DPF list: not here)."""

    country = models.CharField(
        _("country"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2.")
    )
    name = models.CharField(_("country name"), max_length=100)
    reference = models.CharField(
        _("decision"), max_length=200, help_text=_("E.g. Commission Decision (EU) 2019/419.")
    )
    adopted_on = models.DateField(_("adopted on"))
    scope = models.CharField(
        _("scope"), max_length=300, blank=True, help_text=_("Where the decision is partial.")
    )
    in_force = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("adequacy decision")
        verbose_name_plural = _("adequacy decisions")
        ordering = ["country"]

    def __str__(self) -> str:
        return f"{self.name}: {self.reference}"


class DpfImport(models.Model):
    """One import of the Data Privacy Framework list (the official CSV)."""

    imported_at = models.DateTimeField(_("imported"), default=timezone.now, db_index=True)
    filename = models.CharField(_("file"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"))
    actor_label = models.CharField(_("imported by"), max_length=150)

    class Meta:
        verbose_name = _("DPF list import")
        verbose_name_plural = _("DPF list imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} {self.imported_at:%Y-%m-%d}"


class DpfParticipant(models.Model):
    """An organisation on the EU-US Data Privacy Framework list, as last imported."""

    name = models.CharField(_("organisation"), max_length=300)
    name_key = models.CharField(_("name key"), max_length=300, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=DpfStatus.choices)
    imported = models.ForeignKey(
        DpfImport, on_delete=models.CASCADE, related_name="+", verbose_name=_("import")
    )

    class Meta:
        verbose_name = _("DPF participant")
        verbose_name_plural = _("DPF participants")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
