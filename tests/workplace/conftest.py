from __future__ import annotations

import datetime
import secrets

from django.utils import timezone

from personvern.rights.choices import RequestStatus, RequestType
from personvern.rights.models import DataSubjectRequest


def make_request(
    *,
    received: datetime.datetime | None = None,
    request_type: str = RequestType.ACCESS,
    status: str = RequestStatus.IN_PROGRESS,
    due_in_days: int = 30,
    completed: datetime.datetime | None = None,
    extended_until: datetime.date | None = None,
) -> DataSubjectRequest:
    """A request as it stands after its workflow ran (the workflow has its own tests)."""
    received = received or timezone.now()
    return DataSubjectRequest.objects.create(
        reference=secrets.token_hex(6),
        request_type=request_type,
        status=status,
        contact_email=f"{secrets.token_hex(4)}@example.com",
        received_at=received,
        due_on=timezone.localtime(received).date() + datetime.timedelta(days=due_in_days),
        extended_until=extended_until,
        completed_at=completed,
    )
