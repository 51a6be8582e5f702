from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class Level(models.IntegerChoices):
    """Likelihood or severity of a risk to the people (a four-step scale)."""

    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    VERY_HIGH = 4, _("Very high")


class ResidualRisk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High: prior consultation with Datatilsynet (Art. 36)")


class AssessmentsErrorCode(ErrorCode):
    UNKNOWN_CRITERION = "unknown_criterion"
    UNKNOWN_LISTED_KIND = "unknown_listed_kind"
    DPIA_REQUIRED = "dpia_required"
    INCOMPLETE = "incomplete"
    INVALID_RISK = "invalid_risk"
    PRIOR_CONSULTATION_REQUIRED = "prior_consultation_required"
    ALREADY_SIGNED_OFF = "already_signed_off"
    INVALID_EXPORT_FORMAT = "invalid_export_format"
