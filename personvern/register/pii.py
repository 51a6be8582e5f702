"""The register's tables the scanner checks (``personvern.pii``), registered from
``RegisterConfig.ready``: interaction summaries, and job-application documents with their
titles. Redaction and deletion go through the register's own services."""

from __future__ import annotations

from typing import Any

from personvern.core.actors import Actor
from personvern.pii.registry import DOCUMENT, TEXT, ScanTarget, register_target

from . import services
from .models import Interaction, JobApplicationDocument


def _redact_interaction(*, actor: Actor, obj: Any, field: str, start: int, end: int) -> None:
    if field != "summary":
        raise ValueError(f"interactions have no scanned field {field}")
    services.redact_interaction(actor=actor, interaction=obj, start=start, end=end)


def _delete_interaction(*, actor: Actor, obj: Any) -> None:
    services.delete_interaction(actor=actor, interaction=obj)


def _delete_document(*, actor: Actor, obj: Any) -> None:
    services.delete_application_document(actor=actor, document=obj)


def register_scan_targets() -> None:
    register_target(
        ScanTarget(
            label=services.records.INTERACTIONS,
            model=Interaction,
            fields={"summary": TEXT},
            subject_of=lambda obj: obj.person_id,
            delete=_delete_interaction,
            redact=_redact_interaction,
        )
    )
    register_target(
        ScanTarget(
            label=services.records.DOCUMENTS,
            model=JobApplicationDocument,
            fields={"title": TEXT, "file": DOCUMENT},
            subject_of=lambda obj: obj.application.person_id,
            delete=_delete_document,
            queryset=lambda: JobApplicationDocument.objects.select_related("application"),
        )
    )
