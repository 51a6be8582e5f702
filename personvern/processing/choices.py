import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class LegalBasis(models.TextChoices):
    """GDPR Art. 6(1)(a) to (f)."""

    CONSENT = "consent", _("Consent (Art. 6(1)(a))")
    CONTRACT = "contract", _("Contract (Art. 6(1)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (Art. 6(1)(c))")
    VITAL_INTERESTS = "vital_interests", _("Vital interests (Art. 6(1)(d))")
    PUBLIC_TASK = "public_task", _("Public task (Art. 6(1)(e))")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (Art. 6(1)(f))")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class CommunicationKind(models.TextChoices):
    """Whether an activity sends messages to people, and which kind: marketing needs a
    permission; service messages under a contract do not (and ignore marketing opt-outs)."""

    NONE = "none", _("No messages to people")
    DIRECT_MARKETING = "direct_marketing", _("Direct marketing")
    SERVICE_MESSAGES = (
        "service_messages",
        _("Contract and service messages (order confirmations, invoices, reminders, notices)"),
    )


class AssessmentOutcome(models.TextChoices):
    """The result of a legitimate-interest balancing test."""

    FAVOURABLE = "favourable", _("The interest is not overridden: processing may go ahead")
    FAVOURABLE_WITH_SAFEGUARDS = (
        "favourable_with_safeguards",
        _("The interest is not overridden with the safeguards recorded"),
    )
    UNFAVOURABLE = "unfavourable", _("The person's interests override: no processing")

    @classmethod
    def permits_processing(cls) -> frozenset[str]:
        return frozenset({cls.FAVOURABLE, cls.FAVOURABLE_WITH_SAFEGUARDS})


PRIVACY_SHIELD_INVALID_SINCE = datetime.date(2020, 7, 16)


class TransferMechanism(models.TextChoices):
    """How a transfer of personal data to a processor is lawful (GDPR Chapter V)."""

    EEA = "eea", _("Within the EEA: no transfer")
    ADEQUACY = "adequacy", _("Adequacy decision (Art. 45)")
    EU_US_DPF = "eu_us_dpf", _("EU-US Data Privacy Framework (adequacy decision of 10 July 2023)")
    SCC = "scc", _("Standard contractual clauses (Art. 46(2)(c))")
    BCR = "bcr", _("Binding corporate rules (Art. 47)")
    PRIVACY_SHIELD = (
        "privacy_shield",
        _("EU-US Privacy Shield: INVALID since 16 July 2020 (CJEU C-311/18, Schrems II)"),
    )

    @classmethod
    def invalid(cls) -> frozenset[str]:
        return frozenset({cls.PRIVACY_SHIELD})


class SpecialCategoryCondition(models.TextChoices):
    """GDPR Art. 9(2): the condition that lifts the ban on special categories of data."""

    NONE = "", _("No special categories of personal data")
    EXPLICIT_CONSENT = "a", _("Art. 9(2)(a): explicit consent")
    EMPLOYMENT = "b", _("Art. 9(2)(b): employment, social security and social protection law")
    VITAL_INTERESTS = "c", _("Art. 9(2)(c): vital interests")
    NOT_FOR_PROFIT = "d", _("Art. 9(2)(d): members of a not-for-profit body")
    MADE_PUBLIC = "e", _("Art. 9(2)(e): made public by the data subject")
    LEGAL_CLAIMS = "f", _("Art. 9(2)(f): legal claims")
    PUBLIC_INTEREST = "g", _("Art. 9(2)(g): substantial public interest")
    HEALTH_CARE = "h", _("Art. 9(2)(h): health or social care")
    PUBLIC_HEALTH = "i", _("Art. 9(2)(i): public health")
    ARCHIVING = "j", _("Art. 9(2)(j): archiving, research or statistics")


# Parts of fideslang keys naming the special categories of Art. 9(1) (criminal convictions
# are Art. 10's, which no condition of Art. 9(2) lifts).
ART9_CATEGORY_PARTS = (
    "health",
    "biometric",
    "genetic",
    "political",
    "religious",
    "sexual",
    "racial",
    "race_ethnicity",
    "ethnic",
    "union",
)


class SccModule(models.TextChoices):
    """The module of the standard contractual clauses used (Commission Implementing Decision
    (EU) 2021/914)."""

    NONE = "", _("No standard contractual clauses")
    C2C = "c2c", _("Module 1: controller to controller")
    C2P = "c2p", _("Module 2: controller to processor")
    P2P = "p2p", _("Module 3: processor to processor")
    P2C = "p2c", _("Module 4: processor to controller")


class DpfStatus(models.TextChoices):
    """A participant's status on the Data Privacy Framework list."""

    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


# The EEA: the 27 EU member states and Iceland, Liechtenstein and Norway.
EEA_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)


class ProcessingErrorCode(ErrorCode):
    INVALID_LEGAL_BASIS = "invalid_legal_basis"
    INVALID_STATUS = "invalid_status"
    UNKNOWN_DATA_CATEGORY = "unknown_data_category"
    INVALID_SUBJECT_CATEGORY = "invalid_subject_category"
    BALANCING_ASSESSMENT_REQUIRED = "balancing_assessment_required"
    INVALID_OUTCOME = "invalid_outcome"
    INVALID_TRANSFER_MECHANISM = "invalid_transfer_mechanism"
    TRANSFER_MECHANISM_REQUIRED = "transfer_mechanism_required"
    INVALID_COUNTRY = "invalid_country"
    INVALID_EXPORT_FORMAT = "invalid_export_format"
    UNKNOWN_FIELD = "unknown_field"
    DUPLICATE_NAME = "duplicate_name"
    SELF_PARENT = "self_parent"
    INVALID_COMMUNICATION = "invalid_communication"
    EXCEPTION_NEEDS_MARKETING = "exception_needs_marketing"
    ASSESSMENT_IN_FUTURE = "assessment_in_future"
    PROCESSOR_HAS_SUB_PROCESSORS = "processor_has_sub_processors"
    PROCESSOR_IN_USE = "processor_in_use"
    TOO_LONG = "too_long"
    # transfers and agreements (issue 13)
    NO_ADEQUACY_DECISION = "no_adequacy_decision"
    NOT_ON_DPF_LIST = "not_on_dpf_list"
    SCC_INCOMPLETE = "scc_incomplete"
    TRANSFER_INVALID = "transfer_invalid"
    AGREEMENT_MISSING = "agreement_missing"
    AGREEMENT_DATES = "agreement_dates"
    INVALID_DPF_FILE = "invalid_dpf_file"
    INVALID_SPECIAL_CONDITION = "invalid_special_condition"
    SPECIAL_CONDITION_REQUIRED = "special_condition_required"
