from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class AgreementTemplate(models.TextChoices):
    """The agreement a client signs. An accounting firm uses the industry's standard agreement
    (Regnskap Norge's «Standard databehandleravtale» under the industry norm, Bransjenorm for
    behandling av personopplysninger i regnskapsbransjen); another text is recorded as such."""

    REGNSKAP_NORGE = (
        "regnskap_norge",
        _("Regnskap Norge's standard data-processing agreement (industry norm)"),
    )
    OTHER = "other", _("Another agreement (the client's own text)")


class ClientsErrorCode(ErrorCode):
    INVALID_EXPORT_FORMAT = "invalid_export_format"
    AGREEMENT_DATES = "agreement_dates"
