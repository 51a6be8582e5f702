from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    ACTIVATE = "activate", _("Activated")
    LOGIN = "login", _("Signed in")
    VERIFY = "verify", _("Verified")


class AuditDomain(models.TextChoices):
    """The part of the product an event belongs to: the first part of its type's value."""

    AUDIT = "audit", _("Audit log")
    ACCOUNTS = "accounts", _("Staff accounts")
    ORGANISATION = "organisation", _("Organisation")
    REGISTER = "register", _("Register")
    PROCESSING = "processing", _("Processing activities")
    CONSENT = "consent", _("Consent")
    RETENTION = "retention", _("Retention")
    RIGHTS = "rights", _("Data-subject requests")
    WEBSITE = "website", _("Website")


class AuditEventType(models.TextChoices):
    """What happened, named per domain action (as Zulip's ``AuditLogEventType``). What each
    means and the detail it carries are in ``vocabulary.SPECS`` and docs/audit.md."""

    # audit
    AUDIT_LOG_EXPORTED = "audit.log_exported", _("Audit log exported")
    AUDIT_LOG_VERIFIED = "audit.log_verified", _("Audit log verified")
    EVENT_TYPES_ASSIGNED = "audit.event_types_assigned", _("Older entries given named types")
    UNCLASSIFIED = "audit.unclassified", _("Older entry of no known kind")
    # accounts
    SECOND_FACTOR_ENROLLED = "accounts.second_factor_enrolled", _("Second factor set up")
    SECOND_FACTOR_VERIFIED = "accounts.second_factor_verified", _("Second factor accepted")
    SECOND_FACTOR_FAILED = "accounts.second_factor_failed", _("Second factor refused")
    SECOND_FACTOR_REMOVED = "accounts.second_factor_removed", _("Second factor removed")
    SECOND_FACTOR_RESET = "accounts.second_factor_reset", _("Second factor reset for a user")
    RECOVERY_CODES_ISSUED = "accounts.recovery_codes_issued", _("Recovery codes issued")
    RECOVERY_CODES_REGENERATED = "accounts.recovery_codes_regenerated", _("Recovery codes renewed")
    API_TOKEN_ISSUED = "accounts.api_token_issued", _("API token issued")
    API_TOKEN_REVOKED = "accounts.api_token_revoked", _("API token revoked")
    # organisation
    ORGANISATION_CREATED = "organisation.organisation_created", _("Controller details entered")
    ORGANISATION_CHANGED = "organisation.organisation_changed", _("Controller details changed")
    AUTHORITY_CREATED = "organisation.authority_created", _("Supervisory authority entered")
    AUTHORITY_CHANGED = "organisation.authority_changed", _("Supervisory authority changed")
    # register
    PERSON_CREATED = "register.person_created", _("Person added")
    PERSON_CHANGED = "register.person_changed", _("Person changed")
    PERSON_VIEWED = "register.person_viewed", _("Person viewed")
    PROCESSING_RESTRICTED = "register.processing_restricted", _("Processing restricted")
    RESTRICTION_LIFTED = "register.restriction_lifted", _("Restriction of processing lifted")
    COMPANY_CREATED = "register.company_created", _("Company added")
    COMPANY_CHANGED = "register.company_changed", _("Company changed")
    COMPANY_DELETED = "register.company_deleted", _("Company deleted")
    INTERACTION_RECORDED = "register.interaction_recorded", _("Interaction recorded")
    INTERACTION_CHANGED = "register.interaction_changed", _("Interaction changed")
    INTERACTION_DELETED = "register.interaction_deleted", _("Interaction deleted")
    APPLICATION_RECEIVED = "register.application_received", _("Job application recorded")
    APPLICATION_CHANGED = "register.application_changed", _("Job application changed")
    DOCUMENT_ADDED = "register.document_added", _("Application document added")
    DOCUMENT_OPENED = "register.document_opened", _("Application document opened")
    # processing
    ACTIVITY_CREATED = "processing.activity_created", _("Processing activity added")
    ACTIVITY_CHANGED = "processing.activity_changed", _("Processing activity changed")
    ACTIVITY_ACTIVATED = "processing.activity_activated", _("Processing activity activated")
    ACTIVITY_RETIRED = "processing.activity_retired", _("Processing activity retired")
    ACTIVITY_SUSPENDED = "processing.activity_suspended", _("Processing activity set back to draft")
    ASSESSMENT_RECORDED = "processing.assessment_recorded", _("Balancing assessment recorded")
    PROCESSOR_ADDED = "processing.processor_added", _("Processor added")
    PROCESSOR_CHANGED = "processing.processor_changed", _("Processor changed")
    PROCESSOR_DELETED = "processing.processor_deleted", _("Processor deleted")
    AGREEMENT_RECORDED = "processing.agreement_recorded", _("Data-processing agreement recorded")
    RECORD_EXPORTED = "processing.record_exported", _("Record of processing exported")
    # consent
    CONSENT_TEXT_PUBLISHED = "consent.text_published", _("Consent text published")
    CAMPAIGN_CHECKED = "consent.campaign_checked", _("Addresses checked before a campaign")
    RESERVATIONS_IMPORTED = "consent.reservations_imported", _("Phone reservations imported")
    LEADS_IMPORTED = "consent.leads_imported", _("Leads imported")
    LEDGER_VERIFIED = "consent.ledger_verified", _("Consent ledger verified")
    LEDGER_HEAD_SIGNED = "consent.ledger_head_signed", _("Consent ledger head signed")
    CONSENT_PROOF_EXPORTED = "consent.proof_exported", _("Consent proof exported")
    ADDRESSES_SUPPRESSED = "consent.addresses_suppressed", _("Addresses suppressed")
    # retention
    PERSON_ERASED = "retention.person_erased", _("Person erased")
    SWEEP_RUN = "retention.sweep_run", _("Retention sweep run")
    RULE_CREATED = "retention.rule_created", _("Retention rule added")
    RULE_CHANGED = "retention.rule_changed", _("Retention rule changed")
    HOLD_SET = "retention.hold_set", _("Legal hold set")
    HOLD_LIFTED = "retention.hold_lifted", _("Legal hold lifted")
    REVIEW_DONE = "retention.review_done", _("Retention review done")
    BOOKKEEPING_REGISTERED = "retention.bookkeeping_registered", _("Bookkeeping record registered")
    BOOKKEEPING_DELETED = "retention.bookkeeping_deleted", _("Bookkeeping record deleted")
    DUE_DILIGENCE_REGISTERED = (
        "retention.due_diligence_registered",
        _("Customer due diligence registered"),
    )
    RELATIONSHIP_ENDED = "retention.relationship_ended", _("Customer relationship ended")
    DUE_DILIGENCE_DELETED = "retention.due_diligence_deleted", _("Customer due diligence deleted")
    # rights
    REQUEST_SUBMITTED = "rights.request_submitted", _("Request received")
    REQUEST_VERIFIED = "rights.request_verified", _("Request verified")
    REQUEST_VIEWED = "rights.request_viewed", _("Request viewed")
    PERSON_MATCHED = "rights.person_matched", _("Request matched with a person")
    NO_MATCH = "rights.no_match", _("Request matched no one")
    SEVERAL_MATCHES = "rights.several_matches", _("Request matched several people")
    FULFILMENT_STARTED = "rights.fulfilment_started", _("Fulfilment started")
    SOURCE_DONE = "rights.source_done", _("A data source finished")
    PACKAGE_BUILT = "rights.package_built", _("Data package built")
    PACKAGE_DOWNLOADED = "rights.package_downloaded", _("Data package downloaded")
    PACKAGE_DELETED = "rights.package_deleted", _("Data package deleted")
    DATA_DELIVERED = "rights.data_delivered", _("Data sent to another controller")
    DELIVERY_ATTEMPT_FAILED = "rights.delivery_attempt_failed", _("Sending attempt failed")
    DELIVERY_FAILED = "rights.delivery_failed", _("Sending to another controller failed")
    DATA_RECTIFIED = "rights.data_rectified", _("Data rectified")
    REQUEST_RESTRICTED = "rights.processing_restricted", _("Processing restricted on request")
    LIFT_ANNOUNCED = "rights.lift_announced", _("Lifting of a restriction announced")
    REQUEST_RESTRICTION_LIFTED = "rights.restriction_lifted", _("Restriction lifted on request")
    OBJECTION_RECORDED = "rights.objection_recorded", _("Objection recorded")
    OBJECTION_DECIDED = "rights.objection_decided", _("Objection decided")
    OBJECTION_UPHELD = "rights.objection_upheld", _("Objection upheld")
    CONSENTS_WITHDRAWN = "rights.consents_withdrawn", _("Consents withdrawn")
    DEADLINE_EXTENDED = "rights.deadline_extended", _("Deadline extended")
    REQUEST_REFUSED = "rights.request_refused", _("Request refused")
    REQUEST_DONE = "rights.request_done", _("Request done")
    LETTER_SENT = "rights.letter_sent", _("Letter sent")
    LETTER_FAILED = "rights.letter_failed", _("Letter could not be sent")
    STAFF_REMINDED = "rights.staff_reminded", _("Staff reminded of the due date")
    VERIFICATION_RESENT = "rights.verification_resent", _("Verification link sent again")
    REQUEST_LAPSED = "rights.request_lapsed", _("Request closed unverified")
    JOB_RETRIED = "rights.job_retried", _("Background job run again")
    JOB_FAILED = "rights.job_failed", _("Background job failed")
    CLEANUP_DONE = "rights.cleanup_done", _("Unverified requests and old packages cleaned up")
    # website
    IP_LOG_VIEWED = "website.ip_log_viewed", _("IP log viewed")
    IP_LOG_INGESTED = "website.ip_log_ingested", _("IP log entries received")
    IP_ENTRY_LINKED = "website.ip_entry_linked", _("IP log entry linked to a person")
    ADDRESS_BLOCKED = "website.address_blocked", _("Address blocked")
    BLOCK_REVIEWED = "website.block_reviewed", _("Block reviewed")
    BLOCK_LIFTED = "website.block_lifted", _("Block lifted")
    COOKIE_ADDED = "website.cookie_added", _("Cookie added")
    COOKIE_CHANGED = "website.cookie_changed", _("Cookie changed")
    COOKIE_REMOVED = "website.cookie_removed", _("Cookie removed")
    # issue 13 part B (lang)
    ACCESS_EXEMPTION_DECIDED = "rights.access_exemption_decided", _("Partial refusal of access")

    @property
    def domain(self) -> AuditDomain:
        return AuditDomain(self.value.partition(".")[0])
