"""What the register holds about a person besides the person record: interactions, job
applications and their documents. Nothing is added to or changed for a restricted person but
by the privacy officer (``people.require_unrestricted``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import FieldError, collect
from personvern.core.records import (
    apply_changes,
    choice_error,
    require,
)

from ..choices import (
    ApplicationStatus,
    InteractionChannel,
    RegisterErrorCode,
)
from ..models import Interaction, JobApplication, JobApplicationDocument, Person
from .people import require_unrestricted


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
    errors: list[FieldError] = []
    choice_error(
        {"channel": channel},
        "channel",
        InteractionChannel,
        RegisterErrorCode.INVALID_CHANNEL,
        errors,
    )
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now + datetime.timedelta(minutes=5):
        errors.append(
            FieldError(
                field="occurred_at",
                code=RegisterErrorCode.FUTURE_TIME,
                message=_("An interaction cannot be in the future."),
            )
        )
    collect(errors)
    interaction = Interaction.objects.create(
        person=person,
        channel=channel,
        summary=summary.strip(),
        occurred_at=occurred_at,
        recorded_by=actor.user,
    )
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
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    if channel is not None:
        choice_error(
            {"channel": channel},
            "channel",
            InteractionChannel,
            RegisterErrorCode.INVALID_CHANNEL,
            errors,
        )
        values["channel"] = channel
    if summary is not None:
        values["summary"] = summary.strip()
    collect(errors)
    changed = apply_changes(interaction, values)
    if changed:
        interaction.save(update_fields=changed)
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


def _check_application(status: str, decision_date: datetime.date | None) -> None:
    errors: list[FieldError] = []
    choice_error(
        {"status": status}, "status", ApplicationStatus, RegisterErrorCode.INVALID_STATUS, errors
    )
    if status in ApplicationStatus.decided() and decision_date is None:
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
    errors: list[FieldError] = []
    require({"position": position}, ["position"], errors)
    collect(errors)
    _check_application(status, decision_date)
    application = JobApplication.objects.create(
        person=person, position=position.strip(), status=status, decision_date=decision_date
    )
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
    _check_application(status, decision_date)
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
    errors: list[FieldError] = []
    require({"title": title, "file": file}, ["title", "file"], errors)
    collect(errors)
    document = JobApplicationDocument(application=application, title=title.strip())
    document.file.save(file.name, file, save=False)
    document.save()
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
