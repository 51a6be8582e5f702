"""The event type of an entry written before named types, derived from what its hash already
covers (action, object type, fields, detail). Frozen: the migration that gave older entries
their types and ``personvern audit verify`` both call it, so an older entry whose stored type
differs from this derivation is reported as changed. Never edit a line of this table; new
shapes of entries carry their type in their own hash and never come here."""

from __future__ import annotations

from typing import Any

from .choices import AuditEventType as E

# (action, object type) -> type, for the shapes that say all by themselves.
BY_SHAPE: dict[tuple[str, str], E] = {
    ("export", "audit.auditentry"): E.AUDIT_LOG_EXPORTED,
    ("verify", "audit.auditentry"): E.AUDIT_LOG_VERIFIED,
    ("create", "accounts.apitoken"): E.API_TOKEN_ISSUED,
    ("update", "accounts.apitoken"): E.API_TOKEN_REVOKED,
    ("create", "organisation.organisation"): E.ORGANISATION_CREATED,
    ("update", "organisation.organisation"): E.ORGANISATION_CHANGED,
    ("create", "organisation.supervisoryauthority"): E.AUTHORITY_CREATED,
    ("update", "organisation.supervisoryauthority"): E.AUTHORITY_CHANGED,
    ("create", "register.person"): E.PERSON_CREATED,
    ("view", "register.person"): E.PERSON_VIEWED,
    ("delete", "register.person"): E.PERSON_ERASED,
    ("create", "register.company"): E.COMPANY_CREATED,
    ("update", "register.company"): E.COMPANY_CHANGED,
    ("delete", "register.company"): E.COMPANY_DELETED,
    ("create", "register.interaction"): E.INTERACTION_RECORDED,
    ("update", "register.interaction"): E.INTERACTION_CHANGED,
    ("delete", "register.interaction"): E.INTERACTION_DELETED,
    ("create", "register.jobapplication"): E.APPLICATION_RECEIVED,
    ("update", "register.jobapplication"): E.APPLICATION_CHANGED,
    ("create", "register.jobapplicationdocument"): E.DOCUMENT_ADDED,
    ("view", "register.jobapplicationdocument"): E.DOCUMENT_OPENED,
    ("create", "processing.processingactivity"): E.ACTIVITY_CREATED,
    ("activate", "processing.processingactivity"): E.ACTIVITY_ACTIVATED,
    ("create", "processing.balancingassessment"): E.ASSESSMENT_RECORDED,
    ("create", "processing.processor"): E.PROCESSOR_ADDED,
    ("update", "processing.processor"): E.PROCESSOR_CHANGED,
    ("delete", "processing.processor"): E.PROCESSOR_DELETED,
    ("create", "processing.dataprocessingagreement"): E.AGREEMENT_RECORDED,
    ("export", "processing.record"): E.RECORD_EXPORTED,
    ("create", "consent.consenttext"): E.CONSENT_TEXT_PUBLISHED,
    ("view", "consent.consentstate"): E.CAMPAIGN_CHECKED,
    ("create", "consent.telemarketingreservation"): E.RESERVATIONS_IMPORTED,
    ("create", "consent.leadimport"): E.LEADS_IMPORTED,
    ("create", "consent.ledgerverification"): E.LEDGER_VERIFIED,
    ("create", "consent.signedledgerhead"): E.LEDGER_HEAD_SIGNED,
    ("create", "consent.suppressionentry"): E.ADDRESSES_SUPPRESSED,
    ("delete", "retention.sweeprun"): E.SWEEP_RUN,
    ("create", "retention.retentionrule"): E.RULE_CREATED,
    ("update", "retention.retentionrule"): E.RULE_CHANGED,
    ("create", "retention.legalhold"): E.HOLD_SET,
    ("update", "retention.legalhold"): E.HOLD_LIFTED,
    ("update", "retention.reviewflag"): E.REVIEW_DONE,
    ("create", "retention.bookkeepingrecord"): E.BOOKKEEPING_REGISTERED,
    ("delete", "retention.bookkeepingrecord"): E.BOOKKEEPING_DELETED,
    ("create", "retention.duediligencerecord"): E.DUE_DILIGENCE_REGISTERED,
    ("update", "retention.duediligencerecord"): E.RELATIONSHIP_ENDED,
    ("delete", "retention.duediligencerecord"): E.DUE_DILIGENCE_DELETED,
    ("view", "rights.datasubjectrequest"): E.REQUEST_VIEWED,
    ("delete", "rights.cleanup"): E.CLEANUP_DONE,
    ("view", "website.iplogentry"): E.IP_LOG_VIEWED,
    ("create", "website.iplogentry"): E.IP_LOG_INGESTED,
    ("update", "website.iplogentry"): E.IP_ENTRY_LINKED,
    ("create", "website.blockentry"): E.ADDRESS_BLOCKED,
    ("create", "website.cookie"): E.COOKIE_ADDED,
    ("update", "website.cookie"): E.COOKIE_CHANGED,
    ("delete", "website.cookie"): E.COOKIE_REMOVED,
}

