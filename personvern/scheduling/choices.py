"""Vocabulary of background jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobTroubleKind(models.TextChoices):
    """What happened to a job that did not simply succeed."""

    RETRYING = "retrying", _("Being run again")
    FAILED = "failed", _("Failed")


class JobTroubleReason(models.TextChoices):
    """Why; shown to staff. Codes only: an exception's message may hold personal data."""

    WORKER_LOST = "worker_lost", _("The worker stopped responding")
    WORKER_STOPPED = "worker_stopped", _("The worker was stopped during the job")
    DATABASE_UNAVAILABLE = "database_unavailable", _("The database could not be reached")
    ERROR = "error", _("The job raised an error")
