"""API schemas of the breach register, one per operation; no personal data in lists."""

from __future__ import annotations

import datetime

from django.utils import timezone
from ninja import Field, Schema
from pydantic import StrictInt

from personvern.core.api import InSchema

from . import clock
from .choices import BreachRisk, DiscoveryMethod, NotificationPhase
from .models import Breach

_RISKS = ", ".join(v for v in BreachRisk.values if v != BreachRisk.UNASSESSED)
_PHASES = ", ".join(NotificationPhase.values)
_METHODS = ", ".join(DiscoveryMethod.values)


class BreachListOut(Schema):
    id: int
    title: str
    status: str
    risk: str
    aware_at: datetime.datetime
    deadline: datetime.datetime = Field(description="72 hours after awareness (Art. 33(1)).")
    deadline_oslo: str = Field(description="The deadline as shown in Europe/Oslo.")
    hours_left: float = Field(description="Negative once the deadline has passed.")
    notified: bool

    @staticmethod
    def resolve_deadline(obj: Breach) -> datetime.datetime:
        return clock.deadline(obj.aware_at)

    @staticmethod
    def resolve_deadline_oslo(obj: Breach) -> str:
        return clock.in_oslo(clock.deadline(obj.aware_at)).isoformat()

    @staticmethod
    def resolve_hours_left(obj: Breach) -> float:
        return round(clock.time_left(obj.aware_at, timezone.now()).total_seconds() / 3600, 2)

    @staticmethod
    def resolve_notified(obj: Breach) -> bool:
        return any(n.phase == NotificationPhase.INITIAL for n in obj.notifications.all())


class NotificationOut(Schema):
    id: int
    phase: str
    submitted_at: datetime.datetime
    reference: str
    late: bool


class BreachOut(BreachListOut):
    what_happened: str
    cause: str
    began_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    discovered_how: str
    systems: str
    subject_categories: list[str]
    approx_people: int | None
    approx_records: int | None
    data_whereabouts: str
    likely_consequences: str
    measures_taken: str
    measures_proposed: str
    risk_reasoning: str
    delay_reasons: str
    notifications: list[NotificationOut]

    @staticmethod
    def resolve_notifications(obj: Breach) -> list[NotificationOut]:
        return [NotificationOut.model_validate(n, from_attributes=True)
                for n in obj.notifications.all()]  # fmt: skip


class BreachCreateIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    what_happened: str = Field(min_length=1, max_length=10000)
    aware_at: datetime.datetime = Field(description="With its zone; the 72 hours count from it.")
    cause: str = Field("", max_length=10000)
    began_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    discovered_how: DiscoveryMethod = Field(DiscoveryMethod.STAFF, description=_METHODS)
    systems: str = Field("", max_length=10000)
    subject_categories: list[str] = Field(default_factory=list, max_length=20)
    approx_people: StrictInt | None = Field(None, ge=0, le=2**31 - 1)
    approx_records: StrictInt | None = Field(None, ge=0, le=2**31 - 1)
    data_whereabouts: str = Field("", max_length=10000)
    likely_consequences: str = Field("", max_length=10000)
    measures_taken: str = Field("", max_length=10000)
    measures_proposed: str = Field("", max_length=10000)


class RiskIn(InSchema):
    risk: BreachRisk = Field(description=_RISKS)
    reasoning: str = Field(max_length=10000)


class NotificationIn(InSchema):
    phase: NotificationPhase = Field(description=_PHASES)
    submitted_at: datetime.datetime
    reference: str = Field("", max_length=100)
    summary: str = Field("", max_length=10000)
    delay_reasons: str = Field("", max_length=10000)


class DraftFieldOut(Schema):
    section: str
    key: str
    label: str
    value: str
