"""Writes of the connectors app: saving a dataset (checked against its database first, as a
new version, audited), putting it in or out of use, and the erasure journal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError

from . import sql
from .choices import ConnectorErrorCode, IdentityKind
from .http import HttpSourceSpec
from .identities import Identity
from .models import ErasureStep, HttpSource, RectificationStep, SqlDataset, SqlDatasetVersion
from .spec import DatasetSpec, from_yaml, to_plain

PERMISSION = "connectors.change_sqldataset"


def _require(actor: Actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise DomainError(
            code=CoreErrorCode.PERMISSION_DENIED,
            message=_("You do not have permission to do this."),
            status=403,
        )


def check_dataset(spec: DatasetSpec) -> None:
    """Connect and look up every table and column: raise a ``DomainError`` naming the field
    (no credentials, the connection failed, a table or column that does not exist)."""
    try:
        sql.test_connection(spec)
        errors = sql.check_schema(spec)
    except sql.SourceUnavailable as exc:
        raise DomainError(
            code=ConnectorErrorCode.CONNECTION_FAILED,
            message=_("Could not connect to the database (%(reason)s).") % {"reason": exc.reason},
            field="connection",
        ) from None
    if errors:
        raise DomainError(
            code=errors[0].code,
            message=_("The database does not have every table and column the dataset names."),
            errors=errors,
        )


@transaction.atomic
def save_dataset(*, actor: Actor, spec: DatasetSpec) -> SqlDataset:
    """Create the dataset or save it as the next version of the one with its key."""
    _require(actor, PERMISSION)
    check_dataset(spec)
    plain = to_plain(spec)
    dataset = SqlDataset.objects.select_for_update().filter(key=spec.key).first()
    if dataset is None:
        dataset = SqlDataset.objects.create(key=spec.key, name=spec.name, spec=plain, version=1)
    elif dataset.spec == plain and dataset.name == spec.name:
        return dataset  # nothing changed: no new version
    else:
        dataset.version += 1
        dataset.name = spec.name
        dataset.spec = plain
        dataset.updated_at = timezone.now()
        dataset.save(update_fields=["version", "name", "spec", "updated_at"])
    SqlDatasetVersion.objects.create(
        dataset=dataset, version=dataset.version, spec=plain, saved_by=actor.label
    )
    record(
        actor=actor,
        event=AuditEventType.DATASET_SAVED,
        obj=dataset,
        fields=("spec",),
        detail={"key": dataset.key, "version": dataset.version, "tables": len(spec.tables)},
    )
    return dataset


def import_yaml(*, actor: Actor, text: str) -> SqlDataset:
    return save_dataset(actor=actor, spec=from_yaml(text))


@transaction.atomic
def set_enabled(*, actor: Actor, dataset: SqlDataset, enabled: bool) -> SqlDataset:
    _require(actor, PERMISSION)
    dataset = SqlDataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.enabled != enabled:
        dataset.enabled = enabled
        dataset.save(update_fields=["enabled"])
        record(
            actor=actor,
            event=AuditEventType.DATASET_ENABLED,
            obj=dataset,
            fields=("enabled",),
            detail={"key": dataset.key, "enabled": enabled},
        )
    return dataset


@transaction.atomic
def record_erasure_step(*, job: str, dataset: str, outcome: sql.TableOutcome) -> ErasureStep:
    """Note what an erasure did to a table (before the source commits it). Run again after a
    crash, the larger count stays: the first run's rows may already be gone."""
    values = {
        "action": outcome.action,
        "count": outcome.count,
        "reason": outcome.reason,
        "keep_until": (
            datetime.date.fromisoformat(outcome.keep_until) if outcome.keep_until else None
        ),
        "restricted": outcome.restricted,
        "recorded_at": timezone.now(),
    }
    step, created = ErasureStep.objects.select_for_update().get_or_create(
        job=job, dataset=dataset, table=outcome.table, defaults=values
    )
    if not created:  # a rerun: written once more, keeping the larger count
        values["count"] = max(step.count, outcome.count)
        for name, value in values.items():
            setattr(step, name, value)
        step.save()
    return step


@transaction.atomic
def record_rectification_step(
    *, job: str, dataset: str, outcome: sql.RectifyOutcome
) -> RectificationStep:
    """Note what a rectification did to a table (before the source commits it). Run again
    after a crash, the larger count stays."""
    step, created = RectificationStep.objects.select_for_update().get_or_create(
        job=job, dataset=dataset, table=outcome.table, defaults={"count": outcome.count}
    )
    step.count = outcome.count if created else max(step.count, outcome.count)
    step.fields = list(outcome.fields)
    step.kept_reason = outcome.kept_reason
    step.recorded_at = timezone.now()
    step.save()
    return step


@dataclass(frozen=True)
class SourceHolding:
    key: str
    name: str
    counts: dict[str, int]  # table -> rows about the identity
    unavailable: str = ""  # a reason code when the source could not be asked


LOOKUP_PERMISSION = "connectors.view_sqldataset"


@transaction.atomic
def lookup_identity(*, actor: Actor, identity: Identity) -> list[SourceHolding]:
    """What every SQL source in use holds on the identity: row counts per table, counted by
    each database. Audited (which kinds of identity were given and how many rows were found,
    never the values). A source that cannot be reached is named with a code, not skipped."""
    _require(actor, LOOKUP_PERMISSION)
    if not identity:
        raise DomainError(
            code=ConnectorErrorCode.NO_IDENTITY,
            message=_(
                "Give at least one valid e-mail, phone, national identity or customer number."
            ),
            field="email",
        )
    holdings = []
    for dataset in SqlDataset.objects.filter(enabled=True).order_by("key"):
        spec = dataset.dataset
        try:
            holdings.append(
                SourceHolding(dataset.key, dataset.name, sql.count_rows(spec, identity))
            )
        except (sql.SourceUnavailable, DomainError) as exc:
            reason = exc.reason if isinstance(exc, sql.SourceUnavailable) else str(exc.code)
            holdings.append(SourceHolding(dataset.key, dataset.name, {}, reason))
    record(
        actor=actor,
        event=AuditEventType.IDENTITY_LOOKED_UP,
        object_type="connectors.sqldataset",
        detail={
            "kinds": [k.value for k in IdentityKind if identity.candidates(k)],
            "sources": len(holdings),
            "rows": sum(sum(h.counts.values()) for h in holdings),
            "unavailable": sum(1 for h in holdings if h.unavailable),
        },
    )
    return holdings


@transaction.atomic
def save_http_source(*, actor: Actor, spec: HttpSourceSpec) -> HttpSource:
    """Create the HTTP source or save it as the next version of the one with its key."""
    _require(actor, PERMISSION)
    plain = spec.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    source = HttpSource.objects.select_for_update().filter(key=spec.key).first()
    if source is None:
        source = HttpSource.objects.create(key=spec.key, name=spec.name, spec=plain)
    elif source.spec == plain and source.name == spec.name:
        return source
    else:
        source.version += 1
        source.name = spec.name
        source.spec = plain
        source.updated_at = timezone.now()
        source.save(update_fields=["version", "name", "spec", "updated_at"])
    record(
        actor=actor,
        event=AuditEventType.HTTP_SOURCE_SAVED,
        obj=source,
        fields=("spec",),
        detail={"key": source.key, "version": source.version, "tables": 0},
    )
    return source
