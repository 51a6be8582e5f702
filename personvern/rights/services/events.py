"""The timeline of a request: one row per step, and the same step in the audit log, written
in the caller's transaction. Details hold codes and counts, never personal data."""

from __future__ import annotations

from typing import Any

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor

from ..choices import EventKind
from ..models import DataSubjectRequest, RequestEvent


def log(
    *,
    request: DataSubjectRequest,
    kind: EventKind,
    actor: Actor,
    detail: dict[str, Any] | None = None,
    fields: tuple[str, ...] = (),
) -> RequestEvent:
    detail = detail or {}
    event = RequestEvent.objects.create(
        request=request, kind=kind, actor_label=actor.label, detail=detail
    )
    record(
        actor=actor,
        event=AUDIT_EVENTS[kind],
        obj=request,
        subject_id=request.subject_id,
        fields=fields,
        detail={
            "status": request.status,
            "type": request.request_type,
            **detail,
        },
    )
    return event


# Each step of the timeline under its name in the audit vocabulary.
AUDIT_EVENTS: dict[EventKind, AuditEventType] = {
    EventKind.SUBMITTED: AuditEventType.REQUEST_SUBMITTED,
    EventKind.VERIFIED: AuditEventType.REQUEST_VERIFIED,
    EventKind.PERSON_MATCHED: AuditEventType.PERSON_MATCHED,
    EventKind.NO_MATCH: AuditEventType.NO_MATCH,
    EventKind.SEVERAL_MATCHES: AuditEventType.SEVERAL_MATCHES,
    EventKind.STARTED: AuditEventType.FULFILMENT_STARTED,
    EventKind.SOURCE_DONE: AuditEventType.SOURCE_DONE,
    EventKind.PACKAGE_BUILT: AuditEventType.PACKAGE_BUILT,
    EventKind.DELIVERED: AuditEventType.DATA_DELIVERED,
    EventKind.DELIVERY_ATTEMPT_FAILED: AuditEventType.DELIVERY_ATTEMPT_FAILED,
    EventKind.DELIVERY_FAILED: AuditEventType.DELIVERY_FAILED,
    EventKind.DOWNLOADED: AuditEventType.PACKAGE_DOWNLOADED,
    EventKind.RECTIFIED: AuditEventType.DATA_RECTIFIED,
    EventKind.RESTRICTED: AuditEventType.REQUEST_RESTRICTED,
    EventKind.LIFT_ANNOUNCED: AuditEventType.LIFT_ANNOUNCED,
    EventKind.RESTRICTION_LIFTED: AuditEventType.REQUEST_RESTRICTION_LIFTED,
    EventKind.OBJECTION_RECORDED: AuditEventType.OBJECTION_RECORDED,
    EventKind.OBJECTION_DECIDED: AuditEventType.OBJECTION_DECIDED,
    EventKind.CONSENTS_WITHDRAWN: AuditEventType.CONSENTS_WITHDRAWN,
    EventKind.EXTENDED: AuditEventType.DEADLINE_EXTENDED,
    EventKind.REFUSED: AuditEventType.REQUEST_REFUSED,
    EventKind.DONE: AuditEventType.REQUEST_DONE,
    EventKind.LETTER: AuditEventType.LETTER_SENT,
    EventKind.LETTER_FAILED: AuditEventType.LETTER_FAILED,
    EventKind.REMINDED: AuditEventType.STAFF_REMINDED,
    EventKind.VERIFICATION_RESENT: AuditEventType.VERIFICATION_RESENT,
    EventKind.LAPSED: AuditEventType.REQUEST_LAPSED,
    EventKind.PACKAGE_DELETED: AuditEventType.PACKAGE_DELETED,
    EventKind.JOB_RETRIED: AuditEventType.JOB_RETRIED,
    EventKind.JOB_FAILED: AuditEventType.JOB_FAILED,
    EventKind.SOURCE_FAILED: AuditEventType.SOURCE_FAILED,
    EventKind.TASK_CREATED: AuditEventType.TASK_CREATED,
    EventKind.TASK_CLOSED: AuditEventType.TASK_CLOSED,
    EventKind.TASK_REMINDED: AuditEventType.TASK_REMINDED,
    EventKind.RECIPIENTS_NOTIFIED: AuditEventType.RECIPIENTS_NOTIFIED,
    EventKind.EXEMPTION_DECIDED: AuditEventType.ACCESS_EXEMPTION_DECIDED,
}
