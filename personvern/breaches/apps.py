import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreachesConfig(AppConfig):
    name = "personvern.breaches"
    label = "breaches"
    verbose_name = _("Personal-data breaches")

    def ready(self) -> None:
        from personvern.core.workplace import register_workplace_provider
        from personvern.scheduling.registry import JobSpec, register

        from .selectors import workplace_items

        register_workplace_provider("breaches", workplace_items)
        # The 72-hour reminders: every five minutes, so a point is never missed by much.
        register(JobSpec(name="breaches-reminders",
                         task_path="personvern.breaches.tasks.send_breach_reminders_task",
                         interval=datetime.timedelta(minutes=5)))  # fmt: skip
        # Letters to the people affected left in the outbox.
        register(JobSpec(name="breaches-letters",
                         task_path="personvern.breaches.tasks.send_breach_letters_task",
                         interval=datetime.timedelta(minutes=1)))  # fmt: skip
        # Possible incidents from the security log, for the security role.
        register(JobSpec(name="breaches-signals",
                         task_path="personvern.breaches.tasks.scan_signals_task",
                         interval=datetime.timedelta(minutes=15)))  # fmt: skip
