"""The declarative description of an SQL source (a *dataset*), as YAML staff import, export
and edit::

    key: accounting
    name: Accounting system
    connection: {env: PERSONVERN_SOURCE_ACCOUNTING_URL}   # or {secret_file: accounting.url}
    tables:
      - name: customers
        label: Customer record
        identities: {email: email, phone: phone, customer_number: customer_no}
        columns: {name: user.name, email: user.contact.email, phone: user.contact.phone_number}
        erasure: {action: delete}
        rectify: {name: name, email: email, phone: phone}
      - name: invoices
        parent: {table: customers, column: customer_id, references: id}
        columns: {amount: user.financial, issued_on: system.operations}
        erasure: {action: keep, reason: bokforingsloven_13, date_column: issued_on, keep_years: 5}

A table is reached by its own identity columns or through its ``parent`` (any depth: invoice
lines through invoices through customers). Each column names its fideslang data category.

``rectify`` (optional, per table) says which columns hold which of the person's values a
rectification corrects (``connectors.PersonField``: name, first_name, last_name, email, phone,
position): corrected values are written there, normalised as the register stores them. Each
named column must be described under ``columns``. A table without ``rectify`` is not changed
by a rectification. A table kept under a legal obligation (``erasure: keep``) is never
changed: its rows are bookkeeping as issued; a rectification counts them and reports them as
not changed, with the reason.
The shape and the rules that need no database are checked here (``parse``); that the tables
and columns exist is checked against the database (``sql.check_schema``) before saving."""

from __future__ import annotations

import datetime
import re
from functools import cache
from typing import Annotated, Any

import yaml
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from personvern.core.errors import DomainError, FieldError

from .choices import ConnectorErrorCode, ErasureAction, IdentityKind, PersonField

IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]{0,62}$"
Identifier = Annotated[str, Field(pattern=IDENTIFIER)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConnectionSpec(_Strict):
    """Where the SQLAlchemy URL (with its password) is read: an environment variable, or a
    file in the secrets directory. Never the database, never a log."""

    env: Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]{0,99}$")] | None = None
    secret_file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")] | None = None

    @model_validator(mode="after")
    def _one(self) -> ConnectionSpec:
        if (self.env is None) == (self.secret_file is None):
            raise ValueError("give exactly one of env and secret_file")
        return self


class ParentLink(_Strict):
    table: Identifier
    column: Identifier  # in this table
    references: Identifier = "id"  # in the parent table


class ErasureSpec(_Strict):
    action: ErasureAction
    columns: list[Identifier] = Field(default_factory=list)  # for null and mask
    mask_value: str = Field(default="[erased]", max_length=100)
    # keep: the legal obligation (a code the letters explain, e.g. bokforingsloven_13) and
    # until when: a fixed date, or a date column plus years.
    reason: Annotated[str, Field(pattern=r"^[a-z0-9_]{0,60}$")] = ""
    until: datetime.date | None = None
    date_column: Identifier | None = None
    keep_years: Annotated[int, Field(ge=1, le=100)] | None = None

    @model_validator(mode="after")
    def _complete(self) -> ErasureSpec:
        if self.action in (ErasureAction.NULL, ErasureAction.MASK) and not self.columns:
            raise ValueError("null and mask need the columns to change")
        if self.action != ErasureAction.KEEP:
            return self
        if not self.reason:
            raise ValueError("keep needs the legal reason")
        if self.until is None and (self.date_column is None or self.keep_years is None):
            raise ValueError("keep needs until, or date_column and keep_years")
        return self


class TableSpec(_Strict):
    name: Identifier
    label: str = Field(default="", max_length=200)
    primary_key: Identifier = "id"
    identities: dict[IdentityKind, Identifier] = Field(default_factory=dict)
    parent: ParentLink | None = None
    columns: dict[Identifier, str] = Field(min_length=1)  # column -> fideslang data category
    erasure: ErasureSpec
    restriction_column: Identifier | None = None
    portable: bool = False
    # E-mail addresses are compared case-insensitively (lower() on the column, as the
    # register does); true compares them as stored, so that a plain index on the column is
    # used (for a column the system stores lower-cased, or with a case-insensitive collation).
    email_as_stored: bool = False
    # What a rectification corrects here: person field -> column (see the module's text).
    rectify: dict[PersonField, Identifier] = Field(default_factory=dict)

    def all_columns(self) -> set[str]:
        named = {self.primary_key, *self.identities.values(), *self.columns}
        named |= set(self.rectify.values())
        named |= set(self.erasure.columns)
        for optional in (self.erasure.date_column, self.restriction_column):
            if optional:
                named.add(optional)
        if self.parent is not None:
            named.add(self.parent.column)
        return named


class DatasetSpec(_Strict):
    key: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    connection: ConnectionSpec
    tables: list[TableSpec] = Field(min_length=1)

    def table(self, name: str) -> TableSpec:
        return next(t for t in self.tables if t.name == name)

    def path(self, table: TableSpec) -> list[TableSpec]:
        """The table and its ancestors, nearest first (checked acyclic by ``parse``)."""
        chain = [table]
        while chain[-1].parent is not None:
            chain.append(self.table(chain[-1].parent.table))
        return chain

    def depth(self, table: TableSpec) -> int:
        return len(self.path(table)) - 1

    def children(self, table: TableSpec) -> list[TableSpec]:
        return [t for t in self.tables if t.parent is not None and t.parent.table == table.name]


