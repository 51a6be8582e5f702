import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "personvern.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduled jobs")

    def ready(self) -> None:
        from .registry import JobSpec, register

        # Finished jobs' rows are pruned at night, after the other nightly jobs.
        register(
            JobSpec(
                name="scheduling-prune-results",
                task_path="personvern.scheduling.tasks.prune_finished_jobs_task",
                daily_at=datetime.time(4, 45),
            )
        )
