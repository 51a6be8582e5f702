"""Whether a processor's transfer mechanism holds, and whether it has a data-processing
agreement in force: checked against data, not chosen from a menu (GDPR Chapter V, Art. 28(3)).

- Within the EEA: only for a processor in an EEA country.
- Adequacy (Art. 45): only for a country with an adequacy decision in force
  (``AdequacyDecision``, kept as data with the Commission's references).
- The EU-US Data Privacy Framework (Decision (EU) 2023/1795): only for a US processor found
  active on the DPF list as last imported (``DpfParticipant``).
- Standard contractual clauses (Art. 46(2)(c)): only with the module named and a transfer
  impact assessment document (CJEU C-311/18, Schrems II).
- The EU-US Privacy Shield: never (invalid since 16 July 2020).

``activation_blockers_for_processors`` is registered as an activation check: an activity
whose processor fails either test cannot be made active.
"""

from __future__ import annotations

import datetime
import re

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import FieldError

from .choices import EEA_COUNTRIES, DpfStatus, ProcessingErrorCode, TransferMechanism
from .models import (
    AdequacyDecision,
    DataProcessingAgreement,
    DpfImport,
    DpfParticipant,
    ProcessingActivity,
    Processor,
)

# The DPF list is re-certified yearly and changes daily; older than this, staff are warned.
DPF_LIST_MAX_AGE_DAYS = 30
# How long before an agreement ends the privacy officer is alerted and staff see it.
AGREEMENT_ALERT_DAYS = 60

_NOT_WORD = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """How an organisation's name is compared with the DPF list: case, punctuation and
    spacing ignored ("Google, LLC" is "google llc")."""
    return " ".join(_NOT_WORD.sub(" ", name.casefold()).split())


def on_dpf_list(processor: Processor) -> bool:
    """The processor (by its DPF name, else its name) is active on the imported list."""
    key = name_key(processor.dpf_name or processor.name)
    return DpfParticipant.objects.filter(name_key=key, status=DpfStatus.ACTIVE).exists()


def latest_dpf_import() -> DpfImport | None:
    return DpfImport.objects.order_by("-imported_at").first()


def dpf_list_outdated(*, now: datetime.datetime | None = None) -> bool:
    """No DPF list imported, or the last import is older than ``DPF_LIST_MAX_AGE_DAYS``."""
    latest = latest_dpf_import()
    now = now or timezone.now()
    return latest is None or now - latest.imported_at > datetime.timedelta(
        days=DPF_LIST_MAX_AGE_DAYS
    )


def transfer_errors(processor: Processor) -> list[FieldError]:
    """Why the processor's transfer mechanism does not hold (empty when it does)."""
    mechanism = processor.transfer_mechanism
    name = processor.name
    field = "transfer_mechanism"
    if mechanism == TransferMechanism.PRIVACY_SHIELD:
        message = _("%(name)s: the EU-US Privacy Shield is invalid since 16 July 2020.")
        return [FieldError(field, ProcessingErrorCode.TRANSFER_INVALID, message % {"name": name})]
    if mechanism == TransferMechanism.EEA and processor.country not in EEA_COUNTRIES:
        message = _("%(name)s is outside the EEA: it needs a transfer mechanism.")
        return [
            FieldError(
                field, ProcessingErrorCode.TRANSFER_MECHANISM_REQUIRED, message % {"name": name}
            )
        ]
    if (
        mechanism == TransferMechanism.ADEQUACY
        and not AdequacyDecision.objects.filter(country=processor.country, in_force=True).exists()
    ):
        message = _("%(name)s: %(country)s has no adequacy decision in force.")
        return [
            FieldError(
                field,
                ProcessingErrorCode.NO_ADEQUACY_DECISION,
                message % {"name": name, "country": processor.country},
            )
        ]
    if mechanism == TransferMechanism.EU_US_DPF and (
        processor.country != "US" or not on_dpf_list(processor)
    ):
        message = _(
            "%(name)s: the Data Privacy Framework covers only a US organisation active on the "
            "DPF list as last imported."
        )
        return [FieldError(field, ProcessingErrorCode.NOT_ON_DPF_LIST, message % {"name": name})]
    if mechanism == TransferMechanism.SCC and (
        not processor.scc_module or not processor.transfer_impact_assessment
    ):
        message = _(
            "%(name)s: standard contractual clauses need the module and a transfer impact "
            "assessment document."
        )
        return [FieldError(field, ProcessingErrorCode.SCC_INCOMPLETE, message % {"name": name})]
    return []


def agreements_in_force(*, today: datetime.date | None = None) -> QuerySet[DataProcessingAgreement]:
    """Agreements signed by ``today`` that have not ended."""
    today = today or timezone.localdate()
    return DataProcessingAgreement.objects.filter(signed_on__lte=today).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def in_force(agreement: DataProcessingAgreement, *, today: datetime.date | None = None) -> bool:
    """The agreement is signed and has not ended (for rows already loaded)."""
    today = today or timezone.localdate()
    return agreement.signed_on <= today and (
        agreement.expires_on is None or agreement.expires_on >= today
    )


def has_agreement_in_force(processor: Processor, *, today: datetime.date | None = None) -> bool:
    return agreements_in_force(today=today).filter(processor=processor).exists()


def agreements_ending(*, today: datetime.date | None = None) -> QuerySet[DataProcessingAgreement]:
    """Agreements in force that end within ``AGREEMENT_ALERT_DAYS``, soonest first."""
    today = today or timezone.localdate()
    return (
        agreements_in_force(today=today)
        .filter(expires_on__lte=today + datetime.timedelta(days=AGREEMENT_ALERT_DAYS))
        .select_related("processor")
        .order_by("expires_on", "pk")
    )


def processor_blockers(activity: ProcessingActivity) -> list[FieldError]:
    """The activation check: every processor of the activity has a valid transfer mechanism
    and a signed data-processing agreement in force."""
    errors: list[FieldError] = []
    for processor in activity.processors.all():
        errors.extend(transfer_errors(processor))
        if not has_agreement_in_force(processor):
            errors.append(
                FieldError(
                    "processors",
                    ProcessingErrorCode.AGREEMENT_MISSING,
                    _("%(name)s has no signed data-processing agreement in force.")
                    % {"name": processor.name},
                )
            )
    return errors
