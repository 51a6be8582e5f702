"""Writes to the Art. 30(2) record: each one audited in its own transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.processing.models import DataCategory, Processor

from .choices import AgreementTemplate, ClientsErrorCode
from .models import ClientAgreement, ClientController

_TEXT = ("name", "organisation_number", "contact_email", "processing", "subject_categories",
         "transfers", "security_measures")  # fmt: skip


@transaction.atomic
def create_client(
    *,
    actor: Actor,
    values: dict[str, Any],
    data_categories: Iterable[DataCategory] = (),
    sub_processors: Iterable[Processor] = (),
) -> ClientController:
    client = ClientController(**{k: v for k, v in values.items() if k in _TEXT})
    client.full_clean()
    client.save()
    client.data_categories.set(list(data_categories))
    client.sub_processors.set(list(sub_processors))
    record(actor=actor, event=AuditEventType.CLIENT_ADDED, obj=client, fields=sorted(values))
    return client


@transaction.atomic
def update_client(
    *, actor: Actor, client: ClientController, changes: dict[str, Any]
) -> ClientController:
    changed = []
    for name, value in changes.items():
        if name in ("data_categories", "sub_processors"):
            getattr(client, name).set(list(value))
            changed.append(name)
        elif name in _TEXT and getattr(client, name) != value:
            setattr(client, name, value)
            changed.append(name)
    if changed:
        client.full_clean()
        client.save()
        record(actor=actor, event=AuditEventType.CLIENT_CHANGED, obj=client, fields=changed)
    return client


@transaction.atomic
def record_client_agreement(
    *,
    actor: Actor,
    client: ClientController,
    signed_on: datetime.date,
    template: str = AgreementTemplate.REGNSKAP_NORGE,
    review_due: datetime.date | None = None,
    note: str = "",
) -> ClientAgreement:
    if review_due is not None and review_due < signed_on:
        raise DomainError(
            code=ClientsErrorCode.AGREEMENT_DATES,
            message=_("The review date cannot be before the signing date."),
            field="review_due",
        )
    agreement = ClientAgreement.objects.create(
        client=client, template=AgreementTemplate(template), signed_on=signed_on,
        review_due=review_due, note=note,
    )  # fmt: skip
    record(actor=actor, event=AuditEventType.CLIENT_AGREEMENT_RECORDED, obj=agreement)
    return agreement
