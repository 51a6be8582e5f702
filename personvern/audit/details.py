"""The detail schema of each audit event type (``vocabulary.SPECS`` says which is whose):
strict, and closed to keys they do not name, so a detail nobody documented is never written.
``typing_extensions.TypedDict``: pydantic reads no other on Python 3.11."""

from __future__ import annotations

from typing import Any, Literal, NotRequired

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

STRICT = ConfigDict(extra="forbid", strict=True)


@with_config(STRICT)
class NoDetail(TypedDict):
    pass


@with_config(STRICT)
class Via(TypedDict):
    via: str


@with_config(STRICT)
class AuditVerified(TypedDict):
    ok: bool
    entries: int
    first_broken: int | None
    problem: str


@with_config(STRICT)
class Entries(TypedDict):
    entries: int


@with_config(STRICT)
class TypesAssigned(TypedDict):
    entries: int
    types: dict[str, int]


@with_config(STRICT)
class SecondFactor(TypedDict):
    method: str


@with_config(STRICT)
class FactorAccepted(SecondFactor):
    recovery_codes_left: NotRequired[int]


@with_config(STRICT)
class FactorRefused(SecondFactor):
    stage: NotRequired[str]
    code: str


@with_config(STRICT)
class FactorReset(SecondFactor):
    user_id: int


@with_config(STRICT)
class RecoveryCodes(SecondFactor):
    count: int


@with_config(STRICT)
class Restricted(TypedDict):
    restricted: bool


@with_config(STRICT)
class Suspended(TypedDict):
    status: str
    reason: str


@with_config(STRICT)
class RecordExported(TypedDict):
    format: str
    activities: int


@with_config(STRICT)
class CampaignChecked(TypedDict):
    via: str
    purpose_id: int
    channel: str
    addresses: int
    subjects: int
    subject_ids: list[int]


@with_config(STRICT)
class ReservationsImported(TypedDict):
    added: int
    already: int
    invalid: int
    source: str
    removed: NotRequired[int]  # from Reservasjonsregisteret: numbers that left it


@with_config(STRICT)
class LeadsImported(TypedDict):
    accepted: int
    refused: int


@with_config(STRICT)
class LedgerVerified(TypedDict):
    ok: bool
    events: int
    heads: int
    findings: int


@with_config(STRICT)
class HeadSigned(TypedDict):
    events: int
    audit_entries: int


@with_config(STRICT)
class ProofExported(TypedDict):
    what: str
    events: int


@with_config(STRICT)
class Suppressed(TypedDict):
    kinds: list[str]
    reason: str


@with_config(STRICT)
class PersonErased(TypedDict):
    erasure: Literal[True]
    person: str
    erased: dict[str, int]
    kept: dict[str, int]


@with_config(STRICT)
class SweepRun(TypedDict):
    dry_run: bool
    date: str
    status: str
    total: int
    rules: list[dict[str, Any]]


@with_config(STRICT)
class Cleanup(TypedDict):
    lapsed: int
    packages: int
    links: int
    orphan_files: int


@with_config(STRICT)
class ObjectionUpheld(TypedDict):
    objection_upheld: Literal[True]
    request_id: int


@with_config(STRICT)
class IpIngested(TypedDict):
    count: int
    source: str


# A request's steps (``rights.services.events.log``) carry the request's status and type; the
# delivery steps put the recipient's HTTP status under ``status`` instead.


@with_config(STRICT)
class Step(TypedDict):
    status: str
    type: str


@with_config(STRICT)
class Submitted(Step):
    channel: str


@with_config(STRICT)
class Verified(Step):
    method: str


@with_config(STRICT)
class Started(Step):
    rerun: NotRequired[bool]
    sources: NotRequired[int]  # failed systems staff had tried again


@with_config(STRICT)
class SourceDone(Step):
    source: str
    erased: NotRequired[dict[str, int]]
    kept: NotRequired[int]
    # A rectification's or a restriction's part (issue 11).
    rectified: NotRequired[dict[str, int]]
    not_changed: NotRequired[int]
    restricted: NotRequired[bool]
    by_hand: NotRequired[bool]
    # An interim restriction's or a lift's part (``rights.services.steps``).
    step: NotRequired[str]


@with_config(STRICT)
class PackageBuilt(Step):
    records: int
    rebuilt: NotRequired[bool]


@with_config(STRICT)
class Downloaded(Step):
    bytes: int


@with_config(STRICT)
class PackageDeleted(Step):
    reason: str


@with_config(STRICT)
class Delivery(TypedDict):
    status: int | str | None
    type: str
    error: str | None
    attempts: int
    sha256: str | None
    size: int | None


@with_config(STRICT)
class Delivered(Delivery):
    sent_at: str | None