# ``detail["event"]`` of a request's step (the request's timeline kind).
REQUEST_STEPS: dict[str, E] = {
    "submitted": E.REQUEST_SUBMITTED,
    "verified": E.REQUEST_VERIFIED,
    "person_matched": E.PERSON_MATCHED,
    "no_match": E.NO_MATCH,
    "several_matches": E.SEVERAL_MATCHES,
    "started": E.FULFILMENT_STARTED,
    "source_done": E.SOURCE_DONE,
    "package_built": E.PACKAGE_BUILT,
    "delivered": E.DATA_DELIVERED,
    "delivery_attempt_failed": E.DELIVERY_ATTEMPT_FAILED,
    "delivery_failed": E.DELIVERY_FAILED,
    "downloaded": E.PACKAGE_DOWNLOADED,
    "rectified": E.DATA_RECTIFIED,
    "restricted": E.REQUEST_RESTRICTED,
    "lift_announced": E.LIFT_ANNOUNCED,
    "restriction_lifted": E.REQUEST_RESTRICTION_LIFTED,
    "objection_recorded": E.OBJECTION_RECORDED,
    "objection_decided": E.OBJECTION_DECIDED,
    "consents_withdrawn": E.CONSENTS_WITHDRAWN,
    "extended": E.DEADLINE_EXTENDED,
    "refused": E.REQUEST_REFUSED,
    "done": E.REQUEST_DONE,
    "letter": E.LETTER_SENT,
    "reminded": E.STAFF_REMINDED,
    "verification_resent": E.VERIFICATION_RESENT,
    "lapsed": E.REQUEST_LAPSED,
    "package_deleted": E.PACKAGE_DELETED,
    "job_retried": E.JOB_RETRIED,
    "job_failed": E.JOB_FAILED,
}

# ``detail["event"]`` of a second-factor entry (any OTP device, or the user when none).
SECOND_FACTOR: dict[str, E] = {
    "second_factor_enrolled": E.SECOND_FACTOR_ENROLLED,
    "second_factor_verified": E.SECOND_FACTOR_VERIFIED,
    "second_factor_failed": E.SECOND_FACTOR_FAILED,
    "second_factor_removed": E.SECOND_FACTOR_REMOVED,
    "second_factor_reset": E.SECOND_FACTOR_RESET,
    "recovery_codes_issued": E.RECOVERY_CODES_ISSUED,
    "recovery_codes_regenerated": E.RECOVERY_CODES_REGENERATED,
}


def _by_content(action: str, object_type: str, fields: Any, detail: Any) -> E | None:
    event = detail.get("event") if isinstance(detail, dict) else None
    if object_type == "rights.datasubjectrequest" and isinstance(event, str):
        return REQUEST_STEPS.get(event)
    if isinstance(event, str) and event in SECOND_FACTOR:
        return SECOND_FACTOR[event]
    if (action, object_type) == ("update", "register.person") and isinstance(detail, dict):
        if detail.get("objection_upheld") is True:
            return E.OBJECTION_UPHELD
        if "restricted" in detail:
            return E.PROCESSING_RESTRICTED if detail["restricted"] else E.RESTRICTION_LIFTED
        return E.PERSON_CHANGED
    if (action, object_type) == ("update", "processing.processingactivity"):
        if isinstance(detail, dict) and detail.get("reason") == "unfavourable_assessment":
            return E.ACTIVITY_SUSPENDED
        # retire_activity wrote exactly ["status"]; update_activity never changes the status
        return E.ACTIVITY_RETIRED if fields == ["status"] else E.ACTIVITY_CHANGED
    if (action, object_type) == ("update", "website.blockentry"):
        return E.BLOCK_REVIEWED if fields == ["review_on"] else E.BLOCK_LIFTED
    if (action, object_type) == ("export", "register.person") and isinstance(detail, dict):
        return E.CONSENT_PROOF_EXPORTED if detail.get("what") == "consent proof" else None
    return None


def derive(*, action: str, object_type: str, fields: Any, detail: Any) -> E:
    """The type of an older entry: named by its content, else by its shape, else
    ``UNCLASSIFIED`` (a shape no released version is known to have written)."""
    return (
        _by_content(action, object_type, fields, detail)
        or BY_SHAPE.get((action, object_type))
        or E.UNCLASSIFIED
    )
