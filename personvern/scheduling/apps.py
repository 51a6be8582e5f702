import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "personvern.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduled jobs")

    def ready(self) -> None:
        from django_tasks_db.compat import task_enqueued

        from personvern.core.health import register_health_check

        from . import health
        from .registry import JobSpec, register
        from .wakeup import notify_enqueued

        # /healthz: is a worker running jobs, and a scheduler enqueueing the periodic ones?
        register_health_check("worker", health.worker)
        register_health_check("scheduler", health.scheduler)

        # On PostgreSQL a queued job wakes the workers at once (NOTIFY, delivered on commit).
        task_enqueued.connect(notify_enqueued, dispatch_uid="personvern.scheduling.wakeup")

        # Finished jobs' rows are pruned at night, after the other nightly jobs.
        register(
            JobSpec(
                name="scheduling-prune-results",
                task_path="personvern.scheduling.tasks.prune_finished_jobs_task",
                daily_at=datetime.time(4, 45),
            )
        )
