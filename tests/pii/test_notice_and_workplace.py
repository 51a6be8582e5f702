"""The notice's special-category statement follows the queue; the home page shows the queue."""

from __future__ import annotations

import pytest

from personvern.core.workplace import workplace_items
from personvern.pii import services as pii
from personvern.pii.models import Finding
from personvern.pii.selectors import special_category_statement_facts
from personvern.register import services
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_none_may_be_stated_only_with_nothing_declared_found_or_kept(officer_actor, fnr):
    assert special_category_statement_facts(declared=False).may_state_none
    assert not special_category_statement_facts(declared=True).may_state_none
    services.record_interaction(
        actor=officer_actor, person=PersonFactory(), channel="email",
        summary=f"Hun er sykmeldt. Fnr {fnr}",
    )  # fmt: skip
    facts = special_category_statement_facts(declared=False)
    assert (facts.open_special, facts.open_identity) == (1, 1)
    assert not facts.may_state_none and facts.holds_identity_numbers
    # redacted: the promise holds again (the identity number still waits)
    pii.redact_finding(actor=officer_actor, finding=Finding.objects.get(kind="health"))
    facts = special_category_statement_facts(declared=False)
    assert facts.may_state_none and facts.holds_identity_numbers


def test_the_notice_drops_the_promise_while_findings_wait(officer_actor, client, privacy_officer):
    from personvern.website.notice.builder import build_notice
    from tests.factories import OrganisationFactory

    OrganisationFactory()
    assert not build_notice(language="en").special_categories
    services.record_interaction(
        actor=officer_actor, person=PersonFactory(), channel="email", summary="Han er homofil."
    )
    assert build_notice(language="en").special_categories


def test_the_privacy_officer_sees_findings_to_review(officer_actor, privacy_officer, sales_user):
    services.record_interaction(
        actor=officer_actor, person=PersonFactory(), channel="email", summary="Hun er gravid."
    )
    [item] = [i for i in workplace_items(privacy_officer) if i.key == "pii.findings_open"]
    assert item.count == 1 and "status__exact=open" in item.url
    assert not [i for i in workplace_items(sales_user) if i.key == "pii.findings_open"]
