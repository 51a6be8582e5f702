"""The demo's requests: every state, deadlines that need someone, a year for the charts."""

from __future__ import annotations

from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.rights import selectors
from personvern.rights.choices import RequestStatus
from personvern.rights.models import DataSubjectRequest
from personvern.workplace import selectors as charts
from tests.demo.conftest import run_demo


def test_the_demo_holds_requests_in_every_state(demo_output):
    statuses = set(DataSubjectRequest.objects.values_list("status", flat=True))
    assert statuses >= {RequestStatus.AWAITING_VERIFICATION, RequestStatus.IN_PROGRESS,
                        RequestStatus.DONE, RequestStatus.REFUSED, RequestStatus.LAPSED}
    assert selectors.overdue().count() == 1
    assert selectors.due_soon(7).count() == 1
    assert DataSubjectRequest.objects.filter(extended_until__isnull=False).count() == 1


def test_the_demo_requests_fill_a_year_of_charts(demo_output):
    window = charts.months(timezone.localdate())
    by_type = charts.requests_by_type(window)
    months_with_requests = {i for counts in by_type.values()
                            for i, n in enumerate(counts) if n}
    assert len(months_with_requests) >= 10
    times = charts.answer_times(window)
    assert min(w for w in times.worst if w is not None) < 0  # one answer was late


def test_loading_the_demo_again_adds_no_request(demo_output):
    requests, entries = DataSubjectRequest.objects.count(), AuditEntry.objects.count()
    run_demo()
    assert DataSubjectRequest.objects.count() == requests
    assert AuditEntry.objects.count() == entries
