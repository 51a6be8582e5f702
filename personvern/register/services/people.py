"""The register's people and companies: validation, the writes and their audit, restriction
of processing (Art. 18) and deletion by staff (whose rule lives with retention's erasure)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect
from personvern.core.records import (
    apply_changes,
    locked,
    model_errors,
    reject_unknown,
    save_unique,
)
from personvern.core.validation import (
    email_lookup_key,
    normalise_country,
    normalise_email,
    normalise_orgnr,
    normalise_phone,
)

from ..choices import RegisterErrorCode, Source
from ..deletion import person_deleter
from ..models import Company, Person


@dataclass(frozen=True, kw_only=True)
class CompanyValues:
    """A company as staff, the API or the demo give it; ``clean_company`` normalises it."""

    name: str
    organisation_number: str = ""
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "NO"
    email: str = ""
    phone: str = ""
    website: str = ""
    source: str = Source.DATA_SUBJECT
    source_party: str = ""
    source_reference: str = ""

    @classmethod
    def of(cls, company: Company) -> CompanyValues:
        return cls(**{name: getattr(company, name) for name in COMPANY_FIELDS})


class CompanyChanges(TypedDict, total=False):
    """The fields an update sets; the others keep what the row holds when it is locked."""

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


@dataclass(frozen=True, kw_only=True)
class PersonValues:
    """A person as staff, the API, a lead import or the demo give them; ``clean_person``
    normalises them. ``company`` is the company as the caller read it: the service reads it
    again, locked, before it links the person to it."""

    category: str
    first_name: str
    last_name: str = ""
    email: str = ""
    phone: str = ""
    position: str = ""
    role: str = ""
    company: Company | None = None
    source: str = Source.DATA_SUBJECT
    source_party: str = ""
    source_reference: str = ""
    relationship_ended_on: datetime.date | None = None

    @classmethod
    def of(cls, person: Person) -> PersonValues:
        return cls(**{name: getattr(person, name) for name in PERSON_FIELDS})


class PersonChanges(TypedDict, total=False):
    """The fields an update sets; the others keep what the row holds when it is locked."""

    category: str
    first_name: str
    last_name: str
    email: str
    phone: str
    position: str
    role: str
    company: Company | None
    source: str
    source_party: str
    source_reference: str
    relationship_ended_on: datetime.date | None


PERSON_FIELDS = tuple(field.name for field in fields(PersonValues))
# Stored as given, trimmed; e-mail and phone are normalised by their libraries instead.
PERSON_TEXT_FIELDS = (
    "first_name",
    "last_name",
    "position",
    "role",
    "source_party",
    "source_reference",
)
# The domain's codes for the model's own checks that fail other than as missing or too long.
PERSON_INVALID = {
    "category": RegisterErrorCode.INVALID_CATEGORY,
    "source": RegisterErrorCode.INVALID_SOURCE,
}


COMPANY_FIELDS = tuple(field.name for field in fields(CompanyValues))
# The domain's codes for the model's own checks that fail other than as missing or too long.
COMPANY_INVALID = {
    "source": RegisterErrorCode.INVALID_SOURCE,
    "email": CoreErrorCode.INVALID_EMAIL,
    "website": CoreErrorCode.INVALID_URL,
}


def _check_source(values: Mapping[str, Any], errors: list[FieldError]) -> None:
    """A third-party record names the party and its proof of consent; a public one its source."""
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


def clean_person(values: PersonValues) -> PersonValues:
    """The person's values trimmed and normalised by the field libraries (e-mail, phone),
    then checked against the model's own rules (required, column length, choices); the
    company is read again, locked. Raises with every field error."""
    cleaned = _as_dict(values)
    for name in (*PERSON_TEXT_FIELDS, "category", "source"):
        cleaned[name] = str(cleaned[name] or "").strip()
    cleaned["source"] = cleaned["source"] or Source.DATA_SUBJECT
    cleaned["relationship_ended_on"] = cleaned["relationship_ended_on"] or None
    errors: list[FieldError] = []
    cleaned["company"] = _current_company(cleaned["company"], errors)
    _normalise(cleaned, "email", errors, normalise_email)
    _normalise(cleaned, "phone", errors, normalise_phone)
    # The company was checked above, locked; the model's own check would look it up again.
    checked = ["company", *(error.field for error in errors)]
    errors = (
        model_errors(
            Person(**cleaned),
            too_long=RegisterErrorCode.TOO_LONG,
            invalid=PERSON_INVALID,
            exclude=checked,
        )
        + errors
    )
    _check_source(cleaned, errors)
    collect(errors)
    return PersonValues(**cleaned)


def _as_dict(values: PersonValues) -> dict[str, Any]:
    """The fields as they are: ``asdict`` would deep-copy the company's model instance."""
    return {field.name: getattr(values, field.name) for field in fields(values)}


