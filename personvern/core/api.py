"""Helpers every domain API shares: strict input schemas, ids in bodies, search, paging."""

from __future__ import annotations

import datetime
import typing
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.params import functions as param_functions
from pydantic import ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .errors import CoreErrorCode, DomainError

MAX_PAGE_SIZE = 100
# The largest value a database id (a signed 64-bit column on PostgreSQL) can hold. A larger
# number cannot name a row: it is refused as invalid input instead of overflowing the query.
MAX_ID = 2**63 - 1

DbId = Annotated[int, Field(ge=1, le=MAX_ID, description="A database id.")]
"""An id in a path or a body."""


def id_query() -> Any:
    """An optional id in the query string of a paginated list. (``paginate`` wraps the
    handler, so its annotations are read in ninja's module, where ``DbId`` is unknown: the
    bounds go in the default instead.)"""
    return param_functions.Query(None, ge=1, le=MAX_ID, description="A database id.")


NUL = "\x00"


def refuse_nul(value: Any) -> Any:
    """PostgreSQL cannot store the NUL character in text, and no field of ours means it:
    refuse it as invalid input (a 422 naming the field), in a string or a list of strings."""
    values = value if isinstance(value, list | tuple) else [value]
    if any(isinstance(v, str) and NUL in v for v in values):
        raise PydanticCustomError("nul_character", "Text must not contain the NUL character.")
    return value


def _is_temporal(annotation: Any) -> bool:
    """Whether a field's type is a date or a time (also inside ``X | None`` or Annotated)."""
    if annotation in (datetime.date, datetime.datetime):
        return True
    return any(_is_temporal(arg) for arg in typing.get_args(annotation))


class InSchema(Schema):
    """Request bodies refuse unknown fields (422 ``extra_forbidden``): a misspelt field in a
    partial update must not be silently ignored. Text never holds NUL, and a date or time is
    given as ISO text, never as a number (pydantic would read ``0`` as 1970-01-01)."""

    model_config = ConfigDict(extra="forbid")

    _no_nul = field_validator("*")(refuse_nul)

    @field_validator("*", mode="before")
    @classmethod
    def _dates_as_text(cls, value: Any, info: ValidationInfo) -> Any:
        temporal = info.field_name is not None and _is_temporal(
            cls.model_fields[info.field_name].annotation
        )
        if temporal and isinstance(value, int | float):
            raise PydanticCustomError(
                "date_as_text", "Give a date or time as ISO 8601 text, not a number."
            )
        return value


class Pagination(LimitOffsetPagination):
    """``limit`` and ``offset`` bounded, so that no number a client sends overflows the
    database's ``LIMIT``/``OFFSET`` (a 422 naming the parameter instead of a 500)."""

    class Input(Schema):
        limit: int = Field(MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_ID - MAX_PAGE_SIZE)


M = TypeVar("M", bound=Model)


def existing(queryset: QuerySet[M], pk: int, *, field: str, message: Promise) -> M:
    """The object a foreign-key id in the body names. An unknown id is a 422 naming the field:
    the request is wrong, not the URL."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise DomainError(code=CoreErrorCode.NOT_FOUND, message=message, field=field)
    return obj


def blank_nulls(data: Mapping[str, Any]) -> dict[str, Any]:
    """In a partial update ``null`` clears a text field; the services store blank text as ''."""
    return {name: "" if value is None else value for name, value in data.items()}


def search(queryset: QuerySet[M], q: str | None, fields: tuple[str, ...]) -> QuerySet[M]:
    """Every word of ``q`` must match one of ``fields`` (case-insensitive substring)."""
    for term in (q or "").split():
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(match)
    return queryset
