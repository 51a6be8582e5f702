"""Export of the audit log for the privacy officer (CSV). The export is itself audited. Each
entry's event is named in the reader's language (``event``) and by its stable type
(``event_type``, docs/audit.md) for whoever reads the file by machine; both come last, so
the columns before them keep their places."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.db.models import QuerySet

from personvern.core.actors import Actor

from .choices import AuditEventType
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
    "event_type",
    "event",
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
                entry.event_type,
                entry.get_event_type_display(),
            ]
        )
        count += 1
    record(
        actor=actor,
        event=AuditEventType.AUDIT_LOG_EXPORTED,
        object_type="audit.auditentry",
        detail={"entries": count},
    )
    return buffer.getvalue().encode("utf-8")
