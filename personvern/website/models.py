"""The website's side of the privacy notice: the cookie register behind the banner, the IP
security log (full addresses, short retention) with its masked statistics, and the manual
blocklist. Published notice versions are consent texts (immutable, hashed); ``PublishedNotice``
is their staff view."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.consent.models import ConsentText
from personvern.processing.models import ProcessingActivity
from personvern.register.models import Person

from .choices import CookieCategory, LogSource


class CookiePolicyVersion(models.Model):
    """What one published cookie policy version offered: the categories the banner showed
    with it. A decision answers one version, so it may grant or refuse only these (a decision
    against version 1 cannot consent to a category that version 2 added). Written when the
    policy is published; the texts themselves are consent texts (immutable, hashed)."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    categories = models.JSONField(
        _("categories"), default=list, help_text=_("The banner's categories in this version.")
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("cookie policy version")
        verbose_name_plural = _("cookie policy versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}: {', '.join(self.categories)}"


class Cookie(models.Model):
    """A cookie the website sets, as the banner and the privacy notice list it."""

    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. _ga."))
    provider = models.CharField(
        _("provider"), max_length=200, help_text=_("Who sets and reads it, e.g. Google LLC.")
    )
    category = models.CharField(_("category"), max_length=20, choices=CookieCategory.choices)
    purpose = models.ForeignKey(
        ProcessingActivity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cookies",
        verbose_name=_("processing activity"),
        help_text=_(
            "The consent-based activity a statistics or marketing cookie serves; the banner "
            "records the visitor's choice against it."
        ),
    )
    description = models.CharField(
        _("what it does"), max_length=300, help_text=_("E.g. to tell visitors apart.")
    )
    lifetime_days = models.PositiveIntegerField(
        _("lifetime (days)"), help_text=_("0 for a session cookie or less than a day.")
    )
    domain = models.CharField(_("domain"), max_length=200, help_text=_("E.g. numeri.no."))
    path = models.CharField(_("path"), max_length=200, default="/")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("cookie")
        verbose_name_plural = _("cookie register")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "domain", "path"], name="website_cookie_unique")
        ]

    def __str__(self) -> str:
        return self.name


class IpLogEntry(models.Model):
    """One request, for security, debugging and access control. The path is stored without
    its query string, which may hold personal data. A person is linked only when the request
    itself submitted their personal data."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"))
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=LogSource.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person (submitted data in this request)"),
    )

    class Meta:
        verbose_name = _("IP log entry")
        verbose_name_plural = _("IP security log")
        ordering = ["-at", "-id"]
        permissions = [("ingest_iplogentry", _("Can send the website's request log"))]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.status}"


class IpStatistic(models.Model):
    """Requests per day per masked network. The full address never reaches this table."""

    day = models.DateField(_("day"))
    masked_ip = models.CharField(
        _("masked address"), max_length=45, help_text=_("IPv4 /24 or IPv6 /48 network.")
    )
    source = models.CharField(_("source"), max_length=20, choices=LogSource.choices)
    requests = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("visit statistic (masked)")
        verbose_name_plural = _("visit statistics (masked)")
        ordering = ["-day", "masked_ip"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "masked_ip", "source"], name="website_ipstatistic_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.masked_ip} {self.requests}"


class BlockEntry(models.Model):
    """A manually blocked address or network. Kept until lifted (and afterwards, as the record
    of who blocked and lifted what, and why); reviewed on its review date."""

    network = models.CharField(
        _("address or network"), max_length=49, help_text=_("E.g. 203.0.113.7 or 2001:db8::/32.")
    )
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("blocked by (staff user)"),
    )
    created_by_label = models.CharField(_("blocked by"), max_length=150)
    created_at = models.DateTimeField(_("blocked"), default=timezone.now)
    review_on = models.DateField(_("review on"))
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by_label = models.CharField(_("lifted by"), max_length=150, blank=True)
    lift_reason = models.TextField(_("why lifted"), blank=True)

    class Meta:
        verbose_name = _("blocked address")
        verbose_name_plural = _("blocklist")
        ordering = ["review_on", "pk"]
        permissions = [("lift_blockentry", _("Can lift a block"))]
        indexes = [
            models.Index(
                fields=["review_on"], condition=Q(lifted_at__isnull=True), name="website_block_live"
            )
        ]

    def __str__(self) -> str:
        return self.network

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class PublishedNotice(ConsentText):
    """The published versions of the privacy notice, for staff (a view of consent texts)."""

    class Meta:
        proxy = True
        verbose_name = _("published privacy notice")
        verbose_name_plural = _("published privacy notices")
