"""A table of an SQL source named from outside the connectors (a retention rule, a breach):
``"dataset key.table name"``, the dataset's key and the table as the dataset names it."""

from __future__ import annotations

from .models import SqlDataset
from .spec import DatasetSpec, TableSpec


def split(source_table: str) -> tuple[str, str]:
    key, _dot, table = source_table.partition(".")
    return key, table


def dataset_table(source_table: str) -> tuple[DatasetSpec, TableSpec] | None:
    """The dataset (in use) and its table; None when either is gone or not in use."""
    key, name = split(source_table)
    dataset = SqlDataset.objects.filter(key=key, enabled=True).first()
    if dataset is None:
        return None
    spec = dataset.dataset
    table = next((t for t in spec.tables if t.name == name), None)
    return None if table is None else (spec, table)


def table_choices() -> list[tuple[str, str]]:
    """The tables of the SQL sources in use, for a form: ``dataset.table`` and a label."""
    choices = []
    for dataset in SqlDataset.objects.filter(enabled=True).order_by("key"):
        for table in dataset.dataset.tables:
            label = table.label or table.name
            choices.append((f"{dataset.key}.{table.name}", f"{dataset.name}: {label}"))
    return choices
