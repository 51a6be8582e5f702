"""Vocabulary of data subject requests (GDPR Art. 12-22) and the domain's error codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class RequestType(models.TextChoices):
    ACCESS = "access", _("Access to my data (Art. 15)")
    RECTIFICATION = "rectification", _("Rectification of my data (Art. 16)")
    ERASURE = "erasure", _("Erasure of my data (Art. 17)")
    RESTRICTION = "restriction", _("Restriction of processing (Art. 18)")
    OBJECTION = "objection", _("Objection to processing (Art. 21)")
    CONSENT_WITHDRAWAL = "consent_withdrawal", _("Withdrawal of consent (Art. 7(3))")
    PORTABILITY = "portability", _("Data portability (Art. 20)")


class RequestStatus(models.TextChoices):
    AWAITING_VERIFICATION = "awaiting_verification", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    LAPSED = "lapsed", _("Lapsed (not verified in time)")

    @classmethod
    def open(cls) -> frozenset[str]:
        return frozenset({cls.AWAITING_VERIFICATION, cls.VERIFIED, cls.IN_PROGRESS})


class ReceivedChannel(models.TextChoices):
    PORTAL = "portal", _("Self-service portal")
    API = "api", _("The organisation's website (API)")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")

    @classmethod
    def staff(cls) -> frozenset[str]:
        """Channels where a staff member takes the request down."""
        return frozenset({cls.PHONE, cls.LETTER, cls.EMAIL})


class Language(models.TextChoices):
    NB = "nb", _("Norwegian Bokmål")
    EN = "en", _("English")


class VerificationMethod(models.TextChoices):
    EMAIL_LINK = "email_link", _("Single-use link sent to the e-mail address")
    STAFF = "staff", _("Verified by staff by other means (see the note)")


class ObjectionScope(models.TextChoices):
    DIRECT_MARKETING = "direct_marketing", _("Direct marketing (absolute, Art. 21(2)-(3))")
    LEGITIMATE_INTEREST = (
        "legitimate_interest",
        _("Processing based on legitimate interest (Art. 21(1))"),
    )


class TokenPurpose(models.TextChoices):
    VERIFY = "verify", _("Verification link")
    DOWNLOAD = "download", _("Download link")
    # Not single-use: the person may look at the request's state as often as they like.
    STATUS = "status", _("Status link")


class SourceStatus(models.TextChoices):
    """Progress of one data source within one request (erasure is resumed from it)."""

    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    FAILING = "failing", _("Failing: retried with backoff")
    FAILED = "failed", _("Failed: every attempt spent")


class EventKind(models.TextChoices):
    """The request's timeline; every entry is also in the audit log."""

    SUBMITTED = "submitted", _("Received")
    VERIFIED = "verified", _("Verified")
    PERSON_MATCHED = "person_matched", _("Matched with a person in the register")
    NO_MATCH = "no_match", _("No one in the register with this address")
    SEVERAL_MATCHES = "several_matches", _("Several people with this address: staff chooses")
    STARTED = "started", _("Fulfilment started")
    SOURCE_DONE = "source_done", _("A data source finished")
    PACKAGE_BUILT = "package_built", _("Data package built")
    DELIVERED = "delivered", _("Data sent to another controller")
    DELIVERY_ATTEMPT_FAILED = (
        "delivery_attempt_failed",
        _("An attempt to send the data to another controller failed"),
    )
    DELIVERY_FAILED = "delivery_failed", _("Sending to another controller failed: download sent")
    DOWNLOADED = "downloaded", _("Data package downloaded")
    RECTIFIED = "rectified", _("Data rectified")
    RESTRICTED = "restricted", _("Processing restricted")
    LIFT_ANNOUNCED = "lift_announced", _("Person told the restriction will be lifted")
    RESTRICTION_LIFTED = "restriction_lifted", _("Restriction lifted")
    OBJECTION_RECORDED = "objection_recorded", _("Objection recorded")
    OBJECTION_DECIDED = "objection_decided", _("Objection decided by the privacy officer")
    CONSENTS_WITHDRAWN = "consents_withdrawn", _("Consents withdrawn")
    EXTENDED = "extended", _("Deadline extended")
    REFUSED = "refused", _("Refused")
    DONE = "done", _("Done")
    LETTER = "letter", _("Letter sent")
    LETTER_FAILED = "letter_failed", _("Letter could not be sent")
    REMINDED = "reminded", _("Staff reminded of the due date")
    VERIFICATION_RESENT = "verification_resent", _("Verification link sent again")
    LAPSED = "lapsed", _("Closed: not verified in time")
    PACKAGE_DELETED = "package_deleted", _("Data package deleted")
    JOB_RETRIED = "job_retried", _("Background job run again")
    JOB_FAILED = "job_failed", _("Background job failed")
    SOURCE_FAILED = "source_failed", _("A data source failed")
    TASK_CREATED = "task_created", _("Manual task created")
    TASK_CLOSED = "task_closed", _("Manual task closed")
    TASK_REMINDED = "task_reminded", _("Staff reminded of a manual task")
    RECIPIENTS_NOTIFIED = "recipients_notified", _("Recipients notified (Art. 19)")
    # issue 13 part B (lang): a partial refusal of access on a statutory exemption
    EXEMPTION_DECIDED = "exemption_decided", _("Partial refusal of access decided")


