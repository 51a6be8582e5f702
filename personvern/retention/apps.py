import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "personvern.retention"
    label = "retention"
    verbose_name = _("Retention")

    def ready(self) -> None:
        from personvern.scheduling.registry import JobSpec, register

        # At night, when nobody is working in the register.
        register(
            JobSpec(
                name="retention-sweep",
                task_path="personvern.retention.tasks.run_retention_sweep",
                daily_at=datetime.time(2, 30),
            )
        )
