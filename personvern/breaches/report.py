"""The draft notification to Datatilsynet, in Norwegian, in the fields and order of the breach
notification form (``data/avviksmelding.json``, which names its source), filled from the
register; exported as HTML or PDF for the person who types it into the online form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.core.pdf import html_to_pdf
from personvern.organisation.selectors import get_controller
from personvern.register.choices import SubjectCategory

from . import clock
from .choices import BreachErrorCode, BreachRisk, NotificationPhase
from .models import Breach

FORM = Path(__file__).parent / "data" / "avviksmelding.json"
NB_PHASE = {
    NotificationPhase.INITIAL: "Foreløpig melding",
    NotificationPhase.FOLLOW_UP: "Oppfølging av tidligere melding",
    NotificationPhase.FINAL: "Endelig melding",
}
NB_RELATION = {
    "customer_contact": "Kontaktpersoner hos kunder",
    "partner_contact": "Kontaktpersoner hos samarbeidspartnere",
    "supplier_contact": "Kontaktpersoner hos leverandører",
    "lead": "Potensielle kunder",
    "job_applicant": "Jobbsøkere",
    "employee": "Ansatte",
    "website_visitor": "Besøkende på nettstedet",
}


@cache
def form() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(FORM.read_text(encoding="utf-8"))
    return document


def form_fields() -> list[tuple[str, str, str]]:
    """(section, key, label) in the form's order."""
    return [(s["title"], f["key"], f["label"]) for s in form()["sections"] for f in s["fields"]]


@dataclass(frozen=True)
class DraftField:
    section: str
    key: str
    label: str
    value: str


def _when(moment: Any) -> str:
    return clock.in_oslo(moment).strftime("%d.%m.%Y kl. %H:%M") if moment else "ukjent"


def _values(breach: Breach) -> dict[str, str]:
    org = get_controller()
    phase = (NotificationPhase.FOLLOW_UP if breach.notifications.exists()
             else NotificationPhase.INITIAL)  # fmt: skip
    letters = breach.letters.filter(sent_at__isnull=False).count()
    if breach.public_notice_at:
        informed = f"Ja, ved offentlig kunngjøring {_when(breach.public_notice_at)}: " \
                   f"{breach.public_notice_where}"
    elif letters:
        informed = f"Ja, {letters} personer har fått brev på e-post."
    elif breach.risk == BreachRisk.HIGH:
        informed = "Ikke ennå; de berørte skal informeres (art. 34)."
    else:
        informed = "Nei; risikoen er ikke vurdert som høy (art. 34 nr. 1)."
    categories = ", ".join(c.name for c in breach.data_categories.all())
    relation = ", ".join(
        NB_RELATION.get(c, str(dict(SubjectCategory.choices).get(c, c)))
        for c in breach.subject_categories
    )
    return {
        "virksomhet": org.legal_name if org else "",
        "organisasjonsnummer": org.organisation_number if org else "",
        "meldingstype": NB_PHASE[phase],
        "forsinkelse": breach.delay_reasons,
        "hovedarsak": breach.cause,
        "tidsrom": f"{_when(breach.began_at)} til {_when(breach.ended_at)}"
        if breach.ended_at else f"Fra {_when(breach.began_at)}, pågår",
        "oppdaget": f"{_when(breach.aware_at)} ({breach.get_discovered_how_display()})",
        "antall_berorte": (
            f"Omtrent {breach.approx_people} personer, {breach.approx_records or 'ukjent antall'}"
            " registreringer" if breach.approx_people is not None else "Ukjent"
        ),
        "hva_skjedde": breach.what_happened,
        "hvordan_oppsto": breach.cause,
        "type_opplysninger": categories,
        "relasjon": relation,
        "hvor_na": breach.data_whereabouts,
        "konsekvenser": breach.likely_consequences,
        "tiltak": "\n".join(
            part for part in (
                f"Gjennomført: {breach.measures_taken}" if breach.measures_taken else "",
                f"Planlagt: {breach.measures_proposed}" if breach.measures_proposed else "",
            ) if part
        ),
        "informert": informed,
        "kontakt": (
            f"{org.responsible_role}, {org.privacy_contact_email}" if org else ""
        ),
    }  # fmt: skip


def draft(breach: Breach) -> list[DraftField]:
    values = _values(breach)
    return [DraftField(section, key, label, values[key]) for section, key, label in form_fields()]


def render_html(breach: Breach) -> str:
    sections: dict[str, list[DraftField]] = {}
    for field in draft(breach):
        sections.setdefault(field.section, []).append(field)
    return render_to_string("breaches/report.html", {
        "breach": breach, "sections": sections, "source": form()["source"],
        "url": form()["url"], "deadline": _when(clock.deadline(breach.aware_at)),
    })  # fmt: skip


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


@transaction.atomic
def export_report(*, actor: Actor, breach: Breach, fmt: str) -> ExportFile:
    if fmt not in ("html", "pdf"):
        raise DomainError(code=BreachErrorCode.INVALID_EXPORT_FORMAT,
                          message=_("Choose html or pdf."), field="format")  # fmt: skip
    html = render_html(breach)
    record(actor=actor, event=AuditEventType.BREACH_REPORT_EXPORTED, obj=breach,
           detail={"format": fmt})  # fmt: skip
    name = f"avviksmelding-{breach.pk}.{fmt}"
    if fmt == "pdf":
        return ExportFile(html_to_pdf(html), "application/pdf", name)
    return ExportFile(html.encode("utf-8"), "text/html; charset=utf-8", name)