class DeliveryError(models.TextChoices):
    """What went wrong with one attempt to send portability data to another controller."""

    HTTP_STATUS = "http_status", _("The recipient answered with an error status")
    CONNECTION_FAILED = "connection_failed", _("No connection (refused or unreachable)")
    TIMEOUT = "timeout", _("No answer in time")
    TLS_FAILED = "tls_failed", _("The secure connection failed (certificate)")
    BAD_RESPONSE = "bad_response", _("The answer was not valid HTTP")
    DNS_FAILED = "dns_failed", _("The host name could not be looked up")
    ADDRESS_REFUSED = "address_refused", _("The address is not a public internet address")
    INVALID_ADDRESS = "invalid_address", _("The address is not valid")

    @classmethod
    def final(cls) -> frozenset[str]:
        """Errors another attempt cannot cure: the address itself is refused."""
        return frozenset({cls.ADDRESS_REFUSED, cls.INVALID_ADDRESS})


class RightsErrorCode(ErrorCode):
    INVALID_TYPE = "invalid_type"
    INVALID_LANGUAGE = "invalid_language"
    INVALID_CHANNEL = "invalid_channel"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - an error code, not a secret
    INVALID_STATE = "invalid_state"
    INVALID_DESTINATION = "invalid_destination"
    PRIVATE_DESTINATION = "private_destination"
    INVALID_OBJECTION_SCOPE = "invalid_objection_scope"
    INVALID_PURPOSE = "invalid_purpose"
    NOTE_REQUIRED = "note_required"
    REASON_REQUIRED = "reason_required"
    EXTENSION_TOO_LATE = "extension_too_late"
    EXTENSION_TOO_LONG = "extension_too_long"
    EXTENSION_NOT_LATER = "extension_not_later"
    PERSON_REQUIRED = "person_required"
    NOT_RESTRICTED = "not_restricted"
    LIFT_NOT_ANNOUNCED = "lift_not_announced"
    RESTRICTED = "restricted"
    UNKNOWN_FIELD = "unknown_field"
    NOT_A_MATCH = "not_a_match"
    NOT_A_RESTRICTION = "not_a_restriction"
    MAIL_FAILED = "mail_failed"
    ERASED = "erased"
    TASK_CLOSED = "task_closed"
    TASKS_OPEN = "tasks_open"
    TASK_NOTE_REQUIRED = "task_note_required"
    TASK_OUTCOME_INVALID = "task_outcome_invalid"
    NOT_ACCESS = "not_access"
    INVALID_GROUND = "invalid_ground"
    WITHHELD_REQUIRED = "withheld_required"
    UNKNOWN_KIND = "unknown_kind"
    SOURCE_FAILED = "source_failed"
    NO_FAILED_SOURCE = "no_failed_source"


class ManualTaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done as instructed")
    NOTHING_FOUND = "nothing_found", _("Nothing found")
    KEPT = "kept", _("Kept, with a reason")


class TaskStep(models.TextChoices):
    """What part of a request a data source is asked to do: the request's own part, or a
    restriction put in place or lifted outside it (``services.steps``)."""

    REQUEST = "", _("The request itself")
    RESTRICT = "restrict", _("Restriction of processing while an objection is assessed")
    LIFT = "lift", _("Lifting of the restriction of processing")


class AccessExemption(models.TextChoices):
    """The statutory grounds on which part of an access request may be refused
    (personopplysningsloven § 16, GDPR Art. 23), decided by the privacy officer. The refusal
    must cite its ground precisely (§ 16 third paragraph); ``LETTER_GROUNDS`` in ``letters``
    says what the person is told for each."""

    CRIME_PREVENTION = (
        "popplyl_16_b",
        _(
            "Personopplysningsloven § 16 (1)(b): must be kept secret to prevent, investigate, "
            "detect or prosecute criminal offences"
        ),
    )
    CONFIDENTIALITY = (
        "popplyl_16_d",
        _("Personopplysningsloven § 16 (1)(d): subject to a statutory duty of confidentiality"),
    )
    MONEY_LAUNDERING_REPORT = (
        "hvitvaskingsloven_28",
        _(
            "Personopplysningsloven § 16 (1)(d) with hvitvaskingsloven § 28: the ban on telling a "
            "customer about investigations or reports to Økokrim (the letter cites § 16 (1)(d) "
            "only)"
        ),
    )
    INTERNAL_PREPARATION = (
        "popplyl_16_e",
        _(
            "Personopplysningsloven § 16 (1)(e): only in documents for the internal preparation of "
            "a case, not given to others"
        ),
    )
