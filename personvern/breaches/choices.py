from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class BreachRisk(models.TextChoices):
    """The risk to people's rights and freedoms (Arts. 33(1) and 34(1))."""

    UNASSESSED = "unassessed", _("Not yet assessed")
    UNLIKELY = "unlikely", _("Unlikely to result in a risk: no notification (Art. 33(1))")
    RISK = "risk", _("A risk: notify Datatilsynet within 72 hours (Art. 33)")
    HIGH = "high", _("A high risk: also tell the people affected (Art. 34)")

    @classmethod
    def notifiable(cls) -> frozenset[str]:
        return frozenset({cls.UNASSESSED, cls.RISK, cls.HIGH})


class DiscoveryMethod(models.TextChoices):
    STAFF = "staff", _("Noticed by staff")
    SECURITY_SIGNAL = "security_signal", _("A security signal (log, blocklist, sign-ins)")
    PROCESSOR = "processor", _("Told by a processor")
    DATA_SUBJECT = "data_subject", _("Told by a person affected")
    THIRD_PARTY = "third_party", _("Told by someone else")


class NotificationPhase(models.TextChoices):
    """Art. 33(4): information may be given in phases."""

    INITIAL = "initial", _("Initial notification")
    FOLLOW_UP = "follow_up", _("Follow-up")
    FINAL = "final", _("Final report")


class SignalKind(models.TextChoices):
    BLOCKED_HITS = "blocked_hits", _("A blocked address keeps hitting the site")
    FAILED_SIGN_INS = "failed_sign_ins", _("A burst of failed staff sign-ins")
    AUDIT_VERIFICATION = "audit_verification", _("The audit log failed verification")
    LEDGER_VERIFICATION = "ledger_verification", _("The consent ledger failed verification")


class BreachErrorCode(ErrorCode):
    INVALID_TIMES = "invalid_times"
    REASONING_REQUIRED = "reasoning_required"
    DELAY_REASONS_REQUIRED = "delay_reasons_required"
    INITIAL_FIRST = "initial_first"
    NOT_HIGH_RISK = "not_high_risk"
    CLOSED = "closed"
    SIGNAL_HANDLED = "signal_handled"
    INVALID_EXPORT_FORMAT = "invalid_export_format"
    NO_CLIENTS = "no_clients"
    TITLE_REQUIRED = "title_required"
    INVALID_CATEGORY = "invalid_category"
    NO_TABLES = "no_tables"
