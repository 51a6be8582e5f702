from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisoryAuthority(models.Model):
    """The data-protection authority people may complain to (Datatilsynet for Norway)."""

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2."))
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164."))
    postal_address = models.TextField(_("postal address"), blank=True)

    class Meta:
        verbose_name = _("supervisory authority")
        verbose_name_plural = _("supervisory authorities")

    def __str__(self) -> str:
        return self.name


# GDPR Art. 12(3): a request is answered within one month of receipt. The days an organisation
# gives itself unless it sets its own (``request_deadline_days``), and what the request
# workflow counts before any organisation is configured.
DEFAULT_REQUEST_DEADLINE_DAYS = 30


class Organisation(models.Model):
    """The controller: the organisation this installation keeps the register for."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=20,
        unique=True,
        help_text=_("Norwegian organisation number, 9 digits."),
    )
    responsible_role = models.CharField(
        _("responsible role"),
        max_length=200,
        help_text=_("The role answerable for processing, e.g. the managing director."),
    )
    privacy_contact_email = models.EmailField(_("privacy contact e-mail"))
    postal_address = models.TextField(_("postal address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    supervisory_authority = models.ForeignKey(
        SupervisoryAuthority,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("supervisory authority"),
    )
    request_deadline_days = models.PositiveSmallIntegerField(
        _("request deadline (days)"),
        default=DEFAULT_REQUEST_DEADLINE_DAYS,
        help_text=_("Days to answer a data subject's request; GDPR allows one month."),
    )
    cookie_lifetime_limit_days = models.PositiveSmallIntegerField(
        _("cookie lifetime limit (days)"),
        default=30,
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self) -> str:
        return self.legal_name
