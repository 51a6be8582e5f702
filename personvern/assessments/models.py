"""Screening for, and the record of, data protection impact assessments (GDPR Art. 35)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.processing.models import ProcessingActivity

from .choices import ResidualRisk


class Screening(models.Model):
    """Whether an activity needs a DPIA: the WP248 criteria it meets and the kinds of
    Datatilsynet's list it falls under (keys of ``criteria``' data files)."""

    activity = models.OneToOneField(
        ProcessingActivity,
        on_delete=models.CASCADE,
        related_name="dpia_screening",
        verbose_name=_("processing activity"),
    )
    criteria = models.JSONField(_("WP248 criteria met"), default=list, blank=True)
    listed_kinds = models.JSONField(_("kinds on Datatilsynet's list"), default=list, blank=True)
    reasoning = models.TextField(_("reasoning"), blank=True)
    needs_dpia = models.BooleanField(_("needs a DPIA"), default=False, editable=False)
    screened_at = models.DateTimeField(_("screened"), default=timezone.now)
    screened_by = models.CharField(_("screened by"), max_length=150)

    class Meta:
        verbose_name = _("DPIA screening")
        verbose_name_plural = _("DPIA screenings")
        ordering = ["activity__name"]

    def __str__(self) -> str:
        return str(self.activity)


class ImpactAssessment(models.Model):
    """A DPIA (Art. 35(7)): description, necessity and proportionality, risks, measures,
    residual risk, the DPO's advice (Art. 35(2)), sign-off and review; prior consultation
    (Art. 36) when the residual risk stays high."""

    activity = models.ForeignKey(
        ProcessingActivity,
        on_delete=models.PROTECT,
        related_name="impact_assessments",
        verbose_name=_("processing activity"),
    )
    description = models.TextField(_("systematic description of the processing"), blank=True)
    necessity = models.TextField(_("necessity and proportionality"), blank=True)
    risks = models.JSONField(
        _("risks to the people"),
        default=list,
        blank=True,
        help_text=_('A list of {"risk": text, "likelihood": 1-4, "severity": 1-4}.'),
    )
    measures = models.TextField(_("measures to address the risks"), blank=True)
    residual_risk = models.CharField(
        _("residual risk"), max_length=10, choices=ResidualRisk.choices, blank=True
    )
    dpo_advice = models.TextField(_("advice of the data-protection officer or contact"), blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    prior_consultation_on = models.DateField(
        _("prior consultation with Datatilsynet (Art. 36)"), null=True, blank=True
    )
    prior_consultation_reference = models.CharField(
        _("Datatilsynet's reference"), max_length=100, blank=True
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True, editable=False)
    signed_off_by = models.CharField(_("signed off by"), max_length=150, blank=True, editable=False)
    review_reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("impact assessment (DPIA)")
        verbose_name_plural = _("impact assessments (DPIA)")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"DPIA {self.activity}"
