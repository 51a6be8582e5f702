"""The register's people and companies: validation, the writes and their audit, restriction
of processing (Art. 18) and deletion by staff."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.consent.services import suppress_person
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect
from personvern.core.records import (
    apply_changes,
    choice_error,
    current_values,
    locked,
    reject_unknown,
    require,
    save_unique,
)
from personvern.core.validation import (
    email_lookup_key,
    length_errors,
    normalise_country,
    normalise_email,
    normalise_orgnr,
    normalise_phone,
)
from personvern.retention.models import BookkeepingRecord, DueDiligenceRecord
from personvern.retention.selectors import active_holds
from personvern.retention.services import erase_person
from personvern.retention.services.statutes import (
    bookkeeping_past_statute,
    due_diligence_past_statute,
)
from personvern.rights.choices import RequestStatus
from personvern.rights.models import DataSubjectRequest

from ..choices import (
    RegisterErrorCode,
    Source,
    SubjectCategory,
)
from ..models import Company, Person

PERSON_FIELDS = (
    "category",
    "first_name",
    "last_name",
    "email",
    "phone",
    "position",
    "role",
    "company",
    "source",
    "source_party",
    "source_reference",
    "relationship_ended_on",
)
# Stored as given (trimmed) or normalised: each checked against its column's length.
PERSON_TEXT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "position",
    "role",
    "source_party",
    "source_reference",
)
COMPANY_FIELDS = (
    "name",
    "organisation_number",
    "street_address",
    "postal_code",
    "city",
    "country",
    "email",
    "phone",
    "website",
    "source",
    "source_party",
    "source_reference",
)
COMPANY_TEXT_FIELDS = (
    "name",
    "organisation_number",
    "street_address",
    "postal_code",
    "city",
    "email",
    "phone",
    "website",
    "source_party",
    "source_reference",
)


def _check_source(values: Mapping[str, Any], errors: list[FieldError]) -> None:
    """A third-party record names the party and its proof of consent; a public one its source."""
    choice_error(values, "source", Source, RegisterErrorCode.INVALID_SOURCE, errors)
    source = values.get("source")
    if source in (Source.THIRD_PARTY, Source.PUBLIC_SOURCE) and not values.get("source_party"):
        errors.append(
            FieldError(
                field="source_party",
                code=RegisterErrorCode.SOURCE_PARTY_REQUIRED,
                message=_("Name the third party or public source the data came from."),
            )
        )
    if source == Source.THIRD_PARTY and not values.get("source_reference"):
        errors.append(
            FieldError(
                field="source_reference",
                code=RegisterErrorCode.CONSENT_PROOF_REQUIRED,
                message=_(
                    "Data from a third party needs a reference to its proof of consent to share."
                ),
            )
        )


def _normalise(values: dict[str, Any], name: str, errors: list[FieldError], fn: Any) -> None:
    raw = values.get(name)
    if not raw:
        values[name] = ""
        return
    try:
        values[name] = fn(raw, field=name)
    except DomainError as exc:
        errors.extend(exc.errors)


def clean_person(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise a person's full set of values; raises with every field error."""
    reject_unknown(values, PERSON_FIELDS, RegisterErrorCode.UNKNOWN_FIELD)
    cleaned = {name: values.get(name, "") for name in PERSON_FIELDS}
    cleaned["company"] = values.get("company")
    cleaned["source"] = values.get("source") or Source.DATA_SUBJECT
    cleaned["relationship_ended_on"] = values.get("relationship_ended_on") or None
    errors: list[FieldError] = []
    require(cleaned, ["category", "first_name"], errors)
    if cleaned["category"]:
        choice_error(
            cleaned, "category", SubjectCategory, RegisterErrorCode.INVALID_CATEGORY, errors
        )
    _normalise(cleaned, "email", errors, normalise_email)
    _normalise(cleaned, "phone", errors, normalise_phone)
    _check_source(cleaned, errors)
    for name in ("first_name", "last_name", "position", "role", "source_party", "source_reference"):
        cleaned[name] = str(cleaned[name] or "").strip()
    errors += length_errors(cleaned, Person, PERSON_TEXT_FIELDS, code=RegisterErrorCode.TOO_LONG)
    collect(errors)
    return cleaned


