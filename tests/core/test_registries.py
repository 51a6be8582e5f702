"""The registries through which a higher app tells a lower one about its records
(docs/architecture.md): every app has registered what the lower ones need, and a registry
missing an entry fails loudly instead of silently doing less."""

from __future__ import annotations

import copy

import pytest

from personvern.core import submissions
from personvern.processing import export
from personvern.register import deletion, services
from personvern.register.admin import PERSON_SECTIONS
from personvern.register.models import Person
from personvern.retention.choices import TargetRecord
from personvern.retention.keepers import KEEPERS
from personvern.retention.services.targets import ORDER, TARGETS, register_target
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_every_retention_target_has_its_handler_and_people_go_last():
    # given the apps as installed, then every target a rule may name has its handler (the IP
    # log's from the website, answered requests' from rights; an external table's rows are
    # swept by the connectors), and people are removed last
    assert set(TARGETS) | {TargetRecord.EXTERNAL_TABLE} == set(TargetRecord.values) == set(ORDER)
    assert ORDER[-1] == TargetRecord.PEOPLE


def test_the_apps_above_have_registered_with_the_apps_below():
    # then rights keeps a person with an open request, consent shows on the person's page,
    # retention deletes people and fills the record's column, the website logs submissions
    assert "open-data-subject-request" in KEEPERS
    assert "consent" in PERSON_SECTIONS
    assert "retention_rules" in export.CONTRIBUTED
    assert "ip-log" in submissions.LISTENERS
    assert deletion.person_deleter() is not None


def test_a_target_retention_does_not_know_is_refused():
    # given a handler for a kind of record that is not one of retention's targets
    handler = copy.copy(TARGETS[TargetRecord.INTERACTIONS])
    handler.target = "unknown"
    # when it is registered, then it is refused by name, and the real one stays
    with pytest.raises(LookupError, match="unknown"):
        register_target(handler)
    assert "unknown" not in TARGETS


def test_deleting_a_person_with_no_deleter_registered_fails_and_keeps_them(
    officer_actor, monkeypatch
):
    # given no app has registered how to delete a person
    person = PersonFactory()
    monkeypatch.setattr(deletion, "_DELETERS", {})
    # when staff delete them, then it fails loudly and the person is still there
    with pytest.raises(LookupError, match="delete a person"):
        services.delete_person(actor=officer_actor, person=person)
    assert Person.objects.filter(pk=person.pk).exists()


def test_the_record_of_processing_without_its_retention_column_fails(officer_actor, monkeypatch):
    # given no app fills the record's "retention rules applied" column
    monkeypatch.setattr(export, "CONTRIBUTED", {})
    # when the record is exported, then it fails naming the column
    with pytest.raises(LookupError, match="retention_rules"):
        export.export_record(actor=officer_actor, fmt="json")


def test_a_column_the_record_does_not_have_is_refused():
    # when an app contributes a column the record does not have, then it is refused
    column = export.ContributedColumn(key="shoe_size", prefetch=list, value=str)
    with pytest.raises(LookupError, match="shoe_size"):
        export.contribute_column(column)
