"""API schemas for screening and DPIAs, one per operation."""

from __future__ import annotations

import datetime

from ninja import Field, Schema
from pydantic import StrictInt

from personvern.core.api import DbId, InSchema

from .choices import ResidualRisk


class CriterionOut(Schema):
    key: str
    label: str


class CriteriaOut(Schema):
    wp248_source: str
    wp248_url: str
    wp248: list[CriterionOut]
    datatilsynet_source: str
    datatilsynet_url: str
    datatilsynet_list: list[CriterionOut]
    rule: str


class ScreeningIn(InSchema):
    activity_id: DbId
    criteria: list[str] = Field(default_factory=list, max_length=9)
    listed_kinds: list[str] = Field(default_factory=list, max_length=20)
    reasoning: str = Field("", max_length=10000)


class ScreeningOut(Schema):
    activity_id: int
    criteria: list[str]
    listed_kinds: list[str]
    reasoning: str
    needs_dpia: bool
    screened_at: datetime.datetime


class RiskItem(InSchema):
    risk: str = Field(min_length=1, max_length=1000)
    likelihood: StrictInt = Field(ge=1, le=4)
    severity: StrictInt = Field(ge=1, le=4)


class DpiaFields(InSchema):
    description: str = Field("", max_length=20000)
    necessity: str = Field("", max_length=20000)
    risks: list[RiskItem] = Field(default_factory=list, max_length=100)
    measures: str = Field("", max_length=20000)
    residual_risk: ResidualRisk | None = None
    dpo_advice: str = Field("", max_length=20000)
    review_on: datetime.date | None = None
    prior_consultation_on: datetime.date | None = None
    prior_consultation_reference: str = Field("", max_length=100)


class DpiaCreateIn(DpiaFields):
    activity_id: DbId


class DpiaUpdateIn(DpiaFields):
    pass


class RiskOut(Schema):
    risk: str
    likelihood: int
    severity: int


class DpiaOut(Schema):
    id: int
    activity_id: int
    description: str
    necessity: str
    risks: list[RiskOut]
    measures: str
    residual_risk: str
    dpo_advice: str
    review_on: datetime.date | None
    prior_consultation_on: datetime.date | None
    prior_consultation_reference: str
    signed_off_at: datetime.datetime | None
    signed_off_by: str
