"""API schemas on the website's side: one input and one output schema per operation."""

from __future__ import annotations

import datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AwareDatetime, IPvAnyAddress, StrictBool, field_validator

from personvern.core.api import DbId, InSchema

from .choices import CookieCategory

_CATEGORIES = ", ".join(CookieCategory.values)
CATEGORY_PATTERN = r"^[a-z_]{1,20}$"
MAX_INGEST = 1000


class CookieCreateIn(InSchema):
    name: str = Field(max_length=100)
    provider: str = Field(max_length=200)
    category: str = Field(description=f"One of {_CATEGORIES}.")
    purpose_id: DbId | None = Field(
        default=None, description="The consent-based activity (statistics and marketing)."
    )
    description: str = Field(max_length=300)
    lifetime_days: int = Field(ge=0, le=36500)
    domain: str = Field(max_length=200)
    path: str = Field(default="/", max_length=200)


class CookieUpdateIn(InSchema):
    name: str | None = Field(default=None, max_length=100)
    provider: str | None = Field(default=None, max_length=200)
    category: str | None = None
    purpose_id: DbId | None = None
    description: str | None = Field(default=None, max_length=300)
    lifetime_days: int | None = Field(default=None, ge=0, le=36500)
    domain: str | None = Field(default=None, max_length=200)
    path: str | None = Field(default=None, max_length=200)


class CookieOut(Schema):
    id: int
    name: str
    provider: str
    category: str
    purpose_id: DbId | None
    description: str
    lifetime_days: int
    domain: str
    path: str
    exceeds_limit: bool = Field(description="Lives longer than the organisation's limit.")
    limit_days: int | None


class PolicyVersionOut(Schema):
    id: int
    kind: str
    language: str
    version: int
    sha256: str
    effective_from: datetime.datetime


class BannerDecisionIn(InSchema):
    """What the banner sends after each choice. Anonymous: no personal data but the random
    visitor id the banner keeps in its own cookie."""

    visitor_id: str = Field(pattern=r"^[A-Za-z0-9-]{16,64}$")
    policy_version: int = Field(ge=1, le=1_000_000)
    language: Literal["nb", "en"] = "nb"
    accepted: list[str] = Field(
        default_factory=list, max_length=5, description=f"Categories accepted: {_CATEGORIES}."
    )
    rejected: list[str] = Field(default_factory=list, max_length=5)
    gpc: StrictBool = Field(default=False, description="The browser sent Global Privacy Control.")


class RecordedEventOut(Schema):
    purpose_id: DbId | None
    action: str
    sequence: int


class BannerDecisionOut(Schema):
    visitor_id: str
    policy_version: int
    events: list[RecordedEventOut]


# The website's clock may run a little ahead of ours; an entry further ahead is a mistake that
# the retention sweep would never reach.
CLOCK_SKEW = datetime.timedelta(minutes=5)


class IngestEntryIn(InSchema):
    at: AwareDatetime = Field(description="With its time zone offset, e.g. 2026-11-25T10:00:00Z.")
    ip_address: IPvAnyAddress
    method: str = Field(pattern=r"^[A-Za-z]{3,10}$")
    path: str = Field(min_length=1, max_length=2000, description="The query string is dropped.")
    status: int = Field(ge=100, le=599)
    user_agent: str = Field(default="", max_length=1000)
    person_id: DbId | None = Field(
        default=None,
        description="The person whose data this request submitted (a form POST whose data the "
        "website passed to Personvern); links the entry to them. Only for POST, PUT and PATCH.",
    )

    @field_validator("at")
    @classmethod
    def _not_in_the_future(cls, value: datetime.datetime) -> datetime.datetime:
        if value > timezone.now() + CLOCK_SKEW:
            raise ValueError("must not be in the future")
        return value


class IngestIn(InSchema):
    entries: list[IngestEntryIn] = Field(min_length=1, max_length=MAX_INGEST)


class IngestOut(Schema):
    accepted: int


class IpLogEntryOut(Schema):
    id: int
    at: datetime.datetime
    ip_address: str
    method: str
    path: str
    status: int
    user_agent: str
    source: str
    person_id: DbId | None


class IpStatisticOut(Schema):
    masked_ip: str
    source: str
    total: int


class BlockIn(InSchema):
    network: str = Field(max_length=60, description="An address or a CIDR network.")
    reason: str = Field(max_length=2000)
    review_on: datetime.date


class LiftIn(InSchema):
    reason: str = Field(max_length=2000)


class ReviewIn(InSchema):
    next_review_on: datetime.date


class BlockOut(Schema):
    id: int
    network: str
    reason: str
    created_by_label: str
    created_at: datetime.datetime
    review_on: datetime.date
    lifted_at: datetime.datetime | None
    lifted_by_label: str
    lift_reason: str


class NoticeVersionOut(Schema):
    id: int
    language: str
    version: int
    sha256: str
    effective_from: datetime.datetime
