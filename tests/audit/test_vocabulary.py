"""The audit vocabulary: every entry is written with a named type whose detail fits its
schema, every type is documented in docs/audit.md, and every step of a request's timeline has
its name in the log."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from personvern.audit import legacy, vocabulary
from personvern.audit.choices import AuditAction, AuditDomain, AuditEventType
from personvern.audit.models import AuditEntry
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.rights.choices import EventKind
from personvern.rights.services.events import AUDIT_EVENTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "audit.md"
SYSTEM = Actor.for_system("test")


def test_every_type_has_a_domain_an_action_and_a_meaning():
    assert set(vocabulary.SPECS) == set(AuditEventType)
    for event in AuditEventType:
        assert event.domain in AuditDomain
        spec = vocabulary.SPECS[event]
        assert spec.meaning.endswith(".")
        assert spec.action is not None or event == AuditEventType.UNCLASSIFIED


def test_docs_list_every_type_as_the_command_renders_it():
    call_command("audit", "types", stdout=(out := StringIO()))
    rendered = out.getvalue()
    assert rendered in DOC.read_text(encoding="utf-8")
    for event in AuditEventType:
        assert f"| `{event.value}` |" in rendered


@pytest.mark.django_db
def test_an_entry_carries_its_type_and_the_action_the_type_is_filed_under():
    entry = record(actor=SYSTEM, event=AuditEventType.HOLD_SET, object_type="retention.legalhold",
                   object_id=1, fields=["reason"])  # fmt: skip
    assert (entry.event_type, entry.action) == (AuditEventType.HOLD_SET, AuditAction.CREATE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event", "detail", "problem"),
    [
        (AuditEventType.PERSON_VIEWED, {}, "via"),  # a required key missing
        (AuditEventType.PERSON_VIEWED, {"via": "admin", "name": "Kari"}, "name"),  # not its own
        (AuditEventType.RECORD_EXPORTED, {"format": "json", "activities": "2"}, "activities"),
        (AuditEventType.PERSON_CREATED, {"note": "x"}, "note"),  # a type without detail
        (AuditEventType.DEADLINE_EXTENDED, {"status": "in_progress", "type": "access"}, "until"),
    ],
)
def test_a_detail_that_does_not_fit_its_type_is_refused_and_nothing_is_written(
    event, detail, problem
):
    with pytest.raises(vocabulary.AuditDetailError, match=problem):
        record(actor=SYSTEM, event=event, object_type="register.person", detail=detail)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_in_production_a_misfit_detail_is_logged_without_its_values_and_the_entry_written(
    settings, caplog
):
    # given production, where refusing the entry would undo the operation it records
    settings.PERSONVERN_AUDIT_STRICT = False
    # when a detail with a key its type does not have is written
    entry = record(actor=SYSTEM, event=AuditEventType.PERSON_VIEWED, object_type="register.person",
                   detail={"via": "admin", "name": "Kari Nordmann"})  # fmt: skip
    # then the entry is there, and the log names the key and the rule, not the value
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    logged = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("personvern"))
    assert "name" in logged and "extra_forbidden" in logged
    assert "Kari" not in logged


@pytest.mark.django_db
def test_the_type_of_older_entries_is_never_written_anew():
    with pytest.raises(vocabulary.AuditDetailError, match="older entries only"):
        record(actor=SYSTEM, event=AuditEventType.UNCLASSIFIED, object_type="x.y")
    assert not AuditEntry.objects.exists()


def test_every_step_of_a_request_has_its_name_in_the_log():
    assert set(AUDIT_EVENTS) == set(EventKind)
    assert all(event.domain == AuditDomain.RIGHTS for event in AUDIT_EVENTS.values())
    # older entries named each step in their detail; the frozen table names the steps that
    # existed then the same way (steps added since have no older entries to name)
    for step, event in legacy.REQUEST_STEPS.items():
        assert AUDIT_EVENTS[EventKind(step)] == event


def test_each_older_shape_is_named_with_a_type_filed_under_its_own_action():
    for (action, _object_type), event in legacy.BY_SHAPE.items():
        assert vocabulary.SPECS[event].action == action, event
