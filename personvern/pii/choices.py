from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class FindingKind(models.TextChoices):
    NO_FNR = "no_fnr", _("Norwegian national identity number")
    NO_DNR = "no_dnr", _("Norwegian D-number")
    NO_HNR = "no_hnr", _("Norwegian H-number")
    SE_PERSONNUMMER = "se_personnummer", _("Swedish personal identity number")
    DK_CPR = "dk_cpr", _("Danish CPR number")
    FI_HETU = "fi_hetu", _("Finnish personal identity code")
    HEALTH = "health", _("Health")
    UNION = "union", _("Trade-union membership")
    RELIGION = "religion", _("Religious or philosophical beliefs")
    POLITICS = "politics", _("Political opinions")
    SEXUAL_ORIENTATION = "sexual_orientation", _("Sex life or sexual orientation")
    ETHNICITY = "ethnicity", _("Racial or ethnic origin")
    GENETIC = "genetic", _("Genetic data")
    BIOMETRIC = "biometric", _("Biometric data")
    CRIMINAL = "criminal", _("Criminal convictions and offences")

    @classmethod
    def identity_numbers(cls) -> frozenset[str]:
        return frozenset(
            {cls.NO_FNR, cls.NO_DNR, cls.NO_HNR, cls.SE_PERSONNUMMER, cls.DK_CPR, cls.FI_HETU}
        )

    @classmethod
    def group_of(cls, kind: str) -> str:
        """``identity`` (a unique identifier), ``special`` (Art. 9) or ``criminal`` (Art. 10)."""
        if kind in cls.identity_numbers():
            return "identity"
        return "criminal" if kind == cls.CRIMINAL else "special"


class FindingStatus(models.TextChoices):
    OPEN = "open", _("To review")
    REDACTED = "redacted", _("Redacted")
    DELETED = "deleted", _("Record deleted")
    ACCEPTED = "accepted", _("Accepted with a legal basis")


class FieldPolicyAction(models.TextChoices):
    WARN = "warn", _("Warn: save, record the finding and tell the staff member")
    REFUSE = "refuse", _("Refuse: do not save")


class Article9Basis(models.TextChoices):
    """The exceptions of GDPR Art. 9(2) (and Art. 10 for criminal-offence data) under which the
    privacy officer may keep what was found."""

    EXPLICIT_CONSENT = "9_2_a", _("Art. 9(2)(a): explicit consent")
    EMPLOYMENT = "9_2_b", _("Art. 9(2)(b): employment and social security law")
    VITAL_INTERESTS = "9_2_c", _("Art. 9(2)(c): vital interests")
    MEMBERSHIP_BODY = (
        "9_2_d",
        _("Art. 9(2)(d): a foundation, association or other not-for-profit body"),
    )
    MADE_PUBLIC = "9_2_e", _("Art. 9(2)(e): made manifestly public by the person")
    LEGAL_CLAIMS = "9_2_f", _("Art. 9(2)(f): legal claims")
    PUBLIC_INTEREST = "9_2_g", _("Art. 9(2)(g): substantial public interest")
    HEALTH_CARE = "9_2_h", _("Art. 9(2)(h): health or social care")
    PUBLIC_HEALTH = "9_2_i", _("Art. 9(2)(i): public health")
    ARCHIVING = "9_2_j", _("Art. 9(2)(j): archiving, research or statistics")
    CRIMINAL_AUTHORISED = "10", _("Art. 10 with personopplysningsloven § 11: authorised by law")
    IDENTITY_NUMBER_NEEDED = (
        "pol_12",
        _("Personopplysningsloven § 12: a real need for secure identification"),
    )


class PiiErrorCode(ErrorCode):
    REFUSED_CONTENT = "pii_refused_content"
    UNKNOWN_FIELD = "pii_unknown_field"
    UNKNOWN_TARGET = "pii_unknown_target"
    NOT_OPEN = "pii_finding_not_open"
    REASON_REQUIRED = "pii_reason_required"
    INVALID_BASIS = "pii_invalid_basis"
    INVALID_POLICY = "pii_invalid_policy"
    REDACTION_NOT_SUPPORTED = "pii_redaction_not_supported"
    RECORD_GONE = "pii_record_gone"
    STALE_FINDING = "pii_stale_finding"
    TOO_MANY_TEXTS = "pii_too_many_texts"
