from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class TargetRecord(models.TextChoices):
    """What a retention rule removes. Each value has one handler in ``services.targets``."""

    INTERACTIONS = "interactions", _("Interactions")
    PEOPLE = "people", _("People (the whole person record)")
    JOB_APPLICATIONS = "job_applications", _("Job applications and their documents")
    BOOKKEEPING_RECORDS = "bookkeeping_records", _("Bookkeeping records")
    DUE_DILIGENCE_RECORDS = "due_diligence_records", _("Customer due-diligence records")
    IP_LOG_ENTRIES = "ip_log_entries", _("IP security log entries")
    DATA_SUBJECT_REQUESTS = "data_subject_requests", _("Answered data-subject requests")
    CONSENT_EVIDENCE = (
        "consent_evidence",
        _("Personal parts of consent evidence (masked IP address, browser)"),
    )
    EXTERNAL_TABLE = "external_table", _("Rows of a table in an external SQL source")


class Trigger(models.TextChoices):
    """The event a retention period counts from."""

    LAST_INTERACTION = "last_interaction", _("Last interaction with the person")
    RELATIONSHIP_ENDED = "relationship_ended", _("End of the customer relationship")
    FISCAL_YEAR_END = "fiscal_year_end", _("End of the fiscal year the document belongs to")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    APPLICATION_DECIDED = "application_decided", _("Decision on the job application")
    CREATED = "created", _("Creation of the record")
    REQUEST_CLOSED = "request_closed", _("The request was answered or closed")
    CONSENT_ENDED = (
        "consent_ended",
        _("The consent ended (withdrawn, refused or replaced by a later answer)"),
    )
    DATE_COLUMN = "date_column", _("The date in the external table's trigger column")


class RetentionAction(models.TextChoices):
    DELETE = "delete", _("Delete")
    ANONYMISE = "anonymise", _("Anonymise")
    FLAG = "flag", _("Flag for review")


class BookkeepingKind(models.TextChoices):
    """The two retention classes of bokføringsloven § 13."""

    PRIMARY = (
        "primary",
        _("Accounts, specifications and documentation of entries (5 years)"),
    )
    AGREEMENTS = (
        "agreements",
        _("Agreements and material correspondence (3 years and 6 months)"),
    )


class HeldRecord(models.TextChoices):
    """What a legal hold covers: the whole person, or one of the person's records."""

    PERSON = "person", _("The person and all their records")
    INTERACTION = "interaction", _("One interaction")
    JOB_APPLICATION = "job_application", _("One job application")
    BOOKKEEPING_RECORD = "bookkeeping_record", _("One bookkeeping record")
    DUE_DILIGENCE_RECORD = "due_diligence_record", _("One customer due-diligence record")


class StatisticMetric(models.TextChoices):
    """Anonymised figures kept after the person-level data is gone."""

    PEOPLE_BY_CATEGORY = "people_by_category", _("People per year registered and category")
    INTERACTIONS_BY_CHANNEL = "interactions_by_channel", _("Interactions per year and channel")
    CONSENTS_BY_PURPOSE = "consents_by_purpose", _("Consents per year, purpose and answer")
    APPLICATIONS_BY_STATUS = "applications_by_status", _("Job applications per year and outcome")
    REQUESTS_BY_TYPE = "requests_by_type", _("Data-subject requests per year and type")


class SweepStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    INTERRUPTED = "interrupted", _("Interrupted; a rerun does the rest")


class RetentionErrorCode(ErrorCode):
    INVALID_TARGET = "invalid_target"
    INVALID_TRIGGER = "invalid_trigger"
    INVALID_ACTION = "invalid_action"
    TRIGGER_NOT_FOR_TARGET = "trigger_not_for_target"
    ACTION_NOT_FOR_TARGET = "action_not_for_target"
    PERIOD_REQUIRED = "period_required"
    PERIOD_BELOW_STATUTE = "period_below_statute"
    PERIOD_TOO_LONG = "period_too_long"
    INVALID_PERIOD = "invalid_period"
    TOO_LONG = "too_long"
    LEGAL_SOURCE_REQUIRED = "legal_source_required"
    INVALID_SUBJECT_CATEGORY = "invalid_subject_category"
    INVALID_BOOKKEEPING_KIND = "invalid_bookkeeping_kind"
    HOLD_TARGET_REQUIRED = "hold_target_required"
    HOLD_RECORD_NOT_FOUND = "hold_record_not_found"
    HOLD_REASON_REQUIRED = "hold_reason_required"
    HOLD_ALREADY_LIFTED = "hold_already_lifted"
    UNDER_HOLD = "under_hold"
    UNDER_STATUTORY_PERIOD = "under_statutory_period"
    UNKNOWN_FIELD = "unknown_field"
    INVALID_FISCAL_YEAR_END = "invalid_fiscal_year_end"
    DUPLICATE_NAME = "duplicate_name"
    REFERENCE_REQUIRED = "reference_required"
    SUBJECT_REQUIRED = "subject_required"
    EXTERNAL_TABLE_REQUIRED = "external_table_required"
    UNKNOWN_EXTERNAL_TABLE = "unknown_external_table"
    INVALID_TRIGGER_COLUMN = "invalid_trigger_column"
    SOURCE_UNAVAILABLE = "source_unavailable"
    ONLY_FOR_EXTERNAL_TABLE = "only_for_external_table"
