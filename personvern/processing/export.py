"""The record of processing activities (GDPR Art. 30(1)) as CSV, XLSX and JSON.

One row per activity. CSV and XLSX follow the layout of Datatilsynet's template, with
Norwegian headings (``record_layout``); the JSON document gives the controller's details
(Art. 30(1)(a)) once and each activity by key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.organisation.selectors import get_controller
from personvern.register.choices import SubjectCategory

from . import record_layout
from .choices import EEA_COUNTRIES, ProcessingErrorCode, TransferMechanism
from .models import ProcessingActivity, Processor
from .selectors import activities_for_record, latest_assessment
from .transfers import in_force, transfer_errors

# (column key, heading) in the order of Art. 30(1).
COLUMNS: list[tuple[str, str]] = [
    ("controller", "Controller (Art. 30(1)(a))"),
    ("controller_organisation_number", "Organisation number"),
    ("controller_contact", "Controller contact"),
    ("responsible_role", "Responsible role"),
    ("activity", "Processing activity"),
    ("status", "Status"),
    ("purpose", "Purpose (Art. 30(1)(b))"),
    ("legal_basis", "Legal basis (Art. 6)"),
    ("legal_basis_detail", "Legal basis detail"),
    ("balancing_assessment", "Balancing assessment (legitimate interest)"),
    ("subject_categories", "Categories of data subjects (Art. 30(1)(c))"),
    ("data_categories", "Categories of personal data (Art. 30(1)(c))"),
    ("sources", "Sources of the data"),
    ("recipients", "Categories of recipients (Art. 30(1)(d))"),
    ("processors", "Processors"),
    ("third_country_transfers", "Third-country transfers and safeguards (Art. 30(1)(e))"),
    ("retention", "Time limits for erasure (Art. 30(1)(f))"),
    ("retention_rules", "Retention rules applied (legal source)"),
    ("security_measures", "Security measures (Art. 32(1)) (Art. 30(1)(g))"),
    ("record_group", "Group in the record"),
    ("joint_controllers", "Joint controllers (Art. 26)"),
    ("special_category_condition", "Condition for special categories (Art. 9(2))"),
    ("agreements", "Data-processing agreements (signed, ends)"),
    ("dpia", "Data protection impact assessment (Art. 35)"),
    ("updated", "Last updated"),
]

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
}


@dataclass(frozen=True)
class ContributedColumn:
    """A column of the record filled by the app that owns its data (retention: the rules
    applied to each activity). The app registers it from its ``AppConfig.ready``, so this app
    never imports the apps above it. ``prefetch`` loads what ``value`` reads for every
    activity in one query."""

    key: str
    prefetch: Callable[[], Prefetch[Any]]
    value: Callable[[ProcessingActivity], Any]


CONTRIBUTED: dict[str, ContributedColumn] = {}


def contribute_column(column: ContributedColumn) -> None:
    """Register (or replace) the app's column ``column.key``, one of ``COLUMNS``."""
    if column.key not in dict(COLUMNS):
        raise LookupError(f"The record has no column {column.key!r}")
    CONTRIBUTED[column.key] = column


def _agreements(processor: Processor) -> str:
    """The processor's agreements in force: signed, and ends (or runs until terminated)."""
    today = timezone.localdate()
    dates = [
        f"{a.signed_on.isoformat()}\u2013{a.expires_on.isoformat() if a.expires_on else ''}"
        for a in processor.agreements.all()
        if in_force(a, today=today)
    ]
    listed = ", ".join(dates) if dates else str(_("none in force"))
    return f"{processor.name}: {listed}"


def _contributed(key: str) -> ContributedColumn:
    """A column the record must have; fails loudly if no app fills it."""
    try:
        return CONTRIBUTED[key]
    except KeyError:
        raise LookupError(f"No app fills the record's column {key!r}") from None


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def _transfer(processor: Processor) -> str | None:
    """A processor outside the EEA, its country and safeguard; and any processor recorded
    with an invalid mechanism (the EU-US Privacy Shield), wherever it is: it is shown as
    invalid, never left out because the country happens to be in the EEA."""
    if processor.country in EEA_COUNTRIES and processor.transfer_is_valid:
        return None
    mechanism = TransferMechanism(processor.transfer_mechanism)
    entry = f"{processor.name}: {processor.country}, {mechanism.label}"
    # A mechanism that does not hold (no adequacy decision, not on the DPF list, SCCs without
    # module or assessment) is said to, never listed as if it were a safeguard.
    errors = transfer_errors(processor)
    return f"{entry} \u2013 {errors[0].message}" if errors else entry


