"""The review queue: redact (the value gone from the database), delete the record, accept
with a legal basis; each audited."""

from __future__ import annotations

import pytest
from django.db import connection

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.pii import services as pii
from personvern.pii.choices import FindingStatus, PiiErrorCode
from personvern.pii.models import Finding
from personvern.register import services
from personvern.register.models import Interaction
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interaction(officer_actor, fnr):
    return services.record_interaction(
        actor=officer_actor,
        person=PersonFactory(),
        channel="phone_call",
        summary=f"Oppga fnr {fnr}. Hun er sykmeldt og medlem av Fagforbundet.",
    )


def stored_summary(pk: int) -> str:
    """Read straight from the table, past any model or cache."""
    table = Interaction._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT summary FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_redaction_removes_the_value_from_the_database(officer_actor, interaction, fnr):
    # given the finding of the identity number
    finding = Finding.objects.get(kind="no_fnr")
    # when the privacy officer redacts it
    pii.redact_finding(actor=officer_actor, finding=finding)
    # then the number is gone from the row, the rest of the text is kept
    summary = stored_summary(interaction.pk)
    assert fnr not in summary
    assert "[…]" in summary and "Fagforbundet" in summary
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REDACTED
    assert finding.resolved_by == officer_actor.user
    # the other findings were found again at their new places, still open
    still = Finding.objects.filter(status=FindingStatus.OPEN).order_by("start")
    assert [(f.kind, summary[f.start : f.end]) for f in still] == [
        ("health", "sykmeldt"),
        ("union", "Fagforbundet"),
    ]
    # audited by the scanner (which finding) and by the register (which field)
    entry = AuditEntry.objects.get(event_type="pii.redacted")
    assert entry.detail == {"finding": finding.pk, "kind": "no_fnr"}
    assert AuditEntry.objects.filter(
        event_type="register.interaction_changed", fields=["summary"]
    ).exists()
    assert not any(fnr in str(e.detail) for e in AuditEntry.objects.all())


def test_a_finding_whose_field_changed_is_not_redacted_blindly(officer_actor, interaction):
    finding = Finding.objects.get(kind="union")
    Interaction.objects.filter(pk=interaction.pk).update(summary="Endret tekst.")
    with pytest.raises(DomainError) as stale:
        pii.redact_finding(actor=officer_actor, finding=finding)
    assert stale.value.code == PiiErrorCode.STALE_FINDING


def test_delete_record_closes_all_its_findings(officer_actor, interaction):
    finding = Finding.objects.get(kind="health")
    pii.delete_record_of_finding(actor=officer_actor, finding=finding)
    assert not Interaction.objects.filter(pk=interaction.pk).exists()
    assert set(Finding.objects.values_list("status", flat=True)) == {FindingStatus.DELETED}
    assert AuditEntry.objects.filter(event_type="pii.record_deleted").count() == 1
    assert AuditEntry.objects.filter(event_type="register.interaction_deleted").count() == 1


def test_accept_needs_a_basis_and_a_reason(officer_actor, interaction):
    finding = Finding.objects.get(kind="union")
    with pytest.raises(DomainError) as refused:
        pii.accept_finding(actor=officer_actor, finding=finding, basis="nope", reason=" ")
    assert {e.field for e in refused.value.errors} == {"basis", "reason"}
    pii.accept_finding(
        actor=officer_actor, finding=finding, basis="9_2_b", reason="Trekk av kontingent."
    )
    finding.refresh_from_db()
    assert (finding.status, finding.basis) == (FindingStatus.ACCEPTED, "9_2_b")
    entry = AuditEntry.objects.get(event_type="pii.accepted")
    assert entry.detail["basis"] == "9_2_b"
    # an accepted span is not raised again when the field is written unchanged
    services.update_interaction(
        actor=officer_actor, interaction=interaction, summary=interaction.summary + " "
    )
    assert not Finding.objects.filter(kind="union", status=FindingStatus.OPEN).exists()


def test_a_reviewed_finding_cannot_be_reviewed_again(officer_actor, interaction):
    finding = Finding.objects.get(kind="health")
    pii.accept_finding(actor=officer_actor, finding=finding, basis="9_2_b", reason="Sykefravær.")
    with pytest.raises(DomainError) as again:
        pii.redact_finding(actor=officer_actor, finding=finding)
    assert again.value.code == PiiErrorCode.NOT_OPEN


def test_only_the_privacy_officer_reviews(customer_service, interaction):
    from personvern.core.actors import Actor

    finding = Finding.objects.first()
    with pytest.raises(DomainError) as refused:
        pii.redact_finding(actor=Actor(user=customer_service), finding=finding)
    assert refused.value.status == 403
