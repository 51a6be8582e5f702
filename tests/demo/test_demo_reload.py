"""Reloading the demo on a fresh database (no shared, pre-loaded demo in this module)."""

from __future__ import annotations

from personvern.audit.models import AuditEntry
from personvern.register.models import Company, Interaction, Person
from tests.demo.conftest import run_demo


def test_a_partly_loaded_demo_is_completed(db):
    # given an earlier load that lost some people (deleted directly, bypassing the services)
    run_demo()
    people, companies = Person.objects.count(), Company.objects.count()
    removed = list(Person.objects.order_by("-pk")[:3].values_list("email", flat=True))
    Person.objects.filter(email__in=removed).delete()
    audit_before = AuditEntry.objects.count()

    # when the demo is loaded again
    output = run_demo()

    # then exactly those people are back with their interactions, nothing else is duplicated
    restored = Person.objects.filter(email__in=removed)
    assert restored.count() == 3
    assert Interaction.objects.filter(person__in=restored).exists()
    assert Person.objects.count() == people
    assert Company.objects.count() == companies
    assert AuditEntry.objects.filter(object_type="register.person").count() > 0
    assert AuditEntry.objects.count() > audit_before
    assert "(+3)" in output
