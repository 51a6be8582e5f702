from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class SubjectCategory(models.TextChoices):
    """Categories of data subjects the privacy notice names (GDPR Art. 30(1)(c))."""

    CUSTOMER_CONTACT = "customer_contact", _("Customer contact")
    PARTNER_CONTACT = "partner_contact", _("Partner contact")
    SUPPLIER_CONTACT = "supplier_contact", _("Supplier contact")
    EMPLOYEE = "employee", _("Employee")
    JOB_APPLICANT = "job_applicant", _("Job applicant")
    WEBSITE_VISITOR = "website_visitor", _("Website visitor")
    LEAD = "lead", _("Lead")


class Source(models.TextChoices):
    """Where a record came from (GDPR Art. 14(2)(f) when not from the person)."""

    DATA_SUBJECT = "data_subject", _("From the person")
    INTERACTION = "interaction", _("From an interaction")
    THIRD_PARTY = "third_party", _("From a named third party")
    PUBLIC_SOURCE = "public_source", _("From a public source")


class InteractionChannel(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE_CALL = "phone_call", _("Phone call")
    EMAIL = "email", _("E-mail")
    DOCUMENT = "document", _("Document")
    SOCIAL_MEDIA = "social_media", _("Social media")
    WEB_FORM = "web_form", _("Web form")


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("In review")
    INTERVIEW = "interview", _("Interview")
    OFFERED = "offered", _("Offered")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def decided(cls) -> frozenset[str]:
        """Statuses that close an application; retention counts from their decision date."""
        return frozenset({cls.HIRED, cls.REJECTED, cls.WITHDRAWN})


class RegisterErrorCode(ErrorCode):
    INVALID_CATEGORY = "invalid_category"
    INVALID_SOURCE = "invalid_source"
    SOURCE_PARTY_REQUIRED = "source_party_required"
    CONSENT_PROOF_REQUIRED = "consent_proof_required"
    INVALID_CHANNEL = "invalid_channel"
    INVALID_STATUS = "invalid_status"
    DECISION_DATE_REQUIRED = "decision_date_required"
    DUPLICATE_ORGANISATION_NUMBER = "duplicate_organisation_number"
    UNKNOWN_FIELD = "unknown_field"
    FUTURE_TIME = "future_time"
    TOO_LONG = "too_long"
    PERSON_UNDER_LEGAL_HOLD = "person_under_legal_hold"
    RECORDS_KEPT_BY_LAW = "records_kept_by_law"
    OPEN_REQUEST = "open_request"
