from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from personvern.audit.choices import AuditAction, AuditEventType
from personvern.audit.models import AppendOnlyError, AuditEntry
from personvern.audit.services import record
from personvern.core.actors import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return record(
        actor=Actor.for_system("test"),
        event=AuditEventType.PERSON_VIEWED,
        object_type="register.person",
        object_id=1,
        subject_id=1,
        detail={"via": "test"},
    )


def test_model_refuses_update_and_delete(entry):
    entry.action = AuditAction.DELETE
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == AuditAction.VIEW


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_database_refuses_raw_update_and_delete(entry):
    for sql in ("UPDATE audit_auditentry SET action = 'delete'", "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get().action == AuditAction.VIEW


def test_actor_is_user_or_system_never_both():
    with pytest.raises(ValueError, match="either"):
        Actor()
