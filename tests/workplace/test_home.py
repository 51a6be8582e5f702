"""The staff home page: what each role must do today, every number a link to its list."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from personvern.accounts.choices import Role
from personvern.consent.models import LedgerVerification
from personvern.core.workplace import PROVIDERS, Urgency, WorkplaceItem
from personvern.retention.models import SweepRun
from personvern.rights.choices import RequestStatus
from personvern.rights.models import OutgoingLetter
from tests.conftest import user_with_role

from .conftest import make_request

pytestmark = pytest.mark.django_db
HOME = "/admin/"


def items_on(html: str) -> dict[str, tuple[int, str]]:
    """key -> (count, link) of each item row on the page."""
    rows = re.findall(
        r'data-key="([^"]+)">.*?<td class="workplace-count"><a href="([^"]+)" '
        r'data-count="(\d+)"', html, re.S)
    return {key: (int(count), url.replace("&amp;", "&")) for key, url, count in rows}


@pytest.fixture
def requests_in_every_state(db):
    today = timezone.localdate()
    overdue = make_request(due_in_days=-2)
    make_request(due_in_days=3)  # due soon
    make_request(due_in_days=20, status=RequestStatus.AWAITING_VERIFICATION)
    make_request(due_in_days=25, status=RequestStatus.DONE, completed=timezone.now())
    OutgoingLetter.objects.create(request=overdue, name="received", recipient="x@example.com",
                                  subject="s", failed_at=timezone.now(), attempts=5)
    SweepRun.objects.create(actor_label="retention-sweep", status="finished",
                            report={"rules": [{"action": "delete", "count": 7}]})
    return today


def test_the_privacy_officer_sees_what_is_overdue_first_and_each_count_opens_its_list(
    client, privacy_officer, requests_in_every_state
):
    client.force_login(privacy_officer)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    items = items_on(html)
    assert items["rights.overdue"][0] == 1
    assert items["rights.due_soon"][0] == 1
    assert items["rights.awaiting_verification"][0] == 1
    assert items["rights.letters"][0] == 1
    assert items["retention.last_sweep"][0] == 7
    assert items["consent.verification"][0] == 0
    assert "accounts.staff" in items
    # the most urgent first
    assert html.index('data-key="rights.overdue"') < html.index('data-key="rights.awaiting')
    # every number opens the list behind it, showing that many
    assert items["rights.in_progress"][0] == 2
    for key in ("rights.overdue", "rights.due_soon", "rights.letters",
                "rights.awaiting_verification", "rights.in_progress", "retention.last_sweep",
                "accounts.staff"):
        count, url = items[key]
        listed = client.get(url)
        assert listed.status_code == 200, url
        if key != "retention.last_sweep":  # its count is records removed, its list the runs
            assert listed.context["cl"].result_count == count, key


def test_customer_service_sees_requests_but_not_retention_or_staff(
    client, customer_service, requests_in_every_state
):
    client.force_login(customer_service)
    items = items_on(client.get(HOME).content.decode())
    assert "rights.overdue" in items
    assert not any(key.startswith(("retention.", "accounts.")) for key in items)


def test_sales_and_security_see_no_requests(client, sales_user, requests_in_every_state):
    client.force_login(sales_user)
    items = items_on(client.get(HOME).content.decode())
    assert not any(key.startswith("rights.") for key in items)
    security = user_with_role(Role.SECURITY)
    client.force_login(security)
    html = client.get(HOME).content.decode()
    assert items_on(html) == {} and "workplace-charts" not in html


def test_the_auditor_sees_the_ledger_verification_linked_to_the_audit_log(client, auditor):
    LedgerVerification.objects.create(ok=False, event_count=12, first_broken_sequence=4,
                                      problem="rewritten", duration=datetime.timedelta(1))
    client.force_login(auditor)
    items = items_on(client.get(HOME).content.decode())
    count, url = items["consent.verification"]
    assert count == 12 and "event_type=consent.ledger_verified" in url
    assert client.get(url).status_code == 200


def test_another_apps_provider_appears_under_its_own_heading(client, privacy_officer):
    def breaches(user):
        return [WorkplaceItem(key="breach.open", section="Breaches", label="Open breaches",
                              count=2, url="/admin/", urgency=Urgency.OVERDUE)]
    PROVIDERS["test-breach"] = breaches
    try:
        client.force_login(privacy_officer)
        html = client.get(HOME).content.decode()
    finally:
        del PROVIDERS["test-breach"]
    assert items_on(html)["breach.open"][0] == 2 and "<caption>Breaches</caption>" in html


def test_view_site_leads_to_a_page(client, privacy_officer):
    client.force_login(privacy_officer)
    response = client.get(HOME)
    site_url = response.context["site_url"]
    assert client.get(site_url).status_code == 200


def test_a_member_of_no_role_sees_nothing_to_do(client, db):
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    assert not Group.objects.filter(user=user).exists()
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200 and items_on(response.content.decode()) == {}


def test_the_home_page_costs_the_same_queries_with_more_data(client, privacy_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(privacy_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    make_request(due_in_days=-1)
    few = queries()
    for days in range(-5, 25):
        make_request(due_in_days=days)
        make_request(due_in_days=days, status=RequestStatus.DONE, completed=timezone.now())
    assert queries() == few


def test_the_ledger_is_system_health_for_the_officer_and_auditor_only(
    client, customer_service, sales_user, privacy_officer
):
    for user, sees in ((customer_service, False), (sales_user, False), (privacy_officer, True)):
        client.force_login(user)
        assert ("consent.verification" in items_on(client.get(HOME).content.decode())) is sees
