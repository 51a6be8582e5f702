"""Reads of the connectors app."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ErasureStep, SqlDataset
from .spec import to_yaml


def datasets_in_use() -> QuerySet[SqlDataset]:
    return SqlDataset.objects.filter(enabled=True).order_by("key")


def dataset_yaml(dataset: SqlDataset) -> str:
    """The dataset as YAML (what ``services.import_yaml`` reads back)."""
    return to_yaml(dataset.dataset)


def erasure_steps(*, job: str, dataset: str) -> QuerySet[ErasureStep]:
    return ErasureStep.objects.filter(job=job, dataset=dataset).order_by("pk")