def activity_row(activity: ProcessingActivity, controller: dict[str, str]) -> dict[str, Any]:
    processors = list(activity.processors.all())
    latest = latest_assessment(activity)
    subject_labels = dict(SubjectCategory.choices)
    return {
        **controller,
        "activity": activity.name,
        "status": activity.status,
        "purpose": activity.purpose,
        "legal_basis": str(activity.get_legal_basis_display()),
        "legal_basis_detail": activity.legal_basis_detail,
        "balancing_assessment": (
            f"{latest.assessed_on.isoformat()} ({latest.outcome})" if latest else ""
        ),
        "subject_categories": [str(subject_labels.get(c, c)) for c in activity.subject_categories],
        "data_categories": [c.key for c in activity.data_categories.all()],
        "sources": activity.sources,
        "recipients": activity.recipients,
        "processors": [
            f"{p.name} (sub-processor of {p.parent.name})" if p.parent else p.name
            for p in processors
        ],
        "third_country_transfers": [t for t in map(_transfer, processors) if t],
        "retention": activity.retention,
        "retention_rules": _contributed("retention_rules").value(activity),
        "security_measures": activity.security_measures,
        "record_group": activity.record_group,
        "joint_controllers": activity.joint_controllers,
        "special_category_condition": (
            str(activity.get_special_category_condition_display())
            if activity.special_category_condition
            else ""
        ),
        "agreements": [_agreements(p) for p in processors],
        "dpia": _contributed("dpia").value(activity),
        "updated": timezone.localtime(activity.updated_at).date().isoformat(),
    }


def record_rows() -> list[dict[str, Any]]:
    org = get_controller()
    controller = {
        "controller": org.legal_name if org else "",
        "controller_organisation_number": org.organisation_number if org else "",
        "controller_contact": org.privacy_contact_email if org else "",
        "responsible_role": org.responsible_role if org else "",
    }
    activities = activities_for_record().prefetch_related(
        _contributed("retention_rules").prefetch(), _contributed("dpia").prefetch()
    )
    return [activity_row(activity, controller) for activity in activities]


def render_json(rows: list[dict[str, Any]]) -> bytes:
    controller_keys = [key for key, _h in COLUMNS[:4]]
    document = {
        "generated_at": timezone.now().isoformat(),
        "controller": {key: rows[0][key] for key in controller_keys} if rows else {},
        "activities": [{k: v for k, v in row.items() if k not in controller_keys} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


# CSV and XLSX in the layout of Datatilsynet's template (``record_layout``); JSON by key.
RENDERERS = {
    "csv": record_layout.render_csv,
    "xlsx": record_layout.render_xlsx,
    "json": render_json,
}


@transaction.atomic
def export_record(*, actor: Actor, fmt: str) -> ExportFile:
    """Render the record in ``fmt`` and log the export."""
    if fmt not in RENDERERS:
        raise DomainError(
            code=ProcessingErrorCode.INVALID_EXPORT_FORMAT,
            message=_("Choose csv, xlsx or json."),
            field="format",
        )
    # The template's layout is Norwegian: its labels (legal basis, categories) in bokmål too.
    with translation.override("nb" if fmt in ("csv", "xlsx") else translation.get_language()):
        rows = record_rows()
    content = RENDERERS[fmt](rows)
    content_type, suffix = FORMATS[fmt]
    record(
        actor=actor,
        event=AuditEventType.RECORD_EXPORTED,
        object_type="processing.record",
        detail={"format": fmt, "activities": len(rows)},
    )
    return ExportFile(
        content=content,
        content_type=content_type,
        filename=f"record-of-processing-{timezone.localdate():%Y-%m-%d}.{suffix}",
    )
