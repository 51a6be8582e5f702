"""Helpers every domain API shares: strict input schemas, ids in bodies, search, paging."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise
from ninja import Schema
from pydantic import ConfigDict

from .errors import CoreErrorCode, DomainError

MAX_PAGE_SIZE = 100


class InSchema(Schema):
    """Request bodies refuse unknown fields (422 ``extra_forbidden``): a misspelt field in a
    partial update must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


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
