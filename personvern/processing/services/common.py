"""What the activity and processor services share: reading values by name, trimming text,
and the data categories (reference data) they link to."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import DomainError

from ..choices import (
    ProcessingErrorCode,
)
from ..models import (
    DataCategory,
)


def _values_of(source: Any, names: Iterable[str]) -> dict[str, Any]:
    """The named attributes of a row or a values dataclass, without copying model instances
    (``dataclasses.asdict`` would deep-copy a parent or a processor)."""
    return {name: getattr(source, name) for name in names}


def _trimmed(values: Any, names: Iterable[str]) -> dict[str, Any]:
    """The named text values trimmed; ``Any`` so that they go back into the dataclass by name."""
    return {name: str(getattr(values, name) or "").strip() for name in names}


def _data_categories(keys: Iterable[str]) -> list[DataCategory]:
    keys = sorted(set(keys))
    found = list(DataCategory.objects.filter(key__in=keys))
    if len(found) != len(keys):
        raise DomainError(
            code=ProcessingErrorCode.UNKNOWN_DATA_CATEGORY,
            message=_("Unknown data category key."),
            field="data_categories",
        )
    return found


@transaction.atomic
def ensure_data_category(*, key: str, name: str, description: str = "") -> DataCategory:
    """Reference data, not personal data: created once, not audited."""
    category, _created = DataCategory.objects.get_or_create(
        key=key, defaults={"name": name, "description": description}
    )
    return category
