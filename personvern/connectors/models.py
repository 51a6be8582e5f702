"""SQL datasets (their current version and every earlier one) and the erasure journal.

The connection's URL and password are never stored: the dataset names the environment
variable or the secrets file they are read from (``sql.database_url``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .http import HttpSourceSpec, parse_http
from .spec import DatasetSpec, parse


class SqlDataset(models.Model):
    key = models.SlugField(
        _("key"),
        max_length=40,
        unique=True,
        help_text=_("Names the source in requests and reports; never changes."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("The system, as staff know it."))
    spec = models.JSONField(
        _("dataset"), help_text=_("Tables, identity columns, data categories and erasure rules.")
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    enabled = models.BooleanField(
        _("in use"), default=True, help_text=_("Requests reach the sources in use.")
    )
    updated_at = models.DateTimeField(_("saved"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("SQL data source")
        verbose_name_plural = _("SQL data sources")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    @property
    def dataset(self) -> DatasetSpec:
        return parse(self.spec, stored=True)  # checked in full when saved


class SqlDatasetVersion(models.Model):
    """Every saved version, as it was saved (the current one included)."""

    dataset = models.ForeignKey(
        SqlDataset, on_delete=models.CASCADE, related_name="versions", verbose_name=_("dataset")
    )
    version = models.PositiveIntegerField(_("version"))
    spec = models.JSONField(_("dataset"))
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)
    saved_by = models.CharField(_("saved by"), max_length=150)

    class Meta:
        verbose_name = _("SQL data source version")
        verbose_name_plural = _("SQL data source versions")
        ordering = ["dataset", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "version"], name="connectors_one_version")
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id} v{self.version}"


class ErasureStep(models.Model):
    """What an erasure did to one table of one source for one job (e.g. a request), written
    before the source commits: a run after a crash finds the count of the first."""

    job = models.CharField(_("job"), max_length=60)
    dataset = models.CharField(_("dataset"), max_length=40)
    table = models.CharField(_("table"), max_length=63)
    action = models.CharField(_("action"), max_length=10)
    count = models.PositiveBigIntegerField(_("rows"), default=0)
    reason = models.CharField(_("reason kept"), max_length=60, blank=True)
    keep_until = models.DateField(_("kept until"), null=True, blank=True)
    restricted = models.BooleanField(_("restricted"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("erasure step")
        verbose_name_plural = _("erasure steps")
        ordering = ["job", "dataset", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "dataset", "table"], name="connectors_one_step_per_table"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.dataset}.{self.table}"


class RectificationStep(models.Model):
    """What a rectification did to one table of one source for one job, written before the
    source commits (as ``ErasureStep``): a run after a crash reports the first run's count.
    ``kept_reason`` is set for a table kept under a legal obligation, which is not changed."""

    job = models.CharField(_("job"), max_length=60)
    dataset = models.CharField(_("dataset"), max_length=40)
    table = models.CharField(_("table"), max_length=63)
    count = models.PositiveBigIntegerField(_("rows"), default=0)
    fields = models.JSONField(_("fields"), default=list)
    kept_reason = models.CharField(_("reason kept"), max_length=60, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("rectification step")
        verbose_name_plural = _("rectification steps")
        ordering = ["job", "dataset", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "dataset", "table"], name="connectors_one_rectify_step_per_table"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.dataset}.{self.table}"


class HttpSource(models.Model):
    """A REST API source (``http.HttpSourceSpec``); its token is read from the environment."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    spec = models.JSONField(_("description"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    enabled = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("saved"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("HTTP data source")
        verbose_name_plural = _("HTTP data sources")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> HttpSourceSpec:
        return parse_http(self.spec)
