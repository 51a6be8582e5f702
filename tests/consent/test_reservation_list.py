"""Reservasjonsregisteret must be fresh: a phone campaign is refused while the list was last
imported before the current month, and a number that has left the register is removed at the
next import (issue 13)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.consent import keys, services
from personvern.consent.choices import ConsentErrorCode, ReservationSource
from personvern.consent.models import ReservationImport, TelemarketingReservation
from personvern.consent.permissions import bulk_check
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from tests.api.conftest import assert_problem, token_client

pytestmark = pytest.mark.django_db

SYSTEM = Actor.for_system("test")


def _phone_campaign(purpose):
    return bulk_check(addresses=["41234567"], channel="phone", purpose=purpose)


def test_a_phone_campaign_is_refused_until_this_months_list_is_imported(marketing):
    # given no import of the reservation list at all
    with pytest.raises(DomainError) as never:
        _phone_campaign(marketing)
    assert never.value.code == ConsentErrorCode.RESERVATIONS_OUTDATED
    assert never.value.status == 409

    # when the list was imported on the last day of the previous month
    services.import_reservations(actor=SYSTEM, numbers=["41234567"])
    first_of_month = timezone.localtime().replace(day=1, hour=12)
    ReservationImport.objects.update(imported_at=first_of_month - datetime.timedelta(days=1))
    with pytest.raises(DomainError) as stale:
        _phone_campaign(marketing)
    assert stale.value.code == ConsentErrorCode.RESERVATIONS_OUTDATED

    # then once this month's list is in, the campaign is checked (the number is reserved)
    services.import_reservations(actor=SYSTEM, numbers=["41234567"])
    [result] = _phone_campaign(marketing)
    assert not result.allowed

    # and e-mail campaigns never depended on it
    assert bulk_check(addresses=["a@example.com"], channel="email", purpose=marketing)


def test_the_api_answers_an_outdated_list_with_a_409_problem(sales_user, marketing):
    response = token_client(sales_user).post(
        "/api/consent/bulk-check",
        {"purpose_id": marketing.pk, "channel": "phone", "addresses": ["41234567"]},
    )
    assert_problem(response, 409, field="channel", code="reservations_outdated")


def test_a_number_that_left_the_register_is_removed_at_the_next_import():
    # given two numbers on the register and one reserved directly with us
    services.import_reservations(actor=SYSTEM, numbers=["41234567", "+47 912 34 567"])
    services.import_reservations(
        actor=SYSTEM, numbers=["99887766"], source=ReservationSource.DIRECT
    )

    # when the next list no longer holds the first number
    counts = services.import_reservations(actor=SYSTEM, numbers=["91234567"])

    # then it is removed; the other stays, and the direct reservation is untouched
    assert counts == {"added": 0, "already": 1, "invalid": 0, "removed": 1}
    registry = set(
        TelemarketingReservation.objects.filter(source="registry").values_list("digest", flat=True)
    )
    assert registry == {keys.try_phone_digest("91234567")}
    assert TelemarketingReservation.objects.filter(source="direct").count() == 1
    latest = ReservationImport.objects.order_by("-imported_at").first()
    assert (latest.numbers, latest.added, latest.removed) == (1, 0, 1)
    entry = (
        AuditEntry.objects.filter(event_type="consent.reservations_imported").order_by("pk").last()
    )
    assert entry.detail["removed"] == 1