def clean_company(values: Mapping[str, Any]) -> dict[str, Any]:
    reject_unknown(values, COMPANY_FIELDS, RegisterErrorCode.UNKNOWN_FIELD)
    cleaned = {name: values.get(name, "") for name in COMPANY_FIELDS}
    cleaned["country"] = values.get("country") or "NO"
    cleaned["source"] = values.get("source") or Source.DATA_SUBJECT
    errors: list[FieldError] = []
    require(cleaned, ["name"], errors)
    _normalise(cleaned, "country", errors, normalise_country)
    _normalise(cleaned, "email", errors, normalise_email)
    _normalise(cleaned, "phone", errors, normalise_phone)
    if cleaned["country"] == "NO":
        _normalise(cleaned, "organisation_number", errors, normalise_orgnr)
    _check_source(cleaned, errors)
    errors += length_errors(cleaned, Company, COMPANY_TEXT_FIELDS, code=RegisterErrorCode.TOO_LONG)
    collect(errors)
    return cleaned


@transaction.atomic
def create_company(*, actor: Actor, values: Mapping[str, Any]) -> Company:
    cleaned = clean_company(values)
    company = Company(**cleaned)
    _save_company(company)
    record(actor=actor, event=AuditEventType.COMPANY_CREATED, obj=company, fields=cleaned)
    return company


@transaction.atomic
def update_company(*, actor: Actor, company: Company, changes: Mapping[str, Any]) -> Company:
    company = locked(company)
    cleaned = clean_company({**current_values(company, COMPANY_FIELDS), **changes})
    changed = apply_changes(company, cleaned)
    if changed:
        company.updated_at = timezone.now()
        _save_company(company)
        record(actor=actor, event=AuditEventType.COMPANY_CHANGED, obj=company, fields=changed)
    return company


def _save_company(company: Company) -> None:
    save_unique(
        company,
        code=RegisterErrorCode.DUPLICATE_ORGANISATION_NUMBER,
        message=_("A company with this organisation number is already registered."),
        field="organisation_number",
    )


@transaction.atomic
def delete_company(*, actor: Actor, company: Company) -> None:
    company_id = company.pk
    Person.objects.filter(company=company).update(company=None, updated_at=timezone.now())
    company.delete()
    record(
        actor=actor, event=AuditEventType.COMPANY_DELETED, object_type="register.company",
        object_id=company_id,
    )  # fmt: skip


@transaction.atomic
def create_person(*, actor: Actor, values: Mapping[str, Any]) -> Person:
    cleaned = clean_person(values)
    person = Person(
        **cleaned, email_key=email_lookup_key(cleaned["email"]) if cleaned["email"] else ""
    )
    person.save()
    record(
        actor=actor,
        event=AuditEventType.PERSON_CREATED,
        obj=person,
        subject_id=person.pk,
        fields=[name for name, value in cleaned.items() if value],
    )
    return person


def require_unrestricted(*, actor: Actor, person: Person) -> None:
    """While processing of a person is restricted (Art. 18) their data is only stored: nobody
    but the privacy officer (or the person, through the portal) adds to, changes or deletes
    it, so that what is disputed stays as it was."""
    if person.processing_restricted_since is not None and not actor.has_perm(
        "register.edit_restricted_person"
    ):
        raise DomainError(
            code=CoreErrorCode.PERMISSION_DENIED,
            message=_(
                "Processing of this person is restricted: only the privacy officer may edit."
            ),
            status=403,
        )


@transaction.atomic
def update_person(*, actor: Actor, person: Person, changes: Mapping[str, Any]) -> Person:
    """Correct or complete a person's data; the audit entry lists the changed fields only.

    While processing is restricted (Art. 18) only the privacy officer, or the person through
    the portal, may change anything."""
    person = locked(person)
    require_unrestricted(actor=actor, person=person)
    cleaned = clean_person({**current_values(person, PERSON_FIELDS), **changes})
    changed = apply_changes(person, cleaned)
    if changed:
        person.email_key = email_lookup_key(person.email) if person.email else ""
        person.updated_at = timezone.now()
        person.save()
        record(
            actor=actor, event=AuditEventType.PERSON_CHANGED, obj=person, subject_id=person.pk,
            fields=changed,
        )  # fmt: skip
    return person


