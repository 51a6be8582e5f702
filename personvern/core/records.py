"""Small helpers services share for validated, audited updates of model instances."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import CoreErrorCode, DomainError, ErrorCode, FieldError
from .translated import in_default_language, is_translation_of_default


def reject_unknown(values: Mapping[str, Any], allowed: Iterable[str], code: ErrorCode) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise DomainError(code=code, message=_("This field cannot be set here."), field=unknown[0])


M = TypeVar("M", bound=models.Model)


def locked(instance: M) -> M:
    """The row as it is now, locked until the transaction ends. An update starts from it, not
    from the instance the caller read earlier: saving a stale copy would undo a change made
    in between (a company deleted and its people's link cleared, say) and fail, or lose it."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def apply_changes(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set the attributes that differ and return the names of those that changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def save_unique(
    instance: models.Model, *, code: ErrorCode, message: str | Promise, field: str
) -> None:
    """Save, turning a unique-constraint violation into a domain error on ``field``. The
    savepoint keeps the caller's transaction usable (PostgreSQL aborts it otherwise). Saved in
    the default language: a model with texts per language keeps its base column in bokmål
    whatever language the request reads (``core.translated``)."""
    try:
        with transaction.atomic(), in_default_language():
            instance.save()
    except IntegrityError as exc:
        raise DomainError(code=code, message=message, field=field) from exc


# Django's codes for a value that is missing, and for one longer than its column.
_MISSING = frozenset({"blank", "null", "required"})


def model_errors(
    instance: models.Model,
    *,
    too_long: ErrorCode,
    invalid: Mapping[str, ErrorCode],
    exclude: Iterable[str] = (),
) -> list[FieldError]:
    """The model's own field checks (``clean_fields``: required, column length, choices, the
    field's validators) as the domain's field errors, one per field. Services declare a rule
    once, on the model, instead of checking it again by hand; a value longer than its column
    is refused here because SQLite would store it and PostgreSQL fail with a server error.

    ``invalid`` names the domain's code for any other check a field fails (a choice, a URL);
    a field whose check has no code is a programming error and raises. Text holding the NUL
    character is refused too (``nul_character``): PostgreSQL cannot store it, and Django's
    model fields, unlike its form fields, do not check for it."""
    # A default-language translation field (``purpose_nb``) holds the base field's text: its
    # errors are the base field's (``core.translated``).
    exclude = [
        *exclude,
        *(f.name for f in instance._meta.concrete_fields if is_translation_of_default(f)),
    ]
    errors = _nul_errors(instance, exclude)
    try:
        instance.clean_fields(exclude=[*exclude, *(e.field for e in errors)])
    except ValidationError as exc:
        for name, failures in exc.error_dict.items():
            failure = failures[0]
            if failure.code in _MISSING:
                code: ErrorCode = CoreErrorCode.REQUIRED
            elif failure.code == "max_length":
                code = too_long
            else:
                code = invalid[name]
            # Django's wording, except for a choice, whose message would repeat the value.
            message: str | Promise = failure.messages[0]
            if failure.code == "invalid_choice":
                message = _("Select a valid choice.")
            errors.append(FieldError(field=name, code=code, message=message))
    return errors


def _nul_errors(instance: models.Model, exclude: Iterable[str]) -> list[FieldError]:
    return [
        FieldError(
            field=field.name,
            code=CoreErrorCode.NUL_CHARACTER,
            message=_("Text must not contain the NUL character."),
        )
        for field in instance._meta.concrete_fields
        if field.name not in exclude
        and isinstance(value := getattr(instance, field.attname), str)
        and "\x00" in value
    ]
