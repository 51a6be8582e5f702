"""Data-subject requests as retention sees them, registered with the retention app from
``apps.py`` (retention sits below rights and never imports it):

- answered requests are a retention target (``RequestTarget``): kept as the proof that they
  were answered, then deleted by a rule;
- an open request keeps its person's data as it is (``OPEN_REQUEST_KEEPER``): the sweep leaves
  them alone and staff cannot delete them until it is answered."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import DomainError
from personvern.core.files import delete_after_commit
from personvern.register.choices import RegisterErrorCode
from personvern.retention.choices import RetentionAction, StatisticMetric, TargetRecord, Trigger
from personvern.retention.keepers import Keeper
from personvern.retention.models import RetentionRule
from personvern.retention.periods import start_of_day_after
from personvern.retention.selectors import person_held
from personvern.retention.services.operations import fold, grouped
from personvern.retention.services.targets import Target

from .choices import RequestStatus
from .models import DataSubjectRequest


def delete_requests(ids: Sequence[int]) -> Counter[str]:
    """Data-subject requests, with their timeline and links, once the proof that they were
    answered is no longer needed; the figure per year and type stays. A package file still
    in storage goes after the batch commits."""
    requests = DataSubjectRequest.objects.filter(pk__in=ids)
    fold(StatisticMetric.REQUESTS_BY_TYPE, grouped(requests, "received_at", "request_type"))
    files = delete_after_commit(requests.values_list("package_name", flat=True))
    deleted = requests.delete()[1].get(DataSubjectRequest._meta.label, 0)
    return +Counter({"data_subject_requests": deleted, "files": files})


class RequestTarget(Target):
    """Data-subject requests once answered or closed: kept as the proof that they were
    answered (Art. 5(2)) for the rule's period, then deleted; open ones are never touched."""

    primary = "data_subject_requests"
    target = TargetRecord.DATA_SUBJECT_REQUESTS
    model = DataSubjectRequest
    triggers = frozenset({Trigger.REQUEST_CLOSED})
    actions = frozenset({RetentionAction.DELETE, RetentionAction.FLAG})
    category_field = "request_type"

    def scope(self, rule: RetentionRule) -> QuerySet[Any]:
        return DataSubjectRequest.objects.exclude(status__in=RequestStatus.open())

    def expired(self, rule: RetentionRule, day: datetime.date) -> Q:
        # A request closed without an answer (never verified) counts from when it came in.
        return Q(completed_at__lt=start_of_day_after(day)) | Q(
            completed_at__isnull=True, received_at__lt=start_of_day_after(day)
        )

    def trigger_expression(self, rule: RetentionRule) -> Coalesce:
        return Coalesce("completed_at", "received_at")

    def held(self) -> Q:
        return Q(person_held("person_id"))

    def delete(self, ids: Sequence[int]) -> Counter[str]:
        return delete_requests(ids)


def _has_open_request(person: OuterRef) -> Exists:
    return Exists(
        DataSubjectRequest.objects.filter(person_id=person, status__in=RequestStatus.open())
    )


def _open_request_refusal() -> DomainError:
    return DomainError(
        code=RegisterErrorCode.OPEN_REQUEST,
        message=_("This person has an open data-subject request: answer it first."),
        status=409,
    )


OPEN_REQUEST_KEEPER = Keeper(
    name="open-data-subject-request", keeps=_has_open_request, refusal=_open_request_refusal
)
