"""The charts: drawn from the data, with the right figures in the SVG."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from personvern.consent.choices import ConsentMethod, TextKind
from personvern.consent.services import (
    Evidence,
    Subject,
    publish_text,
    record_consent,
    withdraw_consent,
)
from personvern.core.actors import Actor
from personvern.processing.choices import ActivityStatus, LegalBasis
from personvern.retention.models import SweepRun
from personvern.rights.choices import RequestStatus, RequestType
from personvern.workplace import selectors
from personvern.workplace.charts import Chart, Series, render
from personvern.workplace.home import charts
from tests.factories import PersonFactory, ProcessingActivityFactory

from .conftest import make_request

SYSTEM = Actor.for_system("test")


def values_in(svg: str, series: str) -> dict[str, str]:
    """label -> value of each bar or point of ``series`` in the SVG."""
    pattern = rf'data-series="{re.escape(series)}" data-label="([^"]+)" data-value="([^"]+)"'
    return dict(re.findall(pattern, svg))


def test_a_stacked_bar_chart_shows_each_segment_and_the_total():
    chart = Chart(key="t", title="Requests", labels=["jan", "feb"],
                  series=[Series("Access", [3, 0]), Series("Erasure", [2, 4])])
    svg = render(chart)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert values_in(svg, "Access") == {"jan": "3"}
    assert values_in(svg, "Erasure") == {"jan": "2", "feb": "4"}
    assert re.findall(r'class="total"[^>]*>(\d+)<', svg) == ["5", "4"]
    assert "<script" not in svg and "style=" not in svg


def test_text_in_a_chart_is_escaped():
    chart = Chart(key="t", title="<b>x</b>", labels=["<i>"], series=[Series("a&b", [1])])
    svg = render(chart)
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "a&amp;b" in svg


def test_a_line_chart_leaves_out_months_without_a_value_and_draws_the_reference():
    chart = Chart(key="t", title="Spare", labels=["jan", "feb", "mar"], kind="lines",
                  series=[Series("Median", [5, None, -2])], reference=0,
                  reference_label="Deadline")
    svg = render(chart)
    assert values_in(svg, "Median") == {"jan": "5", "mar": "-2"}
    assert 'class="reference"' in svg and "Deadline" in svg


@pytest.mark.django_db
def test_requests_are_counted_per_month_by_type_and_outcome():
    today = timezone.localdate()
    window = selectors.months(today)
    this_month = timezone.now()
    last_month = timezone.make_aware(datetime.datetime.combine(window[-2], datetime.time(12)))
    # given two access requests and an erasure this month, one lapsed request last month
    make_request(received=this_month, request_type=RequestType.ACCESS)
    make_request(received=this_month, request_type=RequestType.ACCESS, status=RequestStatus.DONE,
                 completed=this_month)
    make_request(received=this_month, request_type=RequestType.ERASURE,
                 status=RequestStatus.REFUSED, completed=this_month)
    make_request(received=last_month, request_type=RequestType.ACCESS,
                 status=RequestStatus.LAPSED)
    # when the charts are counted
    by_type = selectors.requests_by_type(window)
    by_outcome = selectors.requests_by_outcome(window)
    # then
    assert by_type["access"][-1] == 2 and by_type["access"][-2] == 1
    assert by_type["erasure"][-1] == 1 and by_type["erasure"][-2] == 0
    assert by_outcome["open"][-1] == 1 and by_outcome["done"][-1] == 1
    assert by_outcome["refused"][-1] == 1 and by_outcome["lapsed"][-2] == 1


@pytest.mark.django_db
def test_time_to_answer_is_the_median_and_worst_days_left_before_the_deadline():
    now = timezone.now()
    today = timezone.localdate()
    # given three answers this month: 10 and 4 days early, and one 3 days late
    for spare in (10, 4, -3):
        make_request(received=now, status=RequestStatus.DONE, due_in_days=spare, completed=now)
    # and one whose extension gave it 40 days (20 to spare)
    make_request(received=now, status=RequestStatus.DONE, due_in_days=0, completed=now,
                 extended_until=today + datetime.timedelta(days=20))
    times = selectors.answer_times(selectors.months(today))
    assert times.answered[-1] == 4
    assert times.median[-1] == 7.0  # median of -3, 4, 10, 20
    assert times.worst[-1] == -3.0
    assert times.median[-2] is None


@pytest.fixture
def purpose(db):
    return ProcessingActivityFactory(name="Nyhetsbrev", legal_basis=LegalBasis.CONSENT,
                                     status=ActivityStatus.ACTIVE)


def _consent(person, purpose, *, granted: bool, method: str = ConsentMethod.WEB_FORM):
    text = publish_text(actor=SYSTEM, kind=TextKind.CONSENT_TEXT, slug=f"c-{purpose.pk}",
                        language="nb", title="Samtykke", text="Ja takk.")
    record_consent(actor=SYSTEM, subject=Subject(person=person), purpose=purpose,
                   channel="email", granted=granted, method=method, text=text,
                   evidence=Evidence(ip_address="198.51.100.7"))


@pytest.mark.django_db
def test_consents_given_and_withdrawn_per_purpose_and_the_banners_rates(purpose):
    people = [PersonFactory() for _ in range(4)]
    # given four consents given by form, one of them withdrawn
    for person in people:
        _consent(person, purpose, granted=True)
    withdraw_consent(actor=SYSTEM, subject=Subject(person=people[0]), purpose=purpose,
                     channel="email", method=ConsentMethod.WEB_FORM,
                     evidence=Evidence(ip_address="198.51.100.7"))
    # and three banner decisions: one accepted, two refused
    for person, granted in zip(PersonFactory.create_batch(3), [True, False, False], strict=True):
        _consent(person, purpose, granted=granted, method=ConsentMethod.COOKIE_BANNER)
    window = selectors.months(timezone.localdate())
    counts = selectors.consents_by_purpose(window)["Nyhetsbrev"]
    assert counts["granted"][-1] == 5 and counts["withdrawn"][-1] == 1
    banner = selectors.banner_decisions(window)
    assert banner["granted"][-1] == 1 and banner["refused"][-1] == 2


@pytest.mark.django_db
def test_retention_removals_add_up_each_months_runs_and_leave_out_dry_runs():
    def run(deleted: int, anonymised: int, *, dry_run: bool = False) -> None:
        SweepRun.objects.create(actor_label="test", status="finished", report={
            "dry_run": dry_run, "rules": [
                {"action": "delete", "count": deleted},
                {"action": "anonymise", "count": anonymised},
                {"action": "flag", "count": 99},
            ]})
    run(3, 1)
    run(2, 0)
    run(50, 50, dry_run=True)
    removed = selectors.retention_removals(selectors.months(timezone.localdate()))
    assert removed["delete"][-1] == 5 and removed["anonymise"][-1] == 1


@pytest.mark.django_db
def test_the_home_page_charts_carry_the_figures_and_follow_the_role(
    privacy_officer, sales_user
):
    now = timezone.now()
    make_request(received=now, request_type=RequestType.ERASURE)
    make_request(received=now, request_type=RequestType.ERASURE)
    drawn = {chart.key: chart for chart in charts(privacy_officer)}
    assert {"requests-by-type", "requests-by-outcome", "answer-times", "banner-rates",
            "retention"} <= set(drawn)
    by_type = drawn["requests-by-type"]
    erasure = next(s.label for s in by_type.series if s.values[-1])
    assert values_in(by_type.svg, erasure) == {by_type.labels[-1]: "2"}
    # sales may read consents but not requests or retention
    assert {chart.key for chart in charts(sales_user)} == {"banner-rates"}
