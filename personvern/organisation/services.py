"""Changes to the controller and its supervisory authority, validated and audited.

Both are configuration of the installation rather than personal data of subjects, but a change
to who answers for processing, or where people may complain, is still recorded in the audit
trail. Each ``save_*`` function creates the record or updates it in place, keyed by its natural
key (the organisation number; the authority's name and country), so running it again with the
same values writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError, FieldError, collect
from personvern.core.records import apply_changes, current_values, reject_unknown, require
from personvern.core.validation import (
    normalise_country,
    normalise_email,
    normalise_orgnr,
    normalise_phone,
)

from .choices import OrganisationErrorCode
from .models import DEFAULT_REQUEST_DEADLINE_DAYS, Organisation, SupervisoryAuthority

ORGANISATION_FIELDS = (
    "legal_name",
    "organisation_number",
    "responsible_role",
    "privacy_contact_email",
    "postal_address",
    "website",
    "supervisory_authority",
    "request_deadline_days",
    "cookie_lifetime_limit_days",
)
AUTHORITY_FIELDS = ("name", "country", "website", "email", "phone", "postal_address")

# GDPR Art. 12(3): one month at most. The product's default is the notice's stricter 30 days.
MAX_REQUEST_DEADLINE_DAYS = 31
# The notice promises analytics cookies live no longer than 30 days; a year is a sane ceiling.
MAX_COOKIE_LIFETIME_DAYS = 395

_url_validator = URLValidator(schemes=["http", "https"])


def _normalise(
    values: dict[str, Any], name: str, errors: list[FieldError], fn: Any, *, required: bool = False
) -> None:
    raw = values.get(name)
    if raw is None or not str(raw).strip():
        values[name] = ""
        if required:
            require(values, [name], errors)
        return
    try:
        values[name] = fn(str(raw), field=name)
    except DomainError as exc:
        errors.extend(exc.errors)


def _check_website(values: dict[str, Any], errors: list[FieldError]) -> None:
    website = str(values.get("website") or "").strip()
    values["website"] = website
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


def _strip(values: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        values[name] = str(values.get(name) or "").strip()


def clean_supervisory_authority(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise an authority's full set of values; raises with every field error."""
    reject_unknown(values, AUTHORITY_FIELDS, OrganisationErrorCode.UNKNOWN_FIELD)
    cleaned = {name: values.get(name, "") for name in AUTHORITY_FIELDS}
    _strip(cleaned, ("name", "postal_address"))
    errors: list[FieldError] = []
    require(cleaned, ["name"], errors)
    _normalise(cleaned, "country", errors, normalise_country, required=True)
    _normalise(cleaned, "email", errors, normalise_email)
    _normalise(cleaned, "phone", errors, normalise_phone)
    _check_website(cleaned, errors)
    collect(errors)
    return cleaned


def clean_organisation(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise the controller's full set of values; raises with every field
    error."""
    reject_unknown(values, ORGANISATION_FIELDS, OrganisationErrorCode.UNKNOWN_FIELD)
    cleaned = {name: values.get(name, "") for name in ORGANISATION_FIELDS}
    cleaned["supervisory_authority"] = values.get("supervisory_authority")
    cleaned["request_deadline_days"] = values.get(
        "request_deadline_days", DEFAULT_REQUEST_DEADLINE_DAYS
    )
    cleaned["cookie_lifetime_limit_days"] = values.get("cookie_lifetime_limit_days", 30)
    _strip(cleaned, ("legal_name", "responsible_role", "postal_address"))
    errors: list[FieldError] = []
    require(cleaned, ["legal_name", "responsible_role"], errors)
    _normalise(cleaned, "organisation_number", errors, normalise_orgnr, required=True)
    _normalise(cleaned, "privacy_contact_email", errors, normalise_email, required=True)
    _check_website(cleaned, errors)
    authority = cleaned["supervisory_authority"]
    if authority is None:
        require(cleaned, ["supervisory_authority"], errors)
    elif not isinstance(authority, SupervisoryAuthority) or authority.pk is None:
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
    collect(errors)
    return cleaned


def _find_authority(values: Mapping[str, Any]) -> SupervisoryAuthority | None:
    """The authority with the same name and country, if the values name a valid country."""
    try:
        country = normalise_country(str(values.get("country") or ""))
    except DomainError:
        return None
    name = str(values.get("name") or "").strip()
    return (
        SupervisoryAuthority.objects.select_for_update()
        .filter(name__iexact=name, country=country)
        .order_by("pk")
        .first()
    )


def _find_organisation(values: Mapping[str, Any]) -> Organisation | None:
    """The organisation with the same organisation number, if the values hold a valid one."""
    try:
        number = normalise_orgnr(str(values.get("organisation_number") or ""))
    except DomainError:
        return None
    return Organisation.objects.select_for_update().filter(organisation_number=number).first()


@transaction.atomic
def save_supervisory_authority(
    *, actor: Actor, values: Mapping[str, Any], authority: SupervisoryAuthority | None = None
) -> SupervisoryAuthority:
    """Create the authority, or update ``authority`` (or the one with the same name and
    country) in place; when updating, fields left out of ``values`` keep their value.
    Audited only when something changed."""
    authority = authority or _find_authority(values)
    if authority is None:
        cleaned = clean_supervisory_authority(values)
        authority = SupervisoryAuthority.objects.create(**cleaned)
        record(
            actor=actor,
            event=AuditEventType.AUTHORITY_CREATED,
            obj=authority,
            fields=[name for name, value in cleaned.items() if value],
        )
        return authority
    cleaned = clean_supervisory_authority({**current_values(authority, AUTHORITY_FIELDS), **values})
    changed = apply_changes(authority, cleaned)
    if changed:
        authority.save(update_fields=changed)
        record(actor=actor, event=AuditEventType.AUTHORITY_CHANGED, obj=authority, fields=changed)
    return authority


@transaction.atomic
def save_organisation(
    *, actor: Actor, values: Mapping[str, Any], organisation: Organisation | None = None
) -> Organisation:
    """Create the controller, or update ``organisation`` (or the one with the same
    organisation number) in place; when updating, fields left out of ``values`` keep their
    value. Audited only when something changed."""
    organisation = organisation or _find_organisation(values)
    if organisation is None:
        cleaned = clean_organisation(values)
        organisation = Organisation.objects.create(**cleaned)
        record(
            actor=actor,
            event=AuditEventType.ORGANISATION_CREATED,
            obj=organisation,
            fields=[name for name, value in cleaned.items() if value not in ("", None)],
        )
        return organisation
    cleaned = clean_organisation({**current_values(organisation, ORGANISATION_FIELDS), **values})
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
