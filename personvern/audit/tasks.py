"""Background jobs (django-tasks): safe to run twice."""

from __future__ import annotations

from django_tasks import task

from personvern.core.actors import Actor

from .services import verify_audit_log


@task()
def verify_audit_log_task() -> bool:
    """Nightly (registered in ``apps.py``): recompute the audit log's chain; the outcome is an
    entry in the log itself."""
    return verify_audit_log(actor=Actor.for_system("audit-verify")).ok
