"""Background jobs (django-tasks): take ids only, safe to run twice."""

from __future__ import annotations

from django_tasks import task

from personvern.core.actors import Actor

from .services import verify_ledger


@task()
def verify_ledger_task() -> bool:
    """Nightly (registered with the scheduler in ``apps.py``): verify the whole chain and
    record the outcome; a broken chain is in the record and the audit log for staff to see."""
    return verify_ledger(actor=Actor.for_system("ledger-verify")).ok