@with_config(STRICT)
class AttemptFailed(TypedDict):
    status: int | str | None
    type: str
    attempt: int
    error: str | None


@with_config(STRICT)
class Rectified(Step):
    by: str


@with_config(STRICT)
class Letter(Step):
    letter: str
    language: str


@with_config(STRICT)
class LetterFailed(Step):
    letter: str
    attempts: int
    error: str


@with_config(STRICT)
class ObjectionRecorded(Step):
    scope: str
    ledger_sequence: NotRequired[int]


@with_config(STRICT)
class ObjectionDecided(Step):
    upheld: bool


@with_config(STRICT)
class Withdrawn(Step):
    count: int


@with_config(STRICT)
class Extended(Step):
    until: str


@with_config(STRICT)
class Reminded(Step):
    days_left: int


@with_config(STRICT)
class JobTrouble(Step):
    reason: str
    attempt: int
    max_attempts: int
    job: str
    error: NotRequired[str]


# breach (issue 14)
@with_config(STRICT)
class Screened(TypedDict):
    criteria: int
    listed: int
    needs_dpia: bool


@with_config(STRICT)
class Format(TypedDict):
    format: str


@with_config(STRICT)
class RiskAssessed(TypedDict):
    risk: str


@with_config(STRICT)
class BreachReminded(TypedDict):
    hours_left: int


@with_config(STRICT)
class BreachNotified(TypedDict):
    phase: str
    late: bool


@with_config(STRICT)
class BreachLetter(TypedDict):
    language: str


@with_config(STRICT)
class BreachRecorded(TypedDict):
    signal: NotRequired[int]


@with_config(STRICT)
class ReviewReminded(TypedDict):
    review_on: str


# truth (issue 13): transfers, agreements
@with_config(STRICT)
class DpfListImported(TypedDict):
    participants: int
    active: int


@with_config(STRICT)
class AgreementExpiryAlerted(TypedDict):
    expires_on: str
    recipients: int


# accounts: staff users managed by the privacy officer; searches (issue 15, workplace)


@with_config(STRICT)
class StaffRoles(TypedDict):
    roles: list[str]


@with_config(STRICT)
class StaffRolesChanged(TypedDict):
    before: list[str]
    after: list[str]


@with_config(STRICT)
class ListSearched(TypedDict):
    model: str
    results: int


@with_config(STRICT)
class StaffDeactivated(TypedDict):
    tokens_revoked: int


# deploy: backups (issue 15 part C)
@with_config(STRICT)
class ErasuresReplayed(TypedDict):
    backup_taken_at: str
    journal_entries: int
    erased_again: int


# pii (issue 12)
@with_config(STRICT)
class PiiFound(TypedDict):
    via: str
    kinds: dict[str, int]


@with_config(STRICT)
class PiiResolved(TypedDict):
    finding: int
    kind: str
    basis: NotRequired[str]


@with_config(STRICT)
class PiiPolicy(TypedDict):
    target: str
    field: str
    action: str


@with_config(STRICT)
class PiiScanned(TypedDict):
    target: str
    scanned: int
    found: int
    kinds: dict[str, int]


# connectors and external sources of requests (issue 11)
@with_config(STRICT)
class DatasetSaved(TypedDict):
    key: str
    version: int
    tables: int


@with_config(STRICT)
class DatasetEnabled(TypedDict):
    key: str
    enabled: bool


@with_config(STRICT)
class SourceFailed(Step):
    source: str
    reason: str
    attempt: int
    final: bool
    step: NotRequired[str]


@with_config(STRICT)
class ManualSourceSaved(TypedDict):
    key: str
    created: bool


@with_config(STRICT)
class TaskCreated(Step):
    source: str
    task: int
    due_on: str
    step: NotRequired[str]


@with_config(STRICT)
class TaskClosed(Step):
    source: str
    task: int
    outcome: str


@with_config(STRICT)
class TaskReminded(Step):
    source: str
    task: int
    days_left: int


@with_config(STRICT)
class IdentityLookedUp(TypedDict):
    kinds: list[str]
    sources: int
    rows: int
    unavailable: int


@with_config(STRICT)
class RecipientsNotified(Step):
    recipients: int


# issue 13 part B (lang)
@with_config(STRICT)
class ExemptionDecided(Step):
    ground: str
    withheld: int


@with_config(STRICT)
class RestrictionChanged(Step):
    """A restriction put in place or lifted for a request; ``step`` for an objection's
    interim restriction or a lift (``rights.services.steps``)."""

    step: NotRequired[str]


# breachui
@with_config(STRICT)
class SourcesSearched(TypedDict):
    tables: list[str]  # "dataset.table", no values
    days: int  # the window's length, rounded up
    in_register: int
    only_external: int
    unavailable: list[str]  # the tables that could not be searched
