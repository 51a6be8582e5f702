"""API schemas for the record of processing activities and processors, one per operation.

Relations go in by id (processors) or by key (data categories) and come out as small
references, so no schema is reused for input, output and nesting.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import StrictBool

from personvern.core.api import DbId, InSchema
from personvern.core.translated import text_in

from .choices import AssessmentOutcome, LegalBasis, TransferMechanism
from .models import BalancingAssessment, DataProcessingAgreement, ProcessingActivity, Processor
from .selectors import latest_assessment_permits
from .transfers import transfer_errors

_BASES = ", ".join(LegalBasis.values)
_OUTCOMES = ", ".join(AssessmentOutcome.values)
_MECHANISMS = ", ".join(TransferMechanism.values)


def has_favourable_assessment(activity: ProcessingActivity) -> bool:
    """Whether the latest balancing assessment permits processing (the selector's prefetch)."""
    return latest_assessment_permits(activity)


_FAVOURABLE = (
    "Whether the latest balancing assessment (by assessed date, then as recorded) is "
    "favourable: what an activity on legitimate interest needs to be active."
)


PRIVACY_SHIELD_NOTE = _(
    "Not a lawful transfer: the EU-US Privacy Shield has been invalid since 16 July 2020 "
    "(CJEU C-311/18, Schrems II). Record a valid mechanism, e.g. the EU-US Data Privacy "
    "Framework for a certified recipient, or standard contractual clauses."
)


def transfer_note(processor: Processor) -> str:
    """The mechanism, or why it does not hold (``transfers.transfer_errors``)."""
    if not processor.transfer_is_valid:
        return str(PRIVACY_SHIELD_NOTE)
    errors = transfer_errors(processor)
    if errors:
        return str(errors[0].message)
    return str(processor.get_transfer_mechanism_display())


class ProcessorRefOut(Schema):
    id: int
    name: str


class ActivityRefOut(Schema):
    id: int
    name: str


# Processing activities


class ActivityCreateIn(InSchema):
    name: str
    purpose: str
    description: str = ""
    legal_basis: str = Field(description=f"GDPR Art. 6(1) basis: {_BASES}.")
    legal_basis_detail: str = ""
    subject_categories: list[str] = Field(
        default_factory=list, description="Register categories, e.g. customer_contact."
    )
    data_categories: list[str] = Field(
        default_factory=list, description="Data category keys, e.g. user.contact.email."
    )
    processor_ids: list[DbId] = Field(default_factory=list)
    communication: str = Field(
        default="none",
        description="Messages to people: none, direct_marketing or service_messages.",
    )
    existing_customer_exception: StrictBool = Field(
        default=False,
        description="Direct marketing of own similar services to existing customers by e-mail "
        "or SMS (markedsføringsloven § 15).",
    )
    automated_decision_making: StrictBool = Field(
        default=False,
        description="Decisions based solely on automated processing, including profiling "
        "(GDPR Art. 22); the access report says whether it is used (Art. 15(1)(h)).",
    )
    automated_decision_logic: str = ""
    sources: str = ""
    recipients: str = ""
    retention: str = ""
    security_measures: str = ""
    # The same texts in English (the fields above are bokmål); empty: the bokmål text is shown,
    # flagged, to English readers.
    name_en: str = ""
    purpose_en: str = ""
    description_en: str = ""
    legal_basis_detail_en: str = ""
    sources_en: str = ""
    recipients_en: str = ""
    retention_en: str = ""
    security_measures_en: str = ""
    automated_decision_logic_en: str = ""


class ActivityUpdateIn(InSchema):
    """Only the fields sent change. Use POST /{id}/activate or /retire to change the status."""

    name: str | None = None
    purpose: str | None = None
    description: str | None = None
    legal_basis: str | None = None
    legal_basis_detail: str | None = None
    subject_categories: list[str] | None = None
    data_categories: list[str] | None = None
    processor_ids: list[DbId] | None = None
    communication: str | None = None
    existing_customer_exception: StrictBool | None = None
    automated_decision_making: StrictBool | None = None
    automated_decision_logic: str | None = None
    sources: str | None = None
    recipients: str | None = None
    retention: str | None = None
    security_measures: str | None = None
    name_en: str | None = None
    purpose_en: str | None = None
    description_en: str | None = None
    legal_basis_detail_en: str | None = None
    sources_en: str | None = None
    recipients_en: str | None = None
    retention_en: str | None = None
    security_measures_en: str | None = None
    automated_decision_logic_en: str | None = None


class ActivityListOut(Schema):
    id: int
    name: str
    legal_basis: str
    status: str
    data_categories: list[str]
    subject_categories: list[str]
    processors: list[ProcessorRefOut]
    has_favourable_assessment: bool = Field(description=_FAVOURABLE)

    @staticmethod
    def resolve_data_categories(obj: ProcessingActivity) -> list[str]:
        return [category.key for category in obj.data_categories.all()]

    @staticmethod
    def resolve_has_favourable_assessment(obj: ProcessingActivity) -> bool:
        return has_favourable_assessment(obj)


class ActivityOut(Schema):
    id: int
    name: str
    purpose: str
    description: str
    legal_basis: str
    legal_basis_detail: str
    status: str
    data_categories: list[str]
    subject_categories: list[str]
    processors: list[ProcessorRefOut]
    communication: str
    existing_customer_exception: bool
    automated_decision_making: bool
    automated_decision_logic: str
    sources: str
    recipients: str
    retention: str
    security_measures: str
    name_en: str | None
    purpose_en: str | None
    description_en: str | None
    legal_basis_detail_en: str | None
    sources_en: str | None
    recipients_en: str | None
    retention_en: str | None
    security_measures_en: str | None
    automated_decision_logic_en: str | None
    has_favourable_assessment: bool = Field(description=_FAVOURABLE)
    created_at: datetime.datetime
    updated_at: datetime.datetime

    # The base fields are bokmål whatever the request's language (as on input).
    @staticmethod
    def resolve_name(obj: ProcessingActivity) -> str:
        return text_in(obj, "name", "nb")

    @staticmethod
    def resolve_purpose(obj: ProcessingActivity) -> str:
        return text_in(obj, "purpose", "nb")

    @staticmethod
    def resolve_description(obj: ProcessingActivity) -> str:
        return text_in(obj, "description", "nb")

    @staticmethod
    def resolve_legal_basis_detail(obj: ProcessingActivity) -> str:
        return text_in(obj, "legal_basis_detail", "nb")

    @staticmethod
    def resolve_sources(obj: ProcessingActivity) -> str:
        return text_in(obj, "sources", "nb")

    @staticmethod
    def resolve_recipients(obj: ProcessingActivity) -> str:
        return text_in(obj, "recipients", "nb")

    @staticmethod
    def resolve_retention(obj: ProcessingActivity) -> str:
        return text_in(obj, "retention", "nb")

    @staticmethod
    def resolve_security_measures(obj: ProcessingActivity) -> str:
        return text_in(obj, "security_measures", "nb")

    @staticmethod
    def resolve_automated_decision_logic(obj: ProcessingActivity) -> str:
        return text_in(obj, "automated_decision_logic", "nb")

    @staticmethod
    def resolve_data_categories(obj: ProcessingActivity) -> list[str]:
        return [category.key for category in obj.data_categories.all()]

    @staticmethod
    def resolve_has_favourable_assessment(obj: ProcessingActivity) -> bool:
        return has_favourable_assessment(obj)


class AssessmentCreateIn(InSchema):
    purpose_test: str = Field(description="The legitimate interest pursued.")
    necessity_test: str = Field(description="Why the processing is needed for it.")
    balancing_test: str = Field(description="The person's interests, expectations, safeguards.")
    outcome: str = Field(description=f"One of {_OUTCOMES}.")
    assessed_on: datetime.date | None = Field(
        None,
        description="Default today; not in the future. The latest assessment decides: an "
        "unfavourable one sets an active activity on legitimate interest back to draft.",
    )


class AssessmentOut(Schema):
    id: int
    activity_id: DbId
    purpose_test: str
    necessity_test: str
    balancing_test: str
    outcome: str
    permits_processing: bool
    author: str = Field(description="Who assessed it.")
    assessed_on: datetime.date
    created_at: datetime.datetime

    @staticmethod
    def resolve_permits_processing(obj: BalancingAssessment) -> bool:
        return obj.outcome in AssessmentOutcome.permits_processing()

    @staticmethod
    def resolve_author(obj: BalancingAssessment) -> str:
        return obj.author_label


# Processors


class ProcessorCreateIn(InSchema):
    name: str
    organisation_number: str = Field("", description="Norwegian, when the processor has one.")
    country: str = Field(description="Where the data is processed; ISO 3166-1 alpha-2.")
    services: str = Field(description="What the processor does for us.")
    parent_id: DbId | None = Field(None, description="The processor this is a sub-processor of.")
    transfer_mechanism: str = Field("", description=f"One of {_MECHANISMS}; default eea.")
    dpf_name: str = Field("", description="For eu_us_dpf: the name as on the DPF list.")
    scc_module: str = Field("", description="For scc: c2c, c2p, p2p or p2c.")
    services_en: str = Field("", description="What the processor does for us, in English.")
    data_categories: list[str] = Field(default_factory=list, description="Data category keys.")


class ProcessorUpdateIn(InSchema):
    name: str | None = None
    organisation_number: str | None = None
    country: str | None = None
    services: str | None = None
    parent_id: DbId | None = None
    transfer_mechanism: str | None = None
    dpf_name: str | None = None
    scc_module: str | None = None
    services_en: str | None = None
    data_categories: list[str] | None = None


class AgreementCreateIn(InSchema):
    signed_on: datetime.date
    review_due: datetime.date = Field(description="When the agreement is next reviewed.")
    expires_on: datetime.date | None = Field(
        None, description="The day the agreement ends; none while it runs until terminated."
    )


class AgreementOut(Schema):
    id: int
    processor_id: DbId
    signed_on: datetime.date
    review_due: datetime.date
    expires_on: datetime.date | None
    has_document: bool

    @staticmethod
    def resolve_has_document(obj: DataProcessingAgreement) -> bool:
        return bool(obj.document)


class ProcessorListOut(Schema):
    id: int
    name: str
    country: str
    parent: ProcessorRefOut | None
    transfer_mechanism: str
    transfer_valid: bool
    transfer_note: str

    @staticmethod
    def resolve_transfer_valid(obj: Processor) -> bool:
        return not transfer_errors(obj)

    @staticmethod
    def resolve_transfer_note(obj: Processor) -> str:
        return transfer_note(obj)


class ProcessorOut(Schema):
    id: int
    name: str
    organisation_number: str
    country: str
    services: str
    services_en: str | None
    parent: ProcessorRefOut | None
    transfer_mechanism: str
    transfer_valid: bool
    transfer_note: str
    data_categories: list[str]
    agreements: list[AgreementOut]
    activities: list[ActivityRefOut]

    @staticmethod
    def resolve_services(obj: Processor) -> str:
        return text_in(obj, "services", "nb")

    @staticmethod
    def resolve_transfer_valid(obj: Processor) -> bool:
        return not transfer_errors(obj)

    @staticmethod
    def resolve_transfer_note(obj: Processor) -> str:
        return transfer_note(obj)

    @staticmethod
    def resolve_data_categories(obj: Processor) -> list[str]:
        return [category.key for category in obj.data_categories.all()]
