"""Changes to the controller and its supervisory authority, validated and audited.

Both are configuration of the installation rather than personal data of subjects, but a change
to who answers for processing, or where people may complain, is still recorded in the audit
trail. Each ``save_*`` function creates the record or updates it in place, keyed by its natural
key (the organisation number; the authority's name and country), so running it again with the
same values writes nothing; each ``update_*`` function sets only the changes it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect
from personvern.core.records import apply_changes, locked, model_errors, reject_unknown
from personvern.core.validation import (
    normalise_country,
    normalise_email,
    normalise_orgnr,
    normalise_phone,
)

from .choices import OrganisationErrorCode
from .models import DEFAULT_REQUEST_DEADLINE_DAYS, Organisation, SupervisoryAuthority


@dataclass(frozen=True, kw_only=True)
class AuthorityValues:
    """A supervisory authority as staff or the demo give it; ``clean_supervisory_authority``
    normalises it."""

    name: str
    country: str
    website: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""

    @classmethod
    def of(cls, authority: SupervisoryAuthority) -> AuthorityValues:
        return cls(**{name: getattr(authority, name) for name in AUTHORITY_FIELDS})


class AuthorityChanges(TypedDict, total=False):
    """The fields an update sets; the others keep what the row holds when it is locked."""

    name: str
    country: str
    website: str
    email: str
    phone: str
    postal_address: str


@dataclass(frozen=True, kw_only=True)
class OrganisationValues:
    """The controller as staff or the demo give it; ``clean_organisation`` normalises it."""

    legal_name: str
    organisation_number: str
    responsible_role: str
    privacy_contact_email: str
    postal_address: str = ""
    website: str = ""
    supervisory_authority: SupervisoryAuthority | None
    request_deadline_days: int = DEFAULT_REQUEST_DEADLINE_DAYS
    cookie_lifetime_limit_days: int = 30

    @classmethod
    def of(cls, organisation: Organisation) -> OrganisationValues:
        return cls(**{name: getattr(organisation, name) for name in ORGANISATION_FIELDS})


class OrganisationChanges(TypedDict, total=False):
    """The fields an update sets; the others keep what the row holds when it is locked."""

    legal_name: str
    organisation_number: str
    responsible_role: str
    privacy_contact_email: str
    postal_address: str
    website: str
    supervisory_authority: SupervisoryAuthority | None
    request_deadline_days: int
    cookie_lifetime_limit_days: int


ORGANISATION_FIELDS = tuple(field.name for field in fields(OrganisationValues))
AUTHORITY_FIELDS = tuple(field.name for field in fields(AuthorityValues))
ORGANISATION_TEXT_FIELDS = (
    "legal_name",
    "organisation_number",
    "responsible_role",
    "privacy_contact_email",
    "postal_address",
    "website",
)
# The organisation's codes for the model's own checks that fail other than as missing or too
# long (the service's own, stricter checks of these fields usually come first).
AUTHORITY_INVALID = {
    "country": CoreErrorCode.INVALID_COUNTRY,
    "email": CoreErrorCode.INVALID_EMAIL,
    "website": OrganisationErrorCode.INVALID_WEBSITE,
}
ORGANISATION_INVALID = {
    "privacy_contact_email": CoreErrorCode.INVALID_EMAIL,
    "website": OrganisationErrorCode.INVALID_WEBSITE,
    "supervisory_authority": OrganisationErrorCode.INVALID_SUPERVISORY_AUTHORITY,
    "request_deadline_days": OrganisationErrorCode.INVALID_DEADLINE,
    "cookie_lifetime_limit_days": OrganisationErrorCode.INVALID_COOKIE_LIFETIME,
}

# GDPR Art. 12(3): one month at most. The product's default is the notice's stricter 30 days.
MAX_REQUEST_DEADLINE_DAYS = 31
# The notice promises analytics cookies live no longer than 30 days; a year is a sane ceiling.
MAX_COOKIE_LIFETIME_DAYS = 395

_url_validator = URLValidator(schemes=["http", "https"])


def _normalise(values: dict[str, Any], name: str, errors: list[FieldError], fn: Any) -> None:
    """Normalise a given value with its field library; a blank one is left for the model's
    own rule (required or not)."""
    raw = values[name]
    if raw:
        try:
            values[name] = fn(raw, field=name)
        except DomainError as exc:
            errors.extend(exc.errors)


def _check_website(values: dict[str, Any], errors: list[FieldError]) -> None:
    """Only a web address people can open: http or https (the model also takes ftp)."""
    website = values["website"]
    if not website:
        return
    try:
        _url_validator(website)
    except ValidationError:
        errors.append(
            FieldError(
                field="website",
                code=OrganisationErrorCode.INVALID_WEBSITE,
                message=_("Enter a valid web address starting with https://."),
            )
        )


def _check_days(
    values: dict[str, Any],
    name: str,
    maximum: int,
    code: OrganisationErrorCode,
    errors: list[FieldError],
) -> None:
    value = values.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= maximum:
        errors.append(
            FieldError(
                field=name,
                code=code,
                message=_("Enter a whole number of days from 1 to %(maximum)s.")
                % {"maximum": maximum},
            )
        )


def _trimmed(values: AuthorityValues | OrganisationValues, text: tuple[str, ...]) -> dict[str, Any]:
    cleaned = {field.name: getattr(values, field.name) for field in fields(values)}
    for name in text:
        cleaned[name] = str(cleaned[name] or "").strip()
    return cleaned


def clean_supervisory_authority(values: AuthorityValues) -> AuthorityValues:
    """The authority's values trimmed and normalised by the field libraries (country, e-mail,
    phone), its website an http(s) address, then checked against the model's own rules
    (required, column length); raises with every field error."""
    cleaned = _trimmed(values, AUTHORITY_FIELDS)
    errors: list[FieldError] = []
    _normalise(cleaned, "country", errors, normalise_country)
    _normalise(cleaned, "email", errors, normalise_email)
    _normalise(cleaned, "phone", errors, normalise_phone)
    _check_website(cleaned, errors)
    errors = (
        model_errors(
            SupervisoryAuthority(**cleaned),
            too_long=OrganisationErrorCode.TOO_LONG,
            invalid=AUTHORITY_INVALID,
            exclude=[error.field for error in errors],
        )
        + errors
    )
    collect(errors)
    return AuthorityValues(**cleaned)


def clean_organisation(values: OrganisationValues) -> OrganisationValues:
    """The controller's values trimmed and normalised by the field libraries (Norwegian
    organisation number, e-mail), then checked against what the model cannot say (an http(s)
    website, a registered authority, deadlines within the law and the notice) and the model's
    own rules (required, column length); raises with every field error."""
    cleaned = _trimmed(values, ORGANISATION_TEXT_FIELDS)
    errors: list[FieldError] = []
    _normalise(cleaned, "organisation_number", errors, normalise_orgnr)
    _normalise(cleaned, "privacy_contact_email", errors, normalise_email)
    _check_website(cleaned, errors)
    authority = cleaned["supervisory_authority"]
    if authority is not None and (
        not isinstance(authority, SupervisoryAuthority) or authority.pk is None
    ):
        errors.append(
            FieldError(
                field="supervisory_authority",
                code=OrganisationErrorCode.INVALID_SUPERVISORY_AUTHORITY,
                message=_("Select a registered supervisory authority."),
            )
        )
    _check_days(
        cleaned,
        "request_deadline_days",
        MAX_REQUEST_DEADLINE_DAYS,
        OrganisationErrorCode.INVALID_DEADLINE,
        errors,
    )
    _check_days(
        cleaned,
        "cookie_lifetime_limit_days",
        MAX_COOKIE_LIFETIME_DAYS,
        OrganisationErrorCode.INVALID_COOKIE_LIFETIME,
        errors,
    )
    excluded = [error.field for error in errors]
    # A value the service refused stays out of the model: the field would not take it.
    model = Organisation(**{name: v for name, v in cleaned.items() if name not in excluded})
    errors = (
        model_errors(
            model,
            too_long=OrganisationErrorCode.TOO_LONG,
            invalid=ORGANISATION_INVALID,
            exclude=excluded,
        )
        + errors
    )
    collect(errors)
    return OrganisationValues(**cleaned)


def _find_authority(values: AuthorityValues) -> SupervisoryAuthority | None:
    """The authority with the same name and country, if the values name a valid country."""
    try:
        country = normalise_country(str(values.country or ""))
    except DomainError:
        return None
    name = str(values.name or "").strip()
    return (
        SupervisoryAuthority.objects.select_for_update()
        .filter(name__iexact=name, country=country)
        .order_by("pk")
        .first()
    )


def _find_organisation(values: OrganisationValues) -> Organisation | None:
    """The organisation with the same organisation number, if the values hold a valid one."""
    try:
        number = normalise_orgnr(str(values.organisation_number or ""))
    except DomainError:
        return None
    return Organisation.objects.select_for_update().filter(organisation_number=number).first()


def _as_dict(values: AuthorityValues | OrganisationValues) -> dict[str, Any]:
    return {field.name: getattr(values, field.name) for field in fields(values)}


@transaction.atomic
def save_supervisory_authority(*, actor: Actor, values: AuthorityValues) -> SupervisoryAuthority:
    """Create the authority, or give the one with the same name and country these values.
    Audited only when something changed."""
    authority = _find_authority(values)
    if authority is not None:
        return _update_authority(actor=actor, authority=authority, values=values)
    cleaned = _as_dict(clean_supervisory_authority(values))
    authority = SupervisoryAuthority.objects.create(**cleaned)
    record(
        actor=actor,
        event=AuditEventType.AUTHORITY_CREATED,
        obj=authority,
        fields=[name for name, value in cleaned.items() if value],
    )
    return authority


@transaction.atomic
def update_supervisory_authority(
    *, actor: Actor, authority: SupervisoryAuthority, changes: AuthorityChanges
) -> SupervisoryAuthority:
    """Set ``changes`` on the authority as it is now; the other fields keep their value."""
    authority = locked(authority)
    reject_unknown(changes, AUTHORITY_FIELDS, OrganisationErrorCode.UNKNOWN_FIELD)
    values = replace(AuthorityValues.of(authority), **changes)
    return _update_authority(actor=actor, authority=authority, values=values)


def _update_authority(
    *, actor: Actor, authority: SupervisoryAuthority, values: AuthorityValues
) -> SupervisoryAuthority:
    changed = apply_changes(authority, _as_dict(clean_supervisory_authority(values)))
    if changed:
        authority.save(update_fields=changed)
        record(actor=actor, event=AuditEventType.AUTHORITY_CHANGED, obj=authority, fields=changed)
    return authority


@transaction.atomic
def save_organisation(*, actor: Actor, values: OrganisationValues) -> Organisation:
    """Create the controller, or give the one with the same organisation number these values.
    Audited only when something changed."""
    organisation = _find_organisation(values)
    if organisation is not None:
        return _update_organisation(actor=actor, organisation=organisation, values=values)
    cleaned = _as_dict(clean_organisation(values))
    organisation = Organisation.objects.create(**cleaned)
    record(
        actor=actor,
        event=AuditEventType.ORGANISATION_CREATED,
        obj=organisation,
        fields=[name for name, value in cleaned.items() if value not in ("", None)],
    )
    return organisation


@transaction.atomic
def update_organisation(
    *, actor: Actor, organisation: Organisation, changes: OrganisationChanges
) -> Organisation:
    """Set ``changes`` on the controller as it is now; the other fields keep their value."""
    organisation = locked(organisation)
    reject_unknown(changes, ORGANISATION_FIELDS, OrganisationErrorCode.UNKNOWN_FIELD)
    values = replace(OrganisationValues.of(organisation), **changes)
    return _update_organisation(actor=actor, organisation=organisation, values=values)


def _update_organisation(
    *, actor: Actor, organisation: Organisation, values: OrganisationValues
) -> Organisation:
    cleaned = _as_dict(clean_organisation(values))
    taken = Organisation.objects.filter(organisation_number=cleaned["organisation_number"]).exclude(
        pk=organisation.pk
    )
    if taken.exists():
        raise DomainError(
            code=OrganisationErrorCode.DUPLICATE_ORGANISATION_NUMBER,
            message=_("An organisation with this organisation number already exists."),
            field="organisation_number",
        )
    changed = apply_changes(organisation, cleaned)
    if changed:
        organisation.save(update_fields=changed)
        record(
            actor=actor, event=AuditEventType.ORGANISATION_CHANGED, obj=organisation, fields=changed
        )
    return organisation
