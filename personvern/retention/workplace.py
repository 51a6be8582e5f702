"""Retention on the staff home page (``core.workplace``): what the last sweep did, whether the
daily sweep still runs, and the records waiting for a person's review."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.workplace import Urgency, WorkplaceItem

from .choices import RetentionAction, SweepStatus
from .models import ReviewFlag, SweepRun

SECTION = _("Retention and system health")
# The sweep runs daily; two days without one means the scheduler or worker is down.
STALE_AFTER = datetime.timedelta(days=2)


def retention_items(user: Any) -> list[WorkplaceItem]:
    items: list[WorkplaceItem] = []
    if user.has_perm("retention.view_sweeprun"):
        items.append(_last_sweep())
    if user.has_perm("retention.view_reviewflag"):
        waiting = ReviewFlag.objects.filter(reviewed_at__isnull=True).count()
        if waiting:
            items.append(
                WorkplaceItem(
                    key="retention.review",
                    section=SECTION,
                    label=_("Records a retention rule asks you to review"),
                    count=waiting,
                    url=f"{reverse('admin:retention_reviewflag_changelist')}?reviewed_at__isempty=1",
                    urgency=Urgency.DUE_SOON,
                )
            )
    return items


def _last_sweep() -> WorkplaceItem:
    url = reverse("admin:retention_sweeprun_changelist")
    run = SweepRun.objects.order_by("-started_at", "-pk").first()
    if run is None:
        return WorkplaceItem(
            key="retention.last_sweep",
            section=SECTION,
            label=_("No retention sweep has run yet"),
            count=0,
            url=url,
            urgency=Urgency.DUE_SOON,
        )
    removed = {RetentionAction.DELETE.value: 0, RetentionAction.ANONYMISE.value: 0}
    for rule in (run.report or {}).get("rules", []):
        if rule.get("action") in removed:
            removed[rule["action"]] += int(rule.get("count", 0))
    label = _(
        "Last retention sweep %(when)s (%(status)s): %(deleted)d deleted, %(anonymised)d anonymised"
    ) % {
        "when": formats.date_format(timezone.localtime(run.started_at), "SHORT_DATETIME_FORMAT"),
        "status": run.get_status_display(),
        "deleted": removed[RetentionAction.DELETE.value],
        "anonymised": removed[RetentionAction.ANONYMISE.value],
    }
    stale = timezone.now() - run.started_at > STALE_AFTER
    urgency = Urgency.OVERDUE if stale or run.status == SweepStatus.INTERRUPTED else Urgency.INFO
    return WorkplaceItem(
        key="retention.last_sweep",
        section=SECTION,
        label=label,
        count=sum(removed.values()),
        url=url,
        urgency=urgency,
    )
