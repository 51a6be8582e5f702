"""Background jobs (django-tasks): safe to run twice, the services do only what is left."""

from __future__ import annotations

from django_tasks import task

from .services.transfers import send_agreement_expiry_alerts


@task()
def send_agreement_expiry_alerts_task() -> int:
    """Daily (registered with the scheduler in ``apps.py``)."""
    return send_agreement_expiry_alerts()
