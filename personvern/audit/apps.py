import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "personvern.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from personvern.scheduling.registry import JobSpec, register

        # Every night, like the consent ledger: an edited or deleted entry is found within a day.
        register(
            JobSpec(
                name="audit-verify",
                task_path="personvern.audit.tasks.verify_audit_log_task",
                daily_at=datetime.time(4, 30),
            )
        )
