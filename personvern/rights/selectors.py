"""Reads over requests: the staff lists and the deadlines."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import DateField, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.workplace import Urgency, WorkplaceItem
from personvern.scheduling.choices import JobTroubleReason
from personvern.scheduling.selectors import JobState, latest_jobs

from .choices import EventKind, ManualTaskStatus, RequestStatus, TokenPurpose
from .models import DataSubjectRequest, ManualTask, OutgoingLetter, RequestEvent, RequestToken

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def requests_with_relations() -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.select_related("person", "received_by").annotate(
        effective_deadline=Coalesce("extended_until", "due_on", output_field=DateField())
    )


def _deadline_before(day: datetime.date, *, inclusive: bool) -> Q:
    """The answer is due on or before ``day`` (the extension counts when there is one)."""
    lookup = "lte" if inclusive else "lt"
    return Q(extended_until__isnull=False, **{f"extended_until__{lookup}": day}) | Q(
        extended_until__isnull=True, **{f"due_on__{lookup}": day}
    )


def open_requests() -> QuerySet[DataSubjectRequest]:
    return requests_with_relations().filter(status__in=RequestStatus.open())


def due_within(days: int, *, today: datetime.date | None = None) -> QuerySet[DataSubjectRequest]:
    """Open requests due within ``days`` days, overdue ones included."""
    today = today or timezone.localdate()
    return open_requests().filter(
        _deadline_before(today + datetime.timedelta(days=days), inclusive=True)
    )


def overdue(*, today: datetime.date | None = None) -> QuerySet[DataSubjectRequest]:
    today = today or timezone.localdate()
    return open_requests().filter(_deadline_before(today, inclusive=False))


def due_soon(days: int, *, today: datetime.date | None = None) -> QuerySet[DataSubjectRequest]:
    """Open and not yet overdue, due within ``days`` days."""
    today = today or timezone.localdate()
    return due_within(days, today=today).exclude(_deadline_before(today, inclusive=False))


def timeline(request: DataSubjectRequest) -> QuerySet[RequestEvent]:
    return request.events.order_by("at", "pk")


def lapsing(*, cutoff: datetime.datetime, link_hours: int) -> QuerySet[DataSubjectRequest]:
    """Requests still awaiting verification whose last verification link expired before
    ``cutoff`` (without any link: received more than ``link_hours`` before it)."""
    return (
        DataSubjectRequest.objects.filter(status=RequestStatus.AWAITING_VERIFICATION)
        .annotate(
            last_link=Max("tokens__expires_at", filter=Q(tokens__purpose=TokenPurpose.VERIFY))
        )
        .filter(
            Q(last_link__lt=cutoff)
            | Q(
                last_link__isnull=True,
                received_at__lt=cutoff - datetime.timedelta(hours=link_hours),
            )
        )
        .order_by("pk")
    )


def expired_packages(*, now: datetime.datetime) -> QuerySet[DataSubjectRequest]:
    """Closed requests with a stored package none of whose download links can still be used."""
    usable = RequestToken.objects.filter(
        request=OuterRef("pk"),
        purpose=TokenPurpose.DOWNLOAD,
        used_at__isnull=True,
        expires_at__gt=now,
    )
    return (
        DataSubjectRequest.objects.exclude(package_name="")
        .exclude(status__in=RequestStatus.open())
        .filter(~Exists(usable))
        .order_by("pk")
    )


def dead_links(*, now: datetime.datetime) -> QuerySet[RequestToken]:
    """Links used or expired; a verification link of a request still awaiting verification
    stays until the request lapses (its expiry says when)."""
    return RequestToken.objects.filter(Q(used_at__isnull=False) | Q(expires_at__lte=now)).exclude(
        purpose=TokenPurpose.VERIFY, request__status=RequestStatus.AWAITING_VERIFICATION
    )


# The fulfilment job's task (``tasks.fulfil_request_task``); its first argument is the request.
FULFILMENT_TASK = "personvern.rights.tasks.fulfil_request_task"


def fulfilment_job_states(request_ids: Iterable[int]) -> dict[int, JobState]:
    """How each request's latest fulfilment job stands (requests without a job left out)."""
    return latest_jobs(task_path=FULFILMENT_TASK, first_args=request_ids)


def with_job_trouble() -> list[int]:
    """Open requests whose latest fulfilment job failed or is being run again."""
    ids = open_requests().values_list("pk", flat=True)
    return [pk for pk, state in fulfilment_job_states(ids).items() if state.trouble is not None]


def last_retry_reason(request_id: int) -> JobTroubleReason | None:
    """Why the request's job was last run again, from its timeline."""
    detail = (
        RequestEvent.objects.filter(request_id=request_id, kind=EventKind.JOB_RETRIED)
        .order_by("-at", "-pk")
        .values_list("detail", flat=True)
        .first()
    )
    reason = (detail or {}).get("reason")
    return JobTroubleReason(reason) if reason in JobTroubleReason.values else None


# The steps a person is shown on the status page (portal), with their own wording: the staff
# timeline's other entries (letters, jobs, sources) are internal.
PUBLIC_MILESTONES: dict[str, StrOrPromise] = {
    EventKind.SUBMITTED: _("We received the request"),
    EventKind.VERIFIED: _("You confirmed the request"),
    EventKind.STARTED: _("We started on the request"),
    EventKind.EXTENDED: _("The deadline was extended"),
    EventKind.DONE: _("The request was completed"),
    EventKind.REFUSED: _("The request was refused"),
    EventKind.LAPSED: _("The request was closed: it was not confirmed in time"),
}


@dataclass(frozen=True)
class Milestone:
    at: datetime.datetime
    label: StrOrPromise


def public_milestones(request: DataSubjectRequest) -> list[Milestone]:
    """The request's milestones a person may see about their own request, oldest first."""
    return [
        Milestone(at=event.at, label=PUBLIC_MILESTONES[event.kind])
        for event in timeline(request).filter(kind__in=PUBLIC_MILESTONES).only("at", "kind")
    ]


# Letters the outbox gave up on within this many days are shown on the staff home page.
FAILED_LETTER_DAYS = 30


def letters_in_trouble(*, now: datetime.datetime | None = None) -> QuerySet[OutgoingLetter]:
    """Letters the outbox gave up on lately, and letters it is still trying again."""
    now = now or timezone.now()
    return OutgoingLetter.objects.filter(
        Q(failed_at__gte=now - datetime.timedelta(days=FAILED_LETTER_DAYS))
        | Q(failed_at__isnull=True, sent_at__isnull=True, attempts__gt=0)
    )


def manual_task_items(user: Any) -> list[WorkplaceItem]:
    """The staff home page: the user's open manual tasks (most urgent: overdue, then due
    within two days)."""
    tasks = list(
        ManualTask.objects.filter(assignee_id=user.pk, status=ManualTaskStatus.OPEN).values_list(
            "due_on", flat=True
        )
    )
    if not tasks:
        return []
    today = timezone.localdate()
    if min(tasks) < today:
        urgency = Urgency.OVERDUE
    elif min(tasks) <= today + datetime.timedelta(days=2):
        urgency = Urgency.DUE_SOON
    else:
        urgency = Urgency.INFO
    return [
        WorkplaceItem(
            key="rights.manual_tasks",
            section=_("Requests"),
            label=_("Manual tasks for you to close"),
            count=len(tasks),
            url=reverse("admin:rights_manualtask_changelist") + "?status__exact=open",
            urgency=urgency,
        )
    ]
