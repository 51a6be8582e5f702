"""API schemas for the register: one input and one output schema per operation.

Input schemas take e-mail and phone as plain strings: the services validate and normalise them
and answer with a coded, per-field error. List outputs carry less than detail outputs: contact
details are only shown by the detail endpoints, which audit every view.
"""

from __future__ import annotations

import datetime

from ninja import Field, Schema
from pydantic import AwareDatetime

from personvern.core.api import DbId, InSchema
from personvern.core.validation import max_length
from personvern.pii.models import Finding
from personvern.pii.schemas import FindingBriefOut
from personvern.pii.selectors import findings_of

from .choices import InteractionChannel, SubjectCategory
from .models import Company, Interaction, Person
from .services.records import INTERACTIONS

_CATEGORIES = ", ".join(SubjectCategory.values)
_CHANNELS = ", ".join(InteractionChannel.values)
_SOURCE = "One of data_subject (default), interaction, third_party, public_source."


def _person(name: str) -> int:
    return max_length(Person, name)


def _company(name: str) -> int:
    return max_length(Company, name)


class CompanyRefOut(Schema):
    id: int
    name: str


# People


class PersonCreateIn(InSchema):
    category: str = Field(description=f"Category of data subject: {_CATEGORIES}.")
    first_name: str = Field(max_length=_person("first_name"))
    last_name: str = Field("", max_length=_person("last_name"))
    email: str = Field(
        "", max_length=_person("email"), description="Normalised before it is stored."
    )
    phone: str = Field(
        "", description="Stored in E.164; numbers without +CC are read as Norwegian."
    )
    position: str = Field("", max_length=_person("position"))
    role: str = Field("", max_length=_person("role"))
    company_id: DbId | None = None
    source: str = Field("", description=_SOURCE)
    source_party: str = Field("", max_length=_person("source_party"))
    source_reference: str = Field("", max_length=_person("source_reference"))


class PersonUpdateIn(InSchema):
    """Only the fields sent are changed; ``null`` clears a field (or the company)."""

    category: str | None = None
    first_name: str | None = Field(None, max_length=_person("first_name"))
    last_name: str | None = Field(None, max_length=_person("last_name"))
    email: str | None = Field(None, max_length=_person("email"))
    phone: str | None = None
    position: str | None = Field(None, max_length=_person("position"))
    role: str | None = Field(None, max_length=_person("role"))
    company_id: DbId | None = None
    source: str | None = None
    source_party: str | None = Field(None, max_length=_person("source_party"))
    source_reference: str | None = Field(None, max_length=_person("source_reference"))


class PersonLookupIn(InSchema):
    """Find people by e-mail or phone. In the body, never the URL: they are personal data."""

    email: str = ""
    phone: str = ""


class PersonListOut(Schema):
    id: int
    category: str
    first_name: str
    last_name: str
    company: CompanyRefOut | None
    last_interaction_at: datetime.datetime | None


class PersonOut(Schema):
    id: int
    category: str
    first_name: str
    last_name: str
    email: str
    phone: str
    position: str
    role: str
    company: CompanyRefOut | None
    source: str
    source_party: str
    source_reference: str
    last_interaction_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


# Companies


class CompanyCreateIn(InSchema):
    name: str = Field(max_length=_company("name"))
    organisation_number: str = Field(
        "",
        max_length=_company("organisation_number"),
        description="Norwegian, 9 digits; checked when country is NO.",
    )
    street_address: str = Field("", max_length=_company("street_address"))
    postal_code: str = Field("", max_length=_company("postal_code"))
    city: str = Field("", max_length=_company("city"))
    country: str = Field("NO", description="ISO 3166-1 alpha-2, e.g. NO, SE, US.")
    email: str = Field("", max_length=_company("email"))
    phone: str = ""
    website: str = Field("", max_length=_company("website"))
    source: str = Field("", description=_SOURCE)
    source_party: str = Field("", max_length=_company("source_party"))
    source_reference: str = Field("", max_length=_company("source_reference"))


class CompanyUpdateIn(InSchema):
    name: str | None = Field(None, max_length=_company("name"))
    organisation_number: str | None = Field(None, max_length=_company("organisation_number"))
    street_address: str | None = Field(None, max_length=_company("street_address"))
    postal_code: str | None = Field(None, max_length=_company("postal_code"))
    city: str | None = Field(None, max_length=_company("city"))
    country: str | None = None
    email: str | None = Field(None, max_length=_company("email"))
    phone: str | None = None
    website: str | None = Field(None, max_length=_company("website"))
    source: str | None = None
    source_party: str | None = Field(None, max_length=_company("source_party"))
    source_reference: str | None = Field(None, max_length=_company("source_reference"))


class CompanyListOut(Schema):
    id: int
    name: str
    organisation_number: str
    city: str
    country: str


class CompanyOut(Schema):
    id: int
    name: str
    organisation_number: str
    street_address: str
    postal_code: str
    city: str
    country: str
    email: str
    phone: str
    website: str
    source: str
    source_party: str
    source_reference: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


# Interactions


class InteractionCreateIn(InSchema):
    person_id: DbId
    channel: str = Field(description=f"One of {_CHANNELS}.")
    summary: str = Field("", description="Keep it to what the purpose needs.")
    occurred_at: AwareDatetime | None = Field(None, description="With a UTC offset; default now.")


class InteractionUpdateIn(InSchema):
    channel: str | None = None
    summary: str | None = None


class InteractionListOut(Schema):
    id: int
    person_id: DbId
    channel: str
    occurred_at: datetime.datetime
    recorded_by: str | None = Field(None, description="Username of the staff user.")

    @staticmethod
    def resolve_recorded_by(obj: Interaction) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by is not None else None


class InteractionOut(Schema):
    id: int
    person_id: DbId
    channel: str
    summary: str
    occurred_at: datetime.datetime
    recorded_by: str | None = Field(None, description="Username of the staff user.")
    created_at: datetime.datetime
    pii_findings: list[FindingBriefOut] = Field(
        default_factory=list,
        description="What the scanner found in the saved text and the privacy officer will "
        "review (GDPR Art. 9, 10; identity numbers): field, kind and span, never the value.",
    )

    @staticmethod
    def resolve_pii_findings(obj: Interaction) -> list[Finding]:
        return list(findings_of(INTERACTIONS, obj.pk))

    @staticmethod
    def resolve_recorded_by(obj: Interaction) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by is not None else None
