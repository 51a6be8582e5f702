"""What requests ask of staff today, for the home page (``core.workplace``): the overdue and
those due soon, fulfilment jobs failing or retried, requests waiting for verification or a
decision, and letters the outbox could not send. Each count links to the filtered list."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from personvern.core.workplace import Urgency, WorkplaceItem

from . import config, selectors
from .choices import RequestStatus

SECTION = _("Data subject requests")


def _list(**params: str) -> str:
    return f"{reverse('admin:rights_datasubjectrequest_changelist')}?{urlencode(params)}"


def request_items(user: Any) -> list[WorkplaceItem]:
    if not user.has_perm("rights.view_datasubjectrequest"):
        return []
    days = config.due_soon_days()
    open_requests = selectors.open_requests()
    items = [
        WorkplaceItem(
            key="rights.overdue",
            section=SECTION,
            label=_("Overdue: the deadline has passed"),
            count=selectors.overdue().count(),
            url=_list(due="overdue"),
            urgency=Urgency.OVERDUE,
        ),
        WorkplaceItem(
            key="rights.due_soon",
            section=SECTION,
            label=_("Due within %(days)d days") % {"days": days},
            count=selectors.due_soon(days).count(),
            url=_list(due="due_soon"),
            urgency=Urgency.DUE_SOON,
        ),
        WorkplaceItem(
            key="rights.job_trouble",
            section=SECTION,
            label=_("Background job failing or run again"),
            count=len(selectors.with_job_trouble()),
            url=_list(job="trouble"),
            urgency=Urgency.OVERDUE,
        ),
        WorkplaceItem(
            key="rights.letters",
            section=SECTION,
            label=_("Letters the mail server refused (last %(days)d days) or still retrying")
            % {"days": selectors.FAILED_LETTER_DAYS},
            count=selectors.letters_in_trouble().values("request").distinct().count(),
            url=_list(letters="trouble"),
            urgency=Urgency.OVERDUE,
        ),
        WorkplaceItem(
            key="rights.awaiting_verification",
            section=SECTION,
            label=_("Awaiting the person's verification"),
            count=open_requests.filter(status=RequestStatus.AWAITING_VERIFICATION).count(),
            url=_list(status__exact=RequestStatus.AWAITING_VERIFICATION.value),
        ),
        WorkplaceItem(
            key="rights.in_progress",
            section=SECTION,
            label=_("Verified or in progress"),
            count=open_requests.filter(
                status__in=[RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS]
            ).count(),
            url=_list(status__in=f"{RequestStatus.VERIFIED},{RequestStatus.IN_PROGRESS}"),
        ),
    ]
    # Zero overdue is worth showing (reassurance, not an alarm); other zero lines are noise.
    return [
        item if item.count else replace(item, urgency=Urgency.INFO)
        for item in items
        if item.count or item.key in {"rights.overdue", "rights.due_soon"}
    ]
