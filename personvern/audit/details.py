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


@with_config(STRICT)
class SourceDone(Step):
    source: str
    erased: dict[str, int]
    kept: int


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


# issue 13 part B (lang)
@with_config(STRICT)
class ExemptionDecided(Step):
    ground: str
    withheld: int
