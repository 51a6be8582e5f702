"""The EU-US Data Privacy Framework list, imported from the official CSV, and the alerts to
the privacy officer before a data-processing agreement ends. Both audited."""

from __future__ import annotations

import csv
import datetime
import io
import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError

from ..choices import DpfStatus, ProcessingErrorCode
from ..models import DataProcessingAgreement, DpfImport, DpfParticipant
from ..transfers import agreements_ending, name_key

logger = logging.getLogger(__name__)

ALERT_ACTOR = Actor.for_system("agreement-expiry-alerts")
# Column headings of the list's CSV export, compared without case or spacing: the first
# found names the organisation; a status column is optional (every row active without one).
NAME_COLUMNS = ("organization name", "organisation name", "organization", "name")
STATUS_COLUMNS = ("status", "participation status", "dpf status", "eu-u.s. dpf status")
INACTIVE = ("inactive", "removed", "withdrawn")


def _column(headings: list[str], wanted: tuple[str, ...]) -> int | None:
    normalised = [" ".join(h.casefold().split()) for h in headings]
    for name in wanted:
        if name in normalised:
            return normalised.index(name)
    return None


def _invalid(message: str | Promise) -> DomainError:
    return DomainError(code=ProcessingErrorCode.INVALID_DPF_FILE, message=message, field="file")


def parse_dpf_csv(content: bytes) -> dict[str, tuple[str, str]]:
    """The participants of the CSV by name key: (name as listed, status)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid(_("The DPF list must be a UTF-8 CSV file.")) from None
    rows = csv.reader(io.StringIO(text))
    headings = next(rows, [])
    name_at = _column(headings, NAME_COLUMNS)
    if name_at is None:
        raise _invalid(_("The DPF list has no “Organization Name” column."))
    status_at = _column(headings, STATUS_COLUMNS)
    participants: dict[str, tuple[str, str]] = {}
    for row in rows:
        if len(row) <= name_at or not row[name_at].strip():
            continue
        name = row[name_at].strip()[:300]
        status = DpfStatus.ACTIVE
        if (
            status_at is not None
            and len(row) > status_at
            and row[status_at].strip().casefold() in INACTIVE
        ):
            status = DpfStatus.INACTIVE
        key = name_key(name)
        # an organisation listed twice is active if any row says so
        if key not in participants or status == DpfStatus.ACTIVE:
            participants[key] = (name, status)
    if not participants:
        raise _invalid(_("The DPF list holds no organisations."))
    return participants


@transaction.atomic
def import_dpf_list(*, actor: Actor, content: bytes, filename: str) -> DpfImport:
    """Replace the DPF list with the one in ``content`` (the official CSV). An organisation
    no longer listed, or listed as inactive, no longer carries a transfer on the DPF."""
    participants = parse_dpf_csv(content)
    imported = DpfImport.objects.create(
        filename=filename[-200:], participants=len(participants), actor_label=actor.label[:150]
    )
    DpfParticipant.objects.all().delete()
    DpfParticipant.objects.bulk_create(
        [
            DpfParticipant(name=name, name_key=key, status=status, imported=imported)
            for key, (name, status) in participants.items()
        ],
        batch_size=2000,
    )
    active = sum(1 for _name, status in participants.values() if status == DpfStatus.ACTIVE)
    record(
        actor=actor,
        event=AuditEventType.DPF_LIST_IMPORTED,
        obj=imported,
        detail={"participants": len(participants), "active": active},
    )
    return imported


def privacy_officers() -> list[str]:
    """Active staff who manage data-processing agreements and have an address."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted(u.email for u in users if u.has_perm("processing.change_dataprocessingagreement"))


@transaction.atomic
def send_agreement_expiry_alerts(*, today: datetime.date | None = None) -> int:
    """One e-mail to the privacy officer(s) per agreement ending within
    ``transfers.AGREEMENT_ALERT_DAYS`` (processor and dates, no personal data), once per
    agreement: a rerun sends nothing. An agreement is marked only once its mail has gone."""
    today = today or timezone.localdate()
    due = list(
        agreements_ending(today=today)
        .filter(expiry_alerted_on__isnull=True)
        .select_for_update(of=("self",))
    )
    recipients = privacy_officers()
    if not due or not recipients:
        return 0
    sent = 0
    for agreement in due:
        if not _send_alert(agreement, recipients, today):
            continue
        agreement.expiry_alerted_on = today
        agreement.save(update_fields=["expiry_alerted_on"])
        record(
            actor=ALERT_ACTOR,
            event=AuditEventType.AGREEMENT_EXPIRY_ALERTED,
            obj=agreement,
            fields=["expiry_alerted_on"],
            detail={
                "expires_on": agreement.expires_on.isoformat() if agreement.expires_on else "",
                "recipients": len(recipients),
            },
        )
        sent += 1
    return sent


def _send_alert(agreement: DataProcessingAgreement, to: list[str], today: datetime.date) -> bool:
    language = "en" if settings.LANGUAGE_CODE.startswith("en") else "nb"
    context = {
        "agreement": agreement,
        "processor": agreement.processor.name,
        "days_left": (agreement.expires_on - today).days if agreement.expires_on else 0,
    }
    with translation.override(language):
        text = render_to_string("processing/mail/agreement_expiry.txt", context)
    subject, _blank, body = text.strip().partition("\n")
    message = EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=list(to))
    try:
        message.send()
    except (OSError, SMTPException) as exc:
        logger.warning("Agreement expiry alert not sent: %s", type(exc).__name__)
        return False
    return True
