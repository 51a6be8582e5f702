from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """How many requests one client sent to one public endpoint in one minute, shared by every
    web process through the database. The bucket is a keyed hash of endpoint, address and
    minute: no address is stored, and rows live two minutes at most."""

    bucket = models.CharField(_("bucket"), max_length=64, primary_key=True)
    count = models.PositiveIntegerField(_("requests"), default=0)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return self.bucket[:8]
