"""API schemas for consent: one input and one output schema per operation."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import StrictBool

from personvern.core.api import DbId, InSchema

from .choices import Channel, ConsentMethod

_CHANNELS = ", ".join(c for c in Channel.values if c) + ' or "" (not a contact channel)'
_METHODS = ", ".join(ConsentMethod.values)
_METHOD_VALUES: list[Any] = list(ConsentMethod.values)
MAX_BULK = 100_000
METHOD_MAX_LENGTH = 20  # ConsentEvent.method


class EvidenceIn(InSchema):
    ip_address: str | None = Field(
        default=None,
        description="The person's address as the website saw it; masked before it is stored.",
    )
    user_agent: str = ""
    form_id: str = ""
    campaign_id: str = ""


class SubjectIn(InSchema):
    person_id: DbId | None = Field(default=None, description="A person in the register, or …")
    visitor_id: str = Field(default="", max_length=64, description="… an anonymous visitor id.")


class TextCreateIn(InSchema):
    kind: str = Field(description="consent_text, privacy_notice or cookie_policy.")
    slug: str = Field(max_length=80)
    language: str = Field(description="nb or en.")
    title: str = Field(max_length=200)
    text: str
    effective_from: datetime.datetime | None = None


class TextOut(Schema):
    id: int
    kind: str
    slug: str
    version: int
    language: str
    title: str
    text: str
    sha256: str
    effective_from: datetime.datetime


class ConsentIn(SubjectIn):
    purpose_id: DbId
    channel: str = Field(default="", description=f"One of {_CHANNELS}.")
    granted: StrictBool = Field(description="True for a consent given, false for one refused.")
    method: str = Field(description=f"One of {_METHODS}.")
    text_id: DbId = Field(description="The exact text version the person saw.")
    evidence: EvidenceIn = Field(default_factory=EvidenceIn)


class ChoiceIn(InSchema):
    purpose_id: DbId
    channel: str = Field(default="", description=f"One of {_CHANNELS}.")
    granted: StrictBool
    text_id: DbId = Field(description="The exact text version the person saw for this choice.")


class ChoicesIn(SubjectIn):
    """Several answers given at once (a form with several checkboxes): one batch."""

    method: str = Field(description=f"One of {_METHODS}.")
    choices: list[ChoiceIn] = Field(min_length=1, max_length=50)
    evidence: EvidenceIn = Field(default_factory=EvidenceIn)


class WithdrawalIn(SubjectIn):
    purpose_id: DbId
    channel: str = ""
    method: str
    evidence: EvidenceIn = Field(default_factory=EvidenceIn)


class PersonActionIn(InSchema):
    person_id: DbId
    method: str = Field(
        max_length=METHOD_MAX_LENGTH,
        description=f"One of {_METHODS}.",
        json_schema_extra={"enum": _METHOD_VALUES},
    )
    evidence: EvidenceIn = Field(default_factory=EvidenceIn)


class NoticeRefOut(Schema):
    """The privacy notice in effect when the person answered a consent text."""

    id: int
    version: int
    sha256: str


class EvidenceOut(Schema):
    """What was recorded with an event; a key is absent where nothing was recorded."""

    masked_ip: str | None = None
    user_agent: str | None = None
    form_id: str | None = None
    campaign_id: str | None = None
    privacy_notice: NoticeRefOut | None = None


class ConsentEventOut(Schema):
    id: int
    sequence: int
    person_id: DbId | None
    visitor_id: str
    purpose_id: DbId | None
    channel: str
    action: str
    method: str
    text_id: DbId | None
    occurred_at: datetime.datetime
    evidence: EvidenceOut
    actor_label: str
    hash: str


class LedgerEventOut(ConsentEventOut):
    """An event with the exact text the person saw."""

    prev_hash: str
    text: TextOut | None


class StateOut(Schema):
    purpose_id: DbId | None
    channel: str
    action: str
    event_id: DbId
    changed_at: datetime.datetime


class OptOutOut(Schema):
    withdrawn: int
    suppressed: list[str]


class CheckIn(InSchema):
    person_id: DbId
    purpose_id: DbId
    channel: str = Field(description=f"One of {_CHANNELS}.")
    at: datetime.datetime | None = Field(default=None, description="Default: now.")


class CheckOut(Schema):
    allowed: bool
    reason: str
    reason_text: str
    event_id: DbId | None


class BulkCheckIn(InSchema):
    purpose_id: DbId
    channel: str
    addresses: list[str] = Field(
        max_length=MAX_BULK,
        description="E-mail addresses, or phone numbers for sms and phone (at most 100,000).",
    )
    at: datetime.datetime | None = None


class BulkResultOut(Schema):
    index: int
    allowed: bool
    reason: str


class BulkCheckOut(Schema):
    allowed: int
    refused: int
    by_reason: dict[str, int]
    results: list[BulkResultOut]


class LeadIn(InSchema):
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    position: str = ""
    role: str = ""
    consent_reference: str = Field(
        default="", description="Reference to the third party's proof of consent to share."
    )


class LeadImportIn(InSchema):
    source_party: str
    rows: list[LeadIn] = Field(max_length=10_000)


class RefusedRowOut(Schema):
    row: int
    field: str
    code: str
    message: str


class LeadImportOut(Schema):
    accepted: list[int]
    refused: list[RefusedRowOut]


class ReservationImportIn(InSchema):
    numbers: list[str] = Field(max_length=MAX_BULK)
    source: str = Field(default="registry", description="registry or direct.")


class ReservationImportOut(Schema):
    added: int
    already: int
    invalid: int
    removed: int = 0
