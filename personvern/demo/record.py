"""The demo's record of processing grouped as Datatilsynet's template is read: one sheet per
group in the exported record (customers, marketing, the website, employees)."""

from __future__ import annotations

from collections import Counter

from personvern.core.actors import Actor
from personvern.processing.models import ProcessingActivity
from personvern.processing.services import update_activity

from . import content

GROUPS: dict[str, str] = {
    content.CUSTOMER_RELATIONSHIP: "Kunder",
    content.CUSTOMER_DUE_DILIGENCE: "Kunder",
    content.CUSTOMER_SERVICE: "Kunder",
    content.CONTRACT_FULFILMENT: "Kunder",
    content.BOOKKEEPING: "Regnskap",
    content.SALES_AND_MARKETING: "Salg og markedsføring",
    content.DIRECT_MARKETING: "Salg og markedsføring",
    content.WEB_STATISTICS: "Nettsted",
    content.SECURITY_LOG: "Nettsted",
    content.RECRUITMENT: "Ansatte og søkere",
    content.PERSONNEL: "Ansatte og søkere",
}


def load_record_groups(*, actor: Actor, created: Counter[str]) -> None:
    """Give each demo activity without a group its group; a second load changes nothing."""
    for activity in ProcessingActivity.objects.filter(name__in=GROUPS, record_group=""):
        update_activity(
            actor=actor, activity=activity, changes={"record_group": GROUPS[activity.name]}
        )
        created["record groups"] += 1
