"""The privacy officer's review queue: each open finding is redacted (its span replaced in the
record, through the owner's service), its record deleted (through the owner's service), or
accepted with a legal basis and a reason. Each decision is audited here, and the change to the
record by the owner's service as the owner's own event."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect

from ..choices import Article9Basis, FindingStatus, PiiErrorCode
from ..engine import scan
from ..models import Finding, FindingSource
from ..registry import DOCUMENT, ScanTarget, target_for
from ..sources import is_external
from .screening import Screening, record_findings, text_of

REVIEW_PERMISSION = "pii.review_finding"


def _require_reviewer(actor: Actor) -> None:
    if not actor.has_perm(REVIEW_PERMISSION):
        raise DomainError(
            code=CoreErrorCode.PERMISSION_DENIED,
            message=_("Only the privacy officer reviews findings."),
            status=403,
        )


def _lock_open(finding: Finding) -> Finding:
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    if locked.status != FindingStatus.OPEN:
        raise DomainError(
            code=PiiErrorCode.NOT_OPEN,
            message=_("This finding was already reviewed."),
            status=409,
        )
    return locked


def _registered(finding: Finding) -> ScanTarget:
    """The register's table holding the finding. A finding in an external source cannot be
    changed through Personvern: it is fixed in the source system (the next scan of the table
    closes it) or accepted."""
    if is_external(finding.target):
        raise DomainError(
            code=PiiErrorCode.REDACTION_NOT_SUPPORTED,
            message=_(
                "This finding is in an external source, which Personvern only reads: correct "
                "it in the source system (the next scan closes the finding), or accept it."
            ),
            status=409,
        )
    return target_for(finding.target)


def _record_of(target: ScanTarget, finding: Finding) -> models.Model:
    obj: models.Model | None = target.records().filter(pk=finding.object_id).first()
    if obj is None:
        raise DomainError(
            code=PiiErrorCode.RECORD_GONE,
            message=_("The record holding this finding no longer exists."),
            status=409,
        )
    return obj


def _resolve(finding: Finding, actor: Actor, status: str, **values: Any) -> None:
    finding.status = status
    finding.resolved_at = timezone.now()
    finding.resolved_by = actor.user
    for name, value in values.items():
        setattr(finding, name, value)
    finding.save()


@transaction.atomic
def redact_finding(*, actor: Actor, finding: Finding) -> Finding:
    """Replace the finding's span in its record through the owner's service, then scan the
    field again (the spans after it have moved)."""
    _require_reviewer(actor)
    finding = _lock_open(finding)
    target = _registered(finding)
    if target.redact is None or target.fields.get(finding.field) == DOCUMENT:
        raise DomainError(
            code=PiiErrorCode.REDACTION_NOT_SUPPORTED,
            message=_("A span cannot be replaced in this field: delete the record or accept."),
            status=409,
        )
    obj = _record_of(target, finding)
    current = scan(text_of(finding.target, obj, finding.field))
    if not any((m.start, m.end, m.kind) == (finding.start, finding.end, finding.kind)
               for m in current):  # fmt: skip
        raise DomainError(
            code=PiiErrorCode.STALE_FINDING,
            message=_("The field changed since this finding; scan it again."),
            status=409,
        )
    target.redact(actor=actor, obj=obj, field=finding.field, start=finding.start, end=finding.end)
    _resolve(finding, actor, FindingStatus.REDACTED)
    record(
        actor=actor,
        event=AuditEventType.PII_REDACTED,
        object_type=finding.target,
        object_id=finding.object_id,
        subject_id=finding.subject_id,
        fields=[finding.field],
        detail={"finding": finding.pk, "kind": finding.kind},
    )
    obj.refresh_from_db()
    screening = Screening(
        target=finding.target,
        matches={finding.field: scan(text_of(finding.target, obj, finding.field))},
    )
    record_findings(actor=actor, obj=obj, screening=screening, source=FindingSource.SCAN)
    return finding


@transaction.atomic
def delete_record_of_finding(*, actor: Actor, finding: Finding) -> Finding:
    """Delete the record holding the finding through the owner's service; every finding in
    that record is then closed as deleted."""
    _require_reviewer(actor)
    finding = _lock_open(finding)
    target = _registered(finding)
    obj = _record_of(target, finding)
    target.delete(actor=actor, obj=obj)
    _resolve(finding, actor, FindingStatus.DELETED)
    Finding.objects.filter(
        target=finding.target, object_id=finding.object_id, status=FindingStatus.OPEN
    ).update(status=FindingStatus.DELETED, resolved_at=timezone.now(), resolved_by=actor.user)
    record(
        actor=actor,
        event=AuditEventType.PII_RECORD_DELETED,
        object_type=finding.target,
        object_id=finding.object_id,
        subject_id=finding.subject_id,
        detail={"finding": finding.pk, "kind": finding.kind},
    )
    return finding


@transaction.atomic
def accept_finding(*, actor: Actor, finding: Finding, basis: str, reason: str) -> Finding:
    """Keep what was found, under a legal basis (Art. 9(2), Art. 10, pol. § 12) and a reason."""
    _require_reviewer(actor)
    errors = []
    if basis not in Article9Basis.values:
        errors.append(
            FieldError(
                field="basis",
                code=PiiErrorCode.INVALID_BASIS,
                message=_("Choose one of the legal bases listed."),
            )
        )
    if not reason.strip():
        errors.append(
            FieldError(
                field="reason",
                code=PiiErrorCode.REASON_REQUIRED,
                message=_("Say why the data may be kept."),
            )
        )
    collect(errors)
    finding = _lock_open(finding)
    _resolve(finding, actor, FindingStatus.ACCEPTED, basis=basis, reason=reason.strip())
    record(
        actor=actor,
        event=AuditEventType.PII_ACCEPTED,
        object_type=finding.target,
        object_id=finding.object_id,
        subject_id=finding.subject_id,
        fields=["basis", "reason"],
        detail={"finding": finding.pk, "kind": finding.kind, "basis": basis},
    )
    return finding
