"""The record the firm keeps as a processor (GDPR Art. 30(2)): the client controllers it
processes personal data for, what it does for each, its sub-processors and transfers, the
security measures, and each client's data-processing agreement (Art. 28(3))."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.processing.models import DataCategory, Processor

from .choices import AgreementTemplate


class ClientController(models.Model):
    """A client the firm processes personal data for (Art. 30(2)(a))."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"),
        help_text=_("Where the client is told of a breach (Art. 33(2)); its privacy contact."),
    )
    processing = models.TextField(
        _("categories of processing"),
        help_text=_(
            "What the firm does for the client, e.g. payroll, bookkeeping (Art. 30(2)(b))."
        ),
    )
    data_categories = models.ManyToManyField(
        DataCategory, blank=True, related_name="+", verbose_name=_("data categories")
    )
    subject_categories = models.TextField(
        _("categories of data subjects"), blank=True, help_text=_("E.g. the client's employees.")
    )
    sub_processors = models.ManyToManyField(
        Processor, blank=True, related_name="+", verbose_name=_("sub-processors")
    )
    transfers = models.TextField(
        _("transfers to third countries"),
        blank=True,
        help_text=_("Country and safeguard of each transfer (Art. 30(2)(c)); empty if none."),
    )
    security_measures = models.TextField(
        _("security measures"), blank=True, help_text=_("Art. 32(1), Art. 30(2)(d).")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("client controller")
        verbose_name_plural = _("client controllers")
        ordering = ["name"]
        permissions = [("export_clientrecord", _("Can export the Art. 30(2) record"))]

    def __str__(self) -> str:
        return self.name


class ClientAgreement(models.Model):
    """A data-processing agreement with a client (Art. 28(3))."""

    client = models.ForeignKey(
        ClientController,
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("client controller"),
    )
    template = models.CharField(
        _("agreement"),
        max_length=20,
        choices=AgreementTemplate.choices,
        default=AgreementTemplate.REGNSKAP_NORGE,
    )
    signed_on = models.DateField(_("signed on"))
    review_due = models.DateField(_("review due"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("client's data-processing agreement")
        verbose_name_plural = _("clients' data-processing agreements")
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.client} {self.signed_on}"