def _held() -> DomainError:
    return DomainError(
        code=RegisterErrorCode.PERSON_UNDER_LEGAL_HOLD,
        message=_(
            "This person or one of their records is under a legal hold: nothing of theirs "
            "can be deleted until the hold is lifted."
        ),
        status=409,
    )


def _refuse_if_kept(person: Person) -> None:
    """Staff deletion removes everything of the person's, so it is refused while anything of
    theirs must stay: a legal hold (on them or one of their records), an open data-subject
    request (its answer acts on the data as it was), or records the law makes us keep. An
    erasure request is the way for those: it keeps what must be kept and erases the rest."""
    if active_holds().filter(person_id=person.pk).exists():
        raise _held()
    if DataSubjectRequest.objects.filter(
        person_id=person.pk, status__in=RequestStatus.open()
    ).exists():
        raise DomainError(
            code=RegisterErrorCode.OPEN_REQUEST,
            message=_("This person has an open data-subject request: answer it first."),
            status=409,
        )
    today = timezone.localdate()
    kept_by_law = (
        BookkeepingRecord.objects.filter(person_id=person.pk)
        .exclude(bookkeeping_past_statute(today))
        .exists()
        or DueDiligenceRecord.objects.filter(person_id=person.pk)
        .exclude(due_diligence_past_statute(today))
        .exists()
    )
    if kept_by_law:
        raise DomainError(
            code=RegisterErrorCode.RECORDS_KEPT_BY_LAW,
            message=_(
                "The law requires records about this person to be kept (bookkeeping or customer "
                "due diligence), so they cannot be deleted. Record an erasure request instead: "
                "it keeps what must be kept and erases the rest."
            ),
            status=409,
        )


@transaction.atomic
def delete_person(*, actor: Actor, person: Person) -> None:
    """Delete a person with everything of theirs (staff UI, API). Refused (409) while anything
    of theirs must be kept; otherwise their e-mail and phone go on the suppression list first,
    so an objection or opt-out outlives the row and a re-imported lead is not contacted. The
    deletion is retention's own (statistics folded, files removed only after commit); its
    audit entry is written there, the suppression's here."""
    require_unrestricted(actor=actor, person=person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    _refuse_if_kept(person)
    suppressed = suppress_person(person=person, reason="deleted")
    outcome = erase_person(actor=actor, person_id=person.pk)
    if outcome.person != "deleted":  # a hold set meanwhile: undo everything
        raise _held()
    if suppressed:
        record(
            actor=actor,
            event=AuditEventType.ADDRESSES_SUPPRESSED,
            object_type="consent.suppressionentry",
            subject_id=person.pk,
            detail={"kinds": suppressed, "reason": "deleted"},
        )


@transaction.atomic
def restrict_processing(*, actor: Actor, person: Person) -> Person:
    """Restrict processing (GDPR Art. 18): storage only until lifted. Idempotent."""
    if person.processing_restricted_since is None:
        person.processing_restricted_since = timezone.now()
        person.save(update_fields=["processing_restricted_since"])
        record(actor=actor, event=AuditEventType.PROCESSING_RESTRICTED, obj=person,
               subject_id=person.pk, fields=["processing_restricted_since"],
               detail={"restricted": True})  # fmt: skip
    return person


@transaction.atomic
def lift_restriction(*, actor: Actor, person: Person) -> Person:
    """Lift a restriction. The caller has told the person first (Art. 18(3))."""
    if person.processing_restricted_since is not None:
        person.processing_restricted_since = None
        person.save(update_fields=["processing_restricted_since"])
        record(actor=actor, event=AuditEventType.RESTRICTION_LIFTED, obj=person,
               subject_id=person.pk, fields=["processing_restricted_since"],
               detail={"restricted": False})  # fmt: skip
    return person


def log_person_viewed(*, actor: Actor, person: Person, via: str) -> None:
    """Viewing a person's data is itself recorded (who looked, when, from where, through what)."""
    record(
        actor=actor, event=AuditEventType.PERSON_VIEWED, obj=person, subject_id=person.pk,
        detail={"via": via},
    )  # fmt: skip