@cache
def data_categories() -> frozenset[str]:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    return frozenset(c.fides_key for c in DEFAULT_TAXONOMY.data_category)


def _invalid(field: str, code: ConnectorErrorCode, message: Any) -> FieldError:
    return FieldError(field=field, code=code, message=message)


def _rules(spec: DatasetSpec, *, stored: bool = False) -> list[FieldError]:
    """What pydantic's shapes cannot say: names unique, parents known and acyclic, every
    table reachable, categories from fideslang, no kept rows below deleted ones. A ``stored``
    dataset's categories were checked when it was saved; they are not looked up again."""
    errors: list[FieldError] = []
    names = [t.name for t in spec.tables]
    known = set(names)
    categories = frozenset() if stored else data_categories()
    for i, table in enumerate(spec.tables):
        where = f"tables.{i}"
        if names.count(table.name) > 1:
            errors.append(
                _invalid(
                    f"{where}.name",
                    ConnectorErrorCode.DUPLICATE_KEY,
                    _("Table %(table)s is described twice.") % {"table": table.name},
                )
            )
        if table.parent is not None and table.parent.table not in known:
            errors.append(
                _invalid(
                    f"{where}.parent.table",
                    ConnectorErrorCode.UNKNOWN_TABLE,
                    _("The parent table %(table)s is not described in this dataset.")
                    % {"table": table.parent.table},
                )
            )
        if table.parent is None and not table.identities:
            errors.append(
                _invalid(
                    f"{where}.identities",
                    ConnectorErrorCode.INVALID_DATASET,
                    _("Table %(table)s needs identity columns or a parent to be reached by.")
                    % {"table": table.name},
                )
            )
        for column, category in table.columns.items():
            if not stored and category not in categories:
                errors.append(
                    _invalid(
                        f"{where}.columns.{column}",
                        ConnectorErrorCode.UNKNOWN_DATA_CATEGORY,
                        _("%(category)s is not a fideslang data category.")
                        % {"category": category},
                    )
                )
        for field, column in table.rectify.items():
            if column not in table.columns:
                errors.append(
                    _invalid(
                        f"{where}.rectify.{field}",
                        ConnectorErrorCode.RECTIFY_UNDESCRIBED,
                        _("Column %(column)s is rectified but not described under columns.")
                        % {"column": column},
                    )
                )
    if errors:
        return errors
    for i, table in enumerate(spec.tables):
        seen = {table.name}
        current = table
        while current.parent is not None:
            if current.parent.table in seen:
                return [
                    _invalid(
                        f"tables.{i}.parent",
                        ConnectorErrorCode.PARENT_CYCLE,
                        _("The parents of table %(table)s form a cycle.") % {"table": table.name},
                    )
                ]
            seen.add(current.parent.table)
            current = spec.table(current.parent.table)
    for i, table in enumerate(spec.tables):
        if table.erasure.action != ErasureAction.DELETE:
            continue
        for child in spec.children(table):
            if child.erasure.action != ErasureAction.DELETE:
                errors.append(
                    _invalid(
                        f"tables.{i}.erasure.action",
                        ConnectorErrorCode.KEEP_BELOW_DELETE,
                        _(
                            "Rows of %(table)s cannot be deleted while rows of %(child)s that "
                            "refer to them are kept or masked."
                        )
                        % {"table": table.name, "child": child.name},
                    )
                )
    return errors


def parse(data: Any, *, stored: bool = False) -> DatasetSpec:
    """A dataset from its plain form (the YAML's), every problem named by its field.

    ``stored``: a dataset read back from the database, checked in full when it was saved;
    its categories are not looked up in fideslang's taxonomy again, so a worker answering a
    request never imports it (about 3 MiB and its import time, for nothing)."""
    try:
        spec = DatasetSpec.model_validate(data)
    except ValidationError as exc:
        raise DomainError(
            code=ConnectorErrorCode.INVALID_DATASET,
            message=_("The dataset is not valid."),
            errors=[
                _invalid(
                    ".".join(map(str, error["loc"])) or "dataset",
                    ConnectorErrorCode.INVALID_DATASET,
                    error["msg"],
                )
                for error in exc.errors(include_input=False, include_url=False)
            ],
        ) from None
    errors = _rules(spec, stored=stored)
    if errors:
        raise DomainError(
            code=errors[0].code, message=_("The dataset is not valid."), errors=errors
        )
    return spec


def from_yaml(text: str) -> DatasetSpec:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise DomainError(
            code=ConnectorErrorCode.INVALID_YAML,
            message=_("The text is not valid YAML%(line)s.") % {"line": line},
            field="yaml",
        ) from None
    return parse(data)


def to_plain(spec: DatasetSpec) -> dict[str, Any]:
    plain: dict[str, Any] = spec.model_dump(mode="json", exclude_defaults=True)
    return plain


def to_yaml(spec: DatasetSpec) -> str:
    return yaml.safe_dump(to_plain(spec), sort_keys=False, allow_unicode=True)


def is_identifier(name: str) -> bool:
    return re.match(IDENTIFIER, name) is not None
