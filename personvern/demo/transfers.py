"""The demo's Data Privacy Framework list: a short, clearly labelled excerpt with the one US
processor the demo uses, so that Google Analytics' transfer rests on a DPF listing as the
product requires. A real installation imports the official CSV (``personvern
import_dpf_list`` or the staff UI); the import date shows how old the list is."""

from __future__ import annotations

from collections import Counter

from personvern.core.actors import Actor
from personvern.processing.models import DpfImport
from personvern.processing.services.transfers import import_dpf_list

from .content.organisation import GOOGLE

DEMO_DPF_FILE = "demo-dpf-excerpt.csv"
DEMO_DPF_CSV = f'Organization Name,Status\n"{GOOGLE}",Active\n'.encode()


def load_dpf_list(*, actor: Actor, created: Counter[str]) -> None:
    """Once: a second load finds the import and writes nothing."""
    if DpfImport.objects.exists():
        return
    import_dpf_list(actor=actor, content=DEMO_DPF_CSV, filename=DEMO_DPF_FILE)
    created["DPF list imports"] += 1
