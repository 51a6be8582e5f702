"""What the register holds about a person besides the person record: interactions, job
applications and their documents. Nothing is added to or changed for a restricted person but
by the privacy officer (``people.require_unrestricted``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import ErrorCode, FieldError, collect
from personvern.core.records import apply_changes, model_errors
from personvern.pii import services as pii

from ..choices import ApplicationStatus, RegisterErrorCode
from ..models import Interaction, JobApplication, JobApplicationDocument, Person
from .people import require_unrestricted

# The domain's codes for the model's own checks that fail other than as missing or too long.
INTERACTION_INVALID = {"channel": RegisterErrorCode.INVALID_CHANNEL}
APPLICATION_INVALID = {"status": RegisterErrorCode.INVALID_STATUS}
# The scanner's names for the tables and fields it checks on write (``register/pii.py``).
INTERACTIONS = "register.interaction"
DOCUMENTS = "register.jobapplicationdocument"
# What a redacted span becomes: no language, no length of what was there.
REDACTION_MARK = "[…]"
# The records a new one hangs off: the caller found them, and the model would look them up again.
_LINKS = ("person", "recorded_by", "application")


def _model_errors(
    instance: Interaction | JobApplication | JobApplicationDocument,
    invalid: Mapping[str, ErrorCode],
) -> list[FieldError]:
    return model_errors(
        instance, too_long=RegisterErrorCode.TOO_LONG, invalid=invalid, exclude=_LINKS
    )


def _touch_last_interaction(person: Person, occurred_at: datetime.datetime) -> None:
    """Keep ``last_interaction_at`` at the latest interaction, whatever order they arrive in."""
    if person.last_interaction_at is None or occurred_at > person.last_interaction_at:
        Person.objects.filter(pk=person.pk).update(last_interaction_at=occurred_at)
        person.last_interaction_at = occurred_at


@transaction.atomic
def record_interaction(
    *,
    actor: Actor,
    person: Person,
    channel: str,
    summary: str = "",
    occurred_at: datetime.datetime | None = None,
) -> Interaction:
    require_unrestricted(actor=actor, person=person)
    now = timezone.now()
    occurred_at = occurred_at or now
    interaction = Interaction(
        person=person,
        channel=channel,
        summary=summary.strip(),
        occurred_at=occurred_at,
        recorded_by=actor.user,
    )
    errors = _model_errors(interaction, INTERACTION_INVALID)
    if occurred_at > now + datetime.timedelta(minutes=5):
        errors.append(
            FieldError(
                field="occurred_at",
                code=RegisterErrorCode.FUTURE_TIME,
                message=_("An interaction cannot be in the future."),
            )
        )
    collect(errors)
    screening = pii.screen(target=INTERACTIONS, texts={"summary": interaction.summary})
    interaction.save()
    pii.record_findings(actor=actor, obj=interaction, screening=screening)
    _touch_last_interaction(person, occurred_at)
    record(
        actor=actor,
        event=AuditEventType.INTERACTION_RECORDED,
        obj=interaction,
        subject_id=person.pk,
        fields=["channel", "summary", "occurred_at"] if summary else ["channel", "occurred_at"],
    )
    return interaction


@transaction.atomic
def update_interaction(
    *,
    actor: Actor,
    interaction: Interaction,
    channel: str | None = None,
    summary: str | None = None,
) -> Interaction:
    require_unrestricted(actor=actor, person=interaction.person)
    values: dict[str, Any] = {}
    if channel is not None:
        values["channel"] = channel
    if summary is not None:
        values["summary"] = summary.strip()
    proposed = Interaction(
        channel=values.get("channel", interaction.channel),
        summary=values.get("summary", interaction.summary),
        occurred_at=interaction.occurred_at,
    )
    collect(_model_errors(proposed, INTERACTION_INVALID))
    scanned = {"summary": values["summary"]} if "summary" in values else {}
    screening = pii.screen(target=INTERACTIONS, texts=scanned)
    changed = apply_changes(interaction, values)
    if changed:
        interaction.save(update_fields=changed)
        pii.record_findings(actor=actor, obj=interaction, screening=screening)
        record(
            actor=actor,
            event=AuditEventType.INTERACTION_CHANGED,
            obj=interaction,
            subject_id=interaction.person_id,
            fields=changed,
        )
    return interaction


@transaction.atomic
def delete_interaction(*, actor: Actor, interaction: Interaction) -> None:
    require_unrestricted(actor=actor, person=interaction.person)
    interaction_id, person_id = interaction.pk, interaction.person_id
    interaction.delete()
    record(
        actor=actor,
        event=AuditEventType.INTERACTION_DELETED,
        object_type="register.interaction",
        object_id=interaction_id,
        subject_id=person_id,
    )


def _check_application(application: JobApplication) -> None:
    """The model's own rules (position, status), and a decision's date."""
    errors = _model_errors(application, APPLICATION_INVALID)
    if application.status in ApplicationStatus.decided() and application.decision_date is None:
        errors.append(
            FieldError(
                field="decision_date",
                code=RegisterErrorCode.DECISION_DATE_REQUIRED,
                message=_("A decided application needs its decision date."),
            )
        )
    collect(errors)


@transaction.atomic
def create_job_application(
    *,
    actor: Actor,
    person: Person,
    position: str,
    status: str = ApplicationStatus.RECEIVED,
    decision_date: datetime.date | None = None,
) -> JobApplication:
    require_unrestricted(actor=actor, person=person)
    application = JobApplication(
        person=person, position=position.strip(), status=status, decision_date=decision_date
    )
    _check_application(application)
    application.save()
    record(
        actor=actor,
        event=AuditEventType.APPLICATION_RECEIVED,
        obj=application,
        subject_id=person.pk,
        fields=["position", "status"],
    )
    return application


@transaction.atomic
def decide_job_application(
    *, actor: Actor, application: JobApplication, status: str, decision_date: datetime.date | None
) -> JobApplication:
    require_unrestricted(actor=actor, person=application.person)
    _check_application(
        JobApplication(
            position=application.position,
            status=status,
            decision_date=decision_date,
            received_at=application.received_at,
        )
    )
    changed = apply_changes(application, {"status": status, "decision_date": decision_date})
    if changed:
        application.save(update_fields=changed)
        record(
            actor=actor,
            event=AuditEventType.APPLICATION_CHANGED,
            obj=application,
            subject_id=application.person_id,
            fields=changed,
        )
    return application


@transaction.atomic
def add_application_document(
    *, actor: Actor, application: JobApplication, title: str, file: Any
) -> JobApplicationDocument:
    require_unrestricted(actor=actor, person=application.person)
    # Saving stores the file under a name of ids only (``application_document_path``).
    document = JobApplicationDocument(application=application, title=title.strip(), file=file)
    collect(_model_errors(document, {}))
    screening = pii.screen(
        target=DOCUMENTS, texts={"title": document.title}, documents={"file": file}
    )
    document.save()
    pii.record_findings(actor=actor, obj=document, screening=screening)
    record(
        actor=actor,
        event=AuditEventType.DOCUMENT_ADDED,
        obj=document,
        subject_id=application.person_id,
        fields=["title", "file"],
    )
    return document


def open_application_document(*, actor: Actor, document: JobApplicationDocument) -> Any:
    """Open an applicant's document for download; the view is audited like any other."""
    record(
        actor=actor,
        event=AuditEventType.DOCUMENT_OPENED,
        obj=document,
        subject_id=document.application.person_id,
        detail={"via": "download"},
    )
    return document.file.open("rb")


@transaction.atomic
def delete_application_document(*, actor: Actor, document: JobApplicationDocument) -> None:
    """Delete a document and its stored file (the privacy officer's review queue does)."""
    require_unrestricted(actor=actor, person=document.application.person)
    document_id, person_id = document.pk, document.application.person_id
    storage, name = document.file.storage, document.file.name
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    record(
        actor=actor,
        event=AuditEventType.DOCUMENT_DELETED,
        object_type="register.jobapplicationdocument",
        object_id=document_id,
        subject_id=person_id,
    )


@transaction.atomic
def redact_interaction(*, actor: Actor, interaction: Interaction, start: int, end: int) -> None:
    """Replace ``summary[start:end]`` with a mark (the review queue's redaction): the value is
    gone from the row; the audit entry names the field only."""
    summary = interaction.summary
    if not 0 <= start < end <= len(summary):
        raise ValueError("span outside the summary")
    interaction.summary = summary[:start] + REDACTION_MARK + summary[end:]
    interaction.save(update_fields=["summary"])
    record(
        actor=actor,
        event=AuditEventType.INTERACTION_CHANGED,
        obj=interaction,
        subject_id=interaction.person_id,
        fields=["summary"],
    )
