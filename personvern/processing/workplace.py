"""The staff home page's items from the record of processing: data-processing agreements
about to end, and a Data Privacy Framework list too old to rely on."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from personvern.core.workplace import Urgency, WorkplaceItem

from .choices import TransferMechanism
from .models import Processor
from .transfers import agreements_ending, dpf_list_outdated


def agreement_items(user: Any) -> list[WorkplaceItem]:
    """For staff who manage agreements: those ending within the alert window, and the DPF
    list when a processor relies on it and it is older than 30 days."""
    if not user.has_perm("processing.change_dataprocessingagreement"):
        return []
    items: list[WorkplaceItem] = []
    ending = agreements_ending().count()
    if ending:
        items.append(
            WorkplaceItem(
                key="processing.agreements_ending",
                section=_("Processors"),
                label=_("Data-processing agreements ending within 60 days"),
                count=ending,
                url=reverse("admin:processing_dataprocessingagreement_changelist"),
                urgency=Urgency.DUE_SOON,
            )
        )
    relying = Processor.objects.filter(transfer_mechanism=TransferMechanism.EU_US_DPF).count()
    if relying and dpf_list_outdated():
        items.append(
            WorkplaceItem(
                key="processing.dpf_list_outdated",
                section=_("Processors"),
                label=_("Processors on the Data Privacy Framework: the list is over 30 days old"),
                count=relying,
                url=reverse("admin:processing_dpfimport_changelist"),
                urgency=Urgency.DUE_SOON,
            )
        )
    return items