def _current_company(company: Company | None, errors: list[FieldError]) -> Company | None:
    """The company as it is now, locked until the transaction ends: a company deleted since
    the caller read it is an error naming the field, not a broken link at commit."""
    if company is None:
        return None
    current = Company.objects.select_for_update().filter(pk=company.pk).first()
    if current is None:
        errors.append(
            FieldError(
                field="company_id",
                code=CoreErrorCode.NOT_FOUND,
                message=_("No company with this id."),
            )
        )
    return current


def clean_company(values: CompanyValues) -> CompanyValues:
    """The company's values trimmed and normalised by the field libraries (country, e-mail,
    phone, Norwegian organisation number), then checked against the model's own rules
    (required, column length, choices, URL); raises with every field error."""
    cleaned = {name: str(value or "").strip() for name, value in asdict(values).items()}
    cleaned["country"] = cleaned["country"] or "NO"
    cleaned["source"] = cleaned["source"] or Source.DATA_SUBJECT
    errors: list[FieldError] = []
    _normalise(cleaned, "country", errors, normalise_country)
    _normalise(cleaned, "email", errors, normalise_email)
    _normalise(cleaned, "phone", errors, normalise_phone)
    if cleaned["country"] == "NO":
        _normalise(cleaned, "organisation_number", errors, normalise_orgnr)
    errors = (
        model_errors(
            Company(**cleaned),
            too_long=RegisterErrorCode.TOO_LONG,
            invalid=COMPANY_INVALID,
            exclude=[error.field for error in errors],
        )
        + errors
    )
    _check_source(cleaned, errors)
    collect(errors)
    return CompanyValues(**cleaned)


@transaction.atomic
def create_company(*, actor: Actor, values: CompanyValues) -> Company:
    cleaned = asdict(clean_company(values))
    company = Company(**cleaned)
    _save_company(company)
    record(actor=actor, event=AuditEventType.COMPANY_CREATED, obj=company, fields=cleaned)
    return company


@transaction.atomic
def update_company(*, actor: Actor, company: Company, changes: CompanyChanges) -> Company:
    company = locked(company)
    reject_unknown(changes, COMPANY_FIELDS, RegisterErrorCode.UNKNOWN_FIELD)
    cleaned = asdict(clean_company(replace(CompanyValues.of(company), **changes)))
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
def create_person(*, actor: Actor, values: PersonValues) -> Person:
    cleaned = _as_dict(clean_person(values))
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
def update_person(*, actor: Actor, person: Person, changes: PersonChanges) -> Person:
    """Correct or complete a person's data; the audit entry lists the changed fields only.

    While processing is restricted (Art. 18) only the privacy officer, or the person through
    the portal, may change anything."""
    person = locked(person)
    require_unrestricted(actor=actor, person=person)
    reject_unknown(changes, PERSON_FIELDS, RegisterErrorCode.UNKNOWN_FIELD)
    cleaned = _as_dict(clean_person(replace(PersonValues.of(person), **changes)))
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


def delete_person(*, actor: Actor, person: Person) -> None:
    """Delete a person with everything of theirs (staff UI, API). What stops a deletion and
    what goes with the person is retention's rule, next to ``erase_person``
    (``retention.services.erasure.delete_person``), which registers itself here."""
    person_deleter()(actor=actor, person=person)


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
