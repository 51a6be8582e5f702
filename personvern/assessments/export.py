"""A DPIA as HTML or PDF (WeasyPrint), audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.core.pdf import html_to_pdf

from . import criteria as lists
from .choices import AssessmentsErrorCode
from .models import ImpactAssessment, Screening


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def render_html(dpia: ImpactAssessment) -> str:
    screening = Screening.objects.filter(activity=dpia.activity).first()
    return render_to_string("assessments/dpia.html", {
        "dpia": dpia,
        "screening": screening,
        "criteria": [lists.wp248().items[k] for k in (screening.criteria if screening else [])],
        "listed": [lists.datatilsynet_list().items[k]
                   for k in (screening.listed_kinds if screening else [])],
        "risks": dpia.risks,
    })  # fmt: skip


@transaction.atomic
def export_dpia(*, actor: Actor, dpia: ImpactAssessment, fmt: str) -> ExportFile:
    if fmt not in ("html", "pdf"):
        raise DomainError(code=AssessmentsErrorCode.INVALID_EXPORT_FORMAT,
                          message=_("Choose html or pdf."), field="format")  # fmt: skip
    html = render_html(dpia)
    record(actor=actor, event=AuditEventType.DPIA_EXPORTED, obj=dpia, detail={"format": fmt})
    name = f"dpia-{dpia.pk}.{fmt}"
    if fmt == "pdf":
        return ExportFile(html_to_pdf(html), "application/pdf", name)
    return ExportFile(html.encode("utf-8"), "text/html; charset=utf-8", name)
