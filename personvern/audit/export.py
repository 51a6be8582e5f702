"""Export of the audit log for the privacy officer (CSV). The export is itself audited."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.db.models import QuerySet

from personvern.core.actors import Actor

from .choices import AuditAction
from .models import AuditEntry
from .services import record

COLUMNS = [
    "id",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "subject_id",
    "fields",
    "ip_address",
    "detail",
]


@transaction.atomic
def export_audit_log(*, actor: Actor, entries: QuerySet[AuditEntry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    count = 0
    for entry in entries.order_by("at", "id").iterator(chunk_size=2000):
        writer.writerow(
            [
                entry.pk,
                entry.at.isoformat(),
                entry.actor_label,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.subject_id or "",
                " ".join(entry.fields),
                entry.ip_address or "",
                entry.detail or "",
            ]
        )
        count += 1
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="audit.auditentry",
        detail={"entries": count},
    )
    return buffer.getvalue().encode("utf-8")
