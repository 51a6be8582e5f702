"""The staff UI for retention: pages open for the privacy officer, saves go through services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from personvern.audit.models import AuditEntry
from personvern.retention.models import LegalHold
from tests.factories import PersonFactory
from tests.retention.factories import BookkeepingRecordFactory, RetentionRuleFactory

pytestmark = pytest.mark.django_db

MODELS = (
    "retentionrule",
    "legalhold",
    "bookkeepingrecord",
    "duediligencerecord",
    "reviewflag",
    "statisticcell",
    "sweeprun",
)


@pytest.mark.parametrize("model", MODELS)
def test_lists_open_for_the_privacy_officer_and_the_auditor(
    client, privacy_officer, auditor, model
):
    RetentionRuleFactory()
    BookkeepingRecordFactory()
    for user in (privacy_officer, auditor):
        client.force_login(user)
        assert client.get(reverse(f"admin:retention_{model}_changelist")).status_code == 200


def test_other_roles_see_the_rules_only(client, sales_user):
    client.force_login(sales_user)
    assert client.get(reverse("admin:retention_retentionrule_changelist")).status_code == 200
    assert client.get(reverse("admin:retention_legalhold_changelist")).status_code == 403


def test_a_hold_set_in_the_staff_ui_is_audited_and_lifted_by_action(client, privacy_officer):
    person = PersonFactory()
    client.force_login(privacy_officer)
    response = client.post(
        reverse("admin:retention_legalhold_add"),
        {
            "record_type": "person",
            "record_id": person.pk,
            "reason": "Tvist om faktura",
        },
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.person == person and hold.set_by == privacy_officer
    client.post(
        reverse("admin:retention_legalhold_changelist"),
        {
            "action": "lift",
            "_selected_action": [hold.pk],
        },
    )
    hold.refresh_from_db()
    assert hold.lifted_at is not None
    assert AuditEntry.objects.filter(object_type="retention.legalhold").count() == 2
