"""The audit vocabulary: for each event type, the CRUD action it is filed under, what it means
and the detail it carries. :func:`validate` checks a detail against its type's schema when the
entry is written, so a wrong detail is a programming error a test catches, never a row.

Details hold codes, counts and ids, never personal data. ``docs/audit.md`` is rendered from
this table (``personvern audit types``); a test keeps the two equal."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from pydantic import TypeAdapter, ValidationError

from .choices import AuditAction, AuditDomain, AuditEventType
from .details import (
    AgreementExpiryAlerted,
    AttemptFailed,
    AuditVerified,
    BreachLetter,
    BreachNotified,
    BreachRecorded,
    BreachReminded,
    CampaignChecked,
    Cleanup,
    DatasetEnabled,
    DatasetSaved,
    Delivered,
    Delivery,
    Downloaded,
    DpfListImported,
    Entries,
    ErasuresReplayed,
    ExemptionDecided,
    Extended,
    FactorAccepted,
    FactorRefused,
    FactorReset,
    Format,
    HeadSigned,
    IdentityLookedUp,
    IpIngested,
    JobTrouble,
    LeadsImported,
    LedgerVerified,
    Letter,
    LetterFailed,
    ListSearched,
    ManualSourceSaved,
    NoDetail,
    ObjectionDecided,
    ObjectionRecorded,
    ObjectionUpheld,
    PackageBuilt,
    PackageDeleted,
    PersonErased,
    PiiFound,
    PiiPolicy,
    PiiResolved,
    PiiScanned,
    ProofExported,
    RecipientsNotified,
    RecordExported,
    RecoveryCodes,
    Rectified,
    Reminded,
    ReservationsImported,
    Restricted,
    RestrictionChanged,
    ReviewReminded,
    RiskAssessed,
    Screened,
    SecondFactor,
    SourceDone,
    SourceFailed,
    SourcesSearched,
    StaffDeactivated,
    StaffRoles,
    StaffRolesChanged,
    Started,
    Step,
    Submitted,
    Suppressed,
    Suspended,
    SweepRun,
    TaskClosed,
    TaskCreated,
    TaskReminded,
    TypesAssigned,
    Verified,
    Via,
    Withdrawn,
)

E = AuditEventType
A = AuditAction


@dataclass(frozen=True)
class EventSpec:
    """``action`` is None for a type only older entries carry (never written by ``record``)."""

    action: AuditAction | None
    meaning: str
    detail: type = NoDetail


SPECS: dict[AuditEventType, EventSpec] = {
    # audit
    E.AUDIT_LOG_EXPORTED: EventSpec(A.EXPORT, "The audit log, as filtered, was exported as CSV.", Entries),  # noqa: E501
    E.AUDIT_LOG_VERIFIED: EventSpec(A.VERIFY, "The audit log's hash chain was recomputed (`personvern audit verify`, nightly).", AuditVerified),  # noqa: E501
    E.EVENT_TYPES_ASSIGNED: EventSpec(A.UPDATE, "The migration to named types derived the types of the entries written before them.", TypesAssigned),  # noqa: E501
    E.UNCLASSIFIED: EventSpec(None, "An entry written before named types whose content matches none of them (older entries only).", NoDetail),  # noqa: E501
    # accounts
    E.SECOND_FACTOR_ENROLLED: EventSpec(A.CREATE, "A staff user set up an authenticator app or a passkey.", SecondFactor),  # noqa: E501
    E.SECOND_FACTOR_VERIFIED: EventSpec(A.LOGIN, "A second factor was accepted at sign-in.", FactorAccepted),  # noqa: E501
    E.SECOND_FACTOR_FAILED: EventSpec(A.LOGIN, "A second factor was refused (at sign-in or while setting it up); `code` says why.", FactorRefused),  # noqa: E501
    E.SECOND_FACTOR_REMOVED: EventSpec(A.DELETE, "A staff user removed one of their second factors.", SecondFactor),  # noqa: E501
    E.SECOND_FACTOR_RESET: EventSpec(A.DELETE, "An administrator reset a staff user's second factor (`user_id`).", FactorReset),  # noqa: E501
    E.RECOVERY_CODES_ISSUED: EventSpec(A.CREATE, "Recovery codes were issued with a first second factor.", RecoveryCodes),  # noqa: E501
    E.RECOVERY_CODES_REGENERATED: EventSpec(A.UPDATE, "A staff user replaced their recovery codes.", RecoveryCodes),  # noqa: E501
    E.API_TOKEN_ISSUED: EventSpec(A.CREATE, "An API bearer token was issued to a staff user."),
    E.API_TOKEN_REVOKED: EventSpec(A.UPDATE, "An API bearer token was revoked."),
    # organisation
    E.ORGANISATION_CREATED: EventSpec(A.CREATE, "The controller's details were entered."),
    E.ORGANISATION_CHANGED: EventSpec(A.UPDATE, "The controller's details were changed."),
    E.AUTHORITY_CREATED: EventSpec(A.CREATE, "The supervisory authority was entered."),
    E.AUTHORITY_CHANGED: EventSpec(A.UPDATE, "The supervisory authority's details were changed."),
    # register
    E.PERSON_CREATED: EventSpec(A.CREATE, "A person was added to the register."),
    E.PERSON_CHANGED: EventSpec(A.UPDATE, "A person's details were changed (`fields` names which)."),  # noqa: E501
    E.PERSON_VIEWED: EventSpec(A.VIEW, "A person was opened or returned by a look-up.", Via),
    E.PROCESSING_RESTRICTED: EventSpec(A.UPDATE, "Processing of a person's data was restricted (Art. 18).", Restricted),  # noqa: E501
    E.RESTRICTION_LIFTED: EventSpec(A.UPDATE, "A restriction of processing was lifted.", Restricted),  # noqa: E501
    E.COMPANY_CREATED: EventSpec(A.CREATE, "A company was added."),
    E.COMPANY_CHANGED: EventSpec(A.UPDATE, "A company was changed."),
    E.COMPANY_DELETED: EventSpec(A.DELETE, "A company was deleted."),
    E.INTERACTION_RECORDED: EventSpec(A.CREATE, "An interaction with a person was recorded."),
    E.INTERACTION_CHANGED: EventSpec(A.UPDATE, "An interaction was changed."),
    E.INTERACTION_DELETED: EventSpec(A.DELETE, "An interaction was deleted."),
    E.APPLICATION_RECEIVED: EventSpec(A.CREATE, "A job application was recorded."),
    E.APPLICATION_CHANGED: EventSpec(A.UPDATE, "A job application was changed or decided."),
    E.DOCUMENT_ADDED: EventSpec(A.CREATE, "A document was added to a job application."),
    E.DOCUMENT_OPENED: EventSpec(A.VIEW, "A job application's document was downloaded.", Via),
    # processing
    E.ACTIVITY_CREATED: EventSpec(A.CREATE, "A processing activity was added (as a draft)."),
    E.ACTIVITY_CHANGED: EventSpec(A.UPDATE, "A processing activity was changed."),
    E.ACTIVITY_ACTIVATED: EventSpec(A.ACTIVATE, "A processing activity was made active."),
    E.ACTIVITY_RETIRED: EventSpec(A.UPDATE, "A processing activity was retired."),
    E.ACTIVITY_SUSPENDED: EventSpec(A.UPDATE, "An active activity went back to draft: its balancing assessment was unfavourable.", Suspended),  # noqa: E501
    E.ASSESSMENT_RECORDED: EventSpec(A.CREATE, "A legitimate-interest balancing assessment was recorded."),  # noqa: E501
    E.PROCESSOR_ADDED: EventSpec(A.CREATE, "A processor or sub-processor was added."),
    E.PROCESSOR_CHANGED: EventSpec(A.UPDATE, "A processor was changed."),
    E.PROCESSOR_DELETED: EventSpec(A.DELETE, "A processor was deleted."),
    E.AGREEMENT_RECORDED: EventSpec(A.CREATE, "A data-processing agreement was recorded."),
    E.RECORD_EXPORTED: EventSpec(A.EXPORT, "The record of processing activities (Art. 30) was exported.", RecordExported),  # noqa: E501
    # consent
    E.CONSENT_TEXT_PUBLISHED: EventSpec(A.CREATE, "A consent text was published (it is kept word for word)."),  # noqa: E501
    E.CAMPAIGN_CHECKED: EventSpec(A.VIEW, "Addresses were checked against consents before a campaign (ids of the people, never the addresses).", CampaignChecked),  # noqa: E501
    E.RESERVATIONS_IMPORTED: EventSpec(A.CREATE, "Telemarketing reservations were imported (as hashes).", ReservationsImported),  # noqa: E501
    E.LEADS_IMPORTED: EventSpec(A.CREATE, "Leads from a third party were imported.", LeadsImported),
    E.LEDGER_VERIFIED: EventSpec(A.CREATE, "The consent ledger was verified.", LedgerVerified),
    E.LEDGER_HEAD_SIGNED: EventSpec(A.CREATE, "A head of the consent ledger (with the audit log's size) was signed.", HeadSigned),  # noqa: E501
    E.CONSENT_PROOF_EXPORTED: EventSpec(A.EXPORT, "A person's consent proof was exported (`personvern consent proof`).", ProofExported),  # noqa: E501
    E.ADDRESSES_SUPPRESSED: EventSpec(A.CREATE, "A deleted person's addresses went on the suppression list.", Suppressed),  # noqa: E501
    # retention
    E.PERSON_ERASED: EventSpec(A.DELETE, "A person was erased: deleted, or anonymised where records must be kept.", PersonErased),  # noqa: E501
    E.SWEEP_RUN: EventSpec(A.DELETE, "The retention sweep deleted or anonymised what its rules say (the report).", SweepRun),  # noqa: E501
    E.RULE_CREATED: EventSpec(A.CREATE, "A retention rule was added."),
    E.RULE_CHANGED: EventSpec(A.UPDATE, "A retention rule was changed."),
    E.HOLD_SET: EventSpec(A.CREATE, "A legal hold was set on a person or record."),
    E.HOLD_LIFTED: EventSpec(A.UPDATE, "A legal hold was lifted."),
    E.REVIEW_DONE: EventSpec(A.UPDATE, "A record flagged for review by the sweep was reviewed."),
    E.BOOKKEEPING_REGISTERED: EventSpec(A.CREATE, "A bookkeeping record was registered."),
    E.BOOKKEEPING_DELETED: EventSpec(A.DELETE, "A bookkeeping record was deleted."),
    E.DUE_DILIGENCE_REGISTERED: EventSpec(A.CREATE, "A customer due diligence record was registered."),  # noqa: E501
    E.RELATIONSHIP_ENDED: EventSpec(A.UPDATE, "The customer relationship behind a due diligence record ended."),  # noqa: E501
    E.DUE_DILIGENCE_DELETED: EventSpec(A.DELETE, "A customer due diligence record was deleted."),
    # rights
    E.REQUEST_SUBMITTED: EventSpec(A.CREATE, "A data-subject request was received.", Submitted),
    E.REQUEST_VERIFIED: EventSpec(A.UPDATE, "The requester proved the address.", Verified),
    E.REQUEST_VIEWED: EventSpec(A.VIEW, "A request was opened by staff.", Via),
    E.PERSON_MATCHED: EventSpec(A.UPDATE, "The request was matched with a person.", Step),
    E.NO_MATCH: EventSpec(A.UPDATE, "No one in the register has the request's address.", Step),
    E.SEVERAL_MATCHES: EventSpec(A.UPDATE, "Several people have the address: staff chooses.", Step),
    E.FULFILMENT_STARTED: EventSpec(A.UPDATE, "Fulfilment started (or was run again).", Started),
    E.SOURCE_DONE: EventSpec(A.UPDATE, "A data source finished its part of an erasure, rectification or restriction.", SourceDone),  # noqa: E501
    E.PACKAGE_BUILT: EventSpec(A.EXPORT, "The data package for access or portability was built.", PackageBuilt),  # noqa: E501
    E.PACKAGE_DOWNLOADED: EventSpec(A.EXPORT, "The person downloaded the data package.", Downloaded),  # noqa: E501
    E.PACKAGE_DELETED: EventSpec(A.DELETE, "A data package was deleted.", PackageDeleted),
    E.DATA_DELIVERED: EventSpec(A.EXPORT, "The data was sent to another controller (Art. 20(2)).", Delivered),  # noqa: E501
    E.DELIVERY_ATTEMPT_FAILED: EventSpec(A.UPDATE, "One attempt to send the data to another controller failed.", AttemptFailed),  # noqa: E501
    E.DELIVERY_FAILED: EventSpec(A.UPDATE, "Sending failed for good: the person got a download link.", Delivery),  # noqa: E501
    E.DATA_RECTIFIED: EventSpec(A.UPDATE, "Data was rectified (by the person or by staff).", Rectified),  # noqa: E501
    E.REQUEST_RESTRICTED: EventSpec(A.UPDATE, "Processing was restricted for a request.", RestrictionChanged),  # noqa: E501
    E.LIFT_ANNOUNCED: EventSpec(A.UPDATE, "The person was told the restriction will be lifted.", Letter),  # noqa: E501
    E.REQUEST_RESTRICTION_LIFTED: EventSpec(A.UPDATE, "The restriction from a request was lifted.", RestrictionChanged),  # noqa: E501
    E.OBJECTION_RECORDED: EventSpec(A.UPDATE, "An objection was recorded (`scope`).", ObjectionRecorded),  # noqa: E501
    E.OBJECTION_DECIDED: EventSpec(A.UPDATE, "The privacy officer decided an objection to legitimate interest.", ObjectionDecided),  # noqa: E501
    E.OBJECTION_UPHELD: EventSpec(A.UPDATE, "An upheld objection was marked on the person.", ObjectionUpheld),  # noqa: E501
    E.CONSENTS_WITHDRAWN: EventSpec(A.UPDATE, "The person's consents were withdrawn on request.", Withdrawn),  # noqa: E501
    E.DEADLINE_EXTENDED: EventSpec(A.UPDATE, "The answer's deadline was extended (Art. 12(3)).", Extended),  # noqa: E501
    E.REQUEST_REFUSED: EventSpec(A.UPDATE, "The request was refused.", Step),
    E.REQUEST_DONE: EventSpec(A.UPDATE, "The request was answered.", Step),
    E.LETTER_SENT: EventSpec(A.UPDATE, "A letter was sent to the requester.", Letter),
    E.LETTER_FAILED: EventSpec(A.UPDATE, "A letter to the requester could not be sent; given up.", LetterFailed),  # noqa: E501
    E.STAFF_REMINDED: EventSpec(A.UPDATE, "Staff were reminded of the due date.", Reminded),
    E.VERIFICATION_RESENT: EventSpec(A.UPDATE, "The verification link was sent again.", Step),
    E.REQUEST_LAPSED: EventSpec(A.UPDATE, "The request was closed: not verified in time.", Step),
    E.JOB_RETRIED: EventSpec(A.UPDATE, "A background job for the request is run again.", JobTrouble),  # noqa: E501
    E.JOB_FAILED: EventSpec(A.UPDATE, "A background job for the request failed for good.", JobTrouble),  # noqa: E501
    E.CLEANUP_DONE: EventSpec(A.DELETE, "The daily clean-up lapsed unverified requests and deleted used or expired packages.", Cleanup),  # noqa: E501
    # website
    E.IP_LOG_VIEWED: EventSpec(A.VIEW, "The IP security log was read.", Via),
    E.IP_LOG_INGESTED: EventSpec(A.CREATE, "Requests were written to the IP security log.", IpIngested),  # noqa: E501
    E.IP_ENTRY_LINKED: EventSpec(A.UPDATE, "An IP log entry was linked to a person.", Via),
    E.ADDRESS_BLOCKED: EventSpec(A.CREATE, "An address or network was blocked."),
    E.BLOCK_REVIEWED: EventSpec(A.UPDATE, "A block's review date was moved."),
    E.BLOCK_LIFTED: EventSpec(A.UPDATE, "A block was lifted."),
    E.COOKIE_ADDED: EventSpec(A.CREATE, "A cookie was added to the cookie list."),
    E.COOKIE_CHANGED: EventSpec(A.UPDATE, "A cookie was changed."),
    E.COOKIE_REMOVED: EventSpec(A.DELETE, "A cookie was removed."),
    # breach (issue 14): clients, assessments, breaches
    E.CLIENT_ADDED: EventSpec(A.CREATE, "A client controller the firm processes for was added (Art. 30(2))."),  # noqa: E501
    E.CLIENT_CHANGED: EventSpec(A.UPDATE, "A client controller's record was changed."),
    E.CLIENT_AGREEMENT_RECORDED: EventSpec(A.CREATE, "A data-processing agreement with a client was recorded."),  # noqa: E501
    E.CLIENT_RECORD_EXPORTED: EventSpec(A.EXPORT, "The Art. 30(2) record was exported.", Format),
    E.SCREENING_RECORDED: EventSpec(A.UPDATE, "An activity was screened for the need of a DPIA.", Screened),  # noqa: E501
    E.DPIA_CREATED: EventSpec(A.CREATE, "An impact assessment (Art. 35) was started."),
    E.DPIA_CHANGED: EventSpec(A.UPDATE, "An impact assessment was changed."),
    E.DPIA_SIGNED_OFF: EventSpec(A.UPDATE, "An impact assessment was signed off."),
    E.DPIA_EXPORTED: EventSpec(A.EXPORT, "An impact assessment was exported.", Format),
    E.DPIA_REVIEW_REMINDED: EventSpec(A.UPDATE, "The privacy officer was reminded of a DPIA's review date.", ReviewReminded),  # noqa: E501
    E.BREACH_RECORDED: EventSpec(A.CREATE, "A personal-data breach was recorded (Art. 33(5)).", BreachRecorded),  # noqa: E501
    E.BREACH_CHANGED: EventSpec(A.UPDATE, "A breach's record was changed (`fields`)."),
    E.BREACH_RISK_ASSESSED: EventSpec(A.UPDATE, "A breach's risk was assessed, with reasoning.", RiskAssessed),  # noqa: E501
    E.BREACH_REMINDED: EventSpec(A.UPDATE, "The privacy officer was reminded of the 72-hour deadline.", BreachReminded),  # noqa: E501
    E.BREACH_NOTIFIED: EventSpec(A.UPDATE, "A notification (initial or follow-up) was submitted to the authority.", BreachNotified),  # noqa: E501
    E.BREACH_REPORT_EXPORTED: EventSpec(A.EXPORT, "The draft breach report was exported.", Format),
    E.BREACH_LETTER_SENT: EventSpec(A.UPDATE, "A letter about a breach was sent to a person (Art. 34).", BreachLetter),  # noqa: E501
    E.BREACH_PUBLIC_NOTICE: EventSpec(A.UPDATE, "A public notice was recorded instead of letters (Art. 34(3)(c))."),  # noqa: E501
    E.BREACH_CLIENT_NOTIFIED: EventSpec(A.UPDATE, "A client controller was notified of a breach (Art. 33(2))."),  # noqa: E501
    E.BREACH_CLOSED: EventSpec(A.UPDATE, "A breach was closed."),
    E.SIGNAL_DISMISSED: EventSpec(A.UPDATE, "A security signal was dismissed as no breach."),
    # truth (issue 13): transfers, agreements
    E.DPF_LIST_IMPORTED: EventSpec(A.CREATE, "The EU-US Data Privacy Framework list was imported (organisations, no personal data).", DpfListImported),  # noqa: E501
    E.AGREEMENT_EXPIRY_ALERTED: EventSpec(A.UPDATE, "The privacy officer was e-mailed that a data-processing agreement ends soon.", AgreementExpiryAlerted),  # noqa: E501
    # accounts: staff users managed by the privacy officer; searches (issue 15, workplace)
    E.STAFF_USER_CREATED: EventSpec(A.CREATE, "A staff user was created with the roles named (`roles`).", StaffRoles),  # noqa: E501
    E.STAFF_USER_CHANGED: EventSpec(A.UPDATE, "A staff user's name or e-mail address was changed (`fields` names them)."),  # noqa: E501
    E.STAFF_ROLES_CHANGED: EventSpec(A.UPDATE, "A staff user's roles were changed (`before`, `after`).", StaffRolesChanged),  # noqa: E501
    E.STAFF_USER_DEACTIVATED: EventSpec(A.UPDATE, "A staff user was deactivated: they can no longer sign in; their API tokens were revoked (`tokens_revoked`).", StaffDeactivated),  # noqa: E501
    E.STAFF_USER_REACTIVATED: EventSpec(A.UPDATE, "A deactivated staff user may sign in again."),
    E.LIST_SEARCHED: EventSpec(A.VIEW, "A staff member searched a list in the staff UI (`model`, `results`); the words searched for are not kept.", ListSearched),  # noqa: E501
    # deploy: backups (issue 15 part C)
    E.ERASURES_REPLAYED: EventSpec(A.DELETE, "A backup was restored and everyone erased since it was taken was erased again (personvern restore).", ErasuresReplayed),  # noqa: E501
    # pii (issue 12)
    E.PII_FOUND: EventSpec(A.CREATE, "The scanner found identity numbers or special categories in a record's fields (`fields`; counts per kind, never the value).", PiiFound),  # noqa: E501
    E.PII_REDACTED: EventSpec(A.UPDATE, "The privacy officer had a finding's span replaced in the record.", PiiResolved),  # noqa: E501
    E.PII_RECORD_DELETED: EventSpec(A.DELETE, "The privacy officer deleted the record holding a finding.", PiiResolved),  # noqa: E501
    E.PII_ACCEPTED: EventSpec(A.UPDATE, "The privacy officer kept a finding under a legal basis (Art. 9(2), Art. 10, pol. § 12).", PiiResolved),  # noqa: E501
    E.PII_POLICY_SET: EventSpec(A.UPDATE, "The privacy officer set what a write of a field does on a finding (warn or refuse).", PiiPolicy),  # noqa: E501
    E.DOCUMENT_DELETED: EventSpec(A.DELETE, "A job application's document (and its file) was deleted."),  # noqa: E501
    E.PII_SCAN_RUN: EventSpec(A.VIEW, "`personvern pii scan` (or the API) scanned stored records of one table.", PiiScanned),  # noqa: E501
    # connectors and external sources of requests (issue 11)
    E.DATASET_SAVED: EventSpec(A.UPDATE, "An SQL dataset was saved as a new version (checked against its database).", DatasetSaved),  # noqa: E501
    E.DATASET_ENABLED: EventSpec(A.UPDATE, "An SQL data source was put in or out of use.", DatasetEnabled),  # noqa: E501
    E.HTTP_SOURCE_SAVED: EventSpec(A.UPDATE, "An HTTP data source was saved as a new version (`tables` is 0).", DatasetSaved),  # noqa: E501
    E.IDENTITY_LOOKED_UP: EventSpec(A.VIEW, "Staff looked up what the external sources hold on an identity (`kinds` given, row count found; never the values).", IdentityLookedUp),  # noqa: E501
    E.SOURCE_FAILED: EventSpec(A.UPDATE, "A data source failed its part of a request (`reason`: a code and the error's class); retried with backoff.", SourceFailed),  # noqa: E501
    E.MANUAL_SOURCE_SAVED: EventSpec(A.UPDATE, "A manual data source (a system staff handle by hand) was added or changed.", ManualSourceSaved),  # noqa: E501
    E.TASK_CREATED: EventSpec(A.CREATE, "A request created a task for the staff member of a manual source.", TaskCreated),  # noqa: E501
    E.TASK_CLOSED: EventSpec(A.UPDATE, "A manual task was closed (`outcome`: done, nothing found, kept).", TaskClosed),  # noqa: E501
    E.RECIPIENTS_NOTIFIED: EventSpec(A.UPDATE, "The recipients and processors concerned were sent notices of a rectification, erasure or restriction (Art. 19).", RecipientsNotified),  # noqa: E501
    E.TASK_REMINDED: EventSpec(A.UPDATE, "The staff member of an open manual task was reminded.", TaskReminded),  # noqa: E501
    # issue 13 part B (lang)
    E.ACCESS_EXEMPTION_DECIDED: EventSpec(A.UPDATE, "The privacy officer refused part of an access request on a statutory exemption (personopplysningsloven § 16).", ExemptionDecided),  # noqa: E501
    # breachui
    E.BREACH_SOURCES_SEARCHED: EventSpec(A.VIEW, "Staff searched tables of the external SQL sources for the people a breach affected (`tables`, the window's `days`, how many were found in the register and only in the sources, the tables that could not be searched; never the values).", SourcesSearched),  # noqa: E501
}  # fmt: skip


logger = logging.getLogger(__name__)


class AuditDetailError(TypeError):
    """A detail that does not fit its event type: a programming error, caught in tests."""


@cache
def _adapter(schema: type) -> TypeAdapter[Any]:
    return TypeAdapter(schema)


def action_of(event: AuditEventType) -> AuditAction:
    action = SPECS[event].action
    if action is None:
        raise AuditDetailError(f"{event.value} is carried by older entries only")
    return action


def validate(event: AuditEventType, detail: dict[str, Any]) -> None:
    """``detail`` as stored (plain JSON), checked against the type's schema. A mismatch is a
    programming error: the tests and development raise it; in production it is logged and the
    entry written all the same, since refusing it would undo the operation it records (an
    erasure, say). The message names the keys and the rule, never the values."""
    try:
        _adapter(SPECS[event].detail).validate_python(detail)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc'])) or '(detail)'}: {error['type']}"
            for error in exc.errors()
        )
        if getattr(settings, "PERSONVERN_AUDIT_STRICT", settings.DEBUG):
            raise AuditDetailError(f"detail of {event.value}: {problems}") from None
        logger.error("audit detail of %s does not fit its schema: %s", event.value, problems)


def _fields(schema: type) -> str:
    hints = schema.__annotations__
    if not hints:
        return "—"
    optional = schema.__optional_keys__  # type: ignore[attr-defined]
    return ", ".join(f"`{name}`" + ("?" if name in optional else "") for name in hints)


HEADER = "| Type | Name | Action | Meaning | Detail |"


def markdown() -> str:
    """docs/audit.md's table of event types, one section per domain."""
    lines = [
        "<!-- Generated by `personvern audit types`; tests/audit/test_vocabulary.py keeps it"
        " equal. -->",
    ]
    for domain in AuditDomain:
        lines += ["", f"### {domain.label} (`{domain.value}`)", "", HEADER, "|---" * 5 + "|"]
        for event in AuditEventType:
            if event.domain != domain:
                continue
            spec = SPECS[event]
            action = spec.action.value if spec.action else "(older entries)"
            lines.append(
                f"| `{event.value}` | {event.label} | {action} | {spec.meaning} "
                f"| {_fields(spec.detail)} |"
            )
    return "\n".join(lines) + "\n"
