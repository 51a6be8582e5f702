import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "personvern.assessments"
    label = "assessments"
    verbose_name = _("Impact assessments (DPIA)")

    def ready(self) -> None:
        from personvern.core.workplace import register_workplace_provider
        from personvern.processing.activation import register_activation_check
        from personvern.processing.export import contribute_column
        from personvern.scheduling.registry import JobSpec, register

        from .selectors import DPIA_COLUMN, activation_check, workplace_items

        # An activity screened as needing a DPIA may not be active without a signed-off one.
        register_activation_check("assessments.dpia", activation_check)
        # The Art. 30 record names each activity's DPIA.
        contribute_column(DPIA_COLUMN)
        register_workplace_provider("assessments", workplace_items)
        register(
            JobSpec(
                name="assessments-review-reminders",
                task_path="personvern.assessments.tasks.send_review_reminders_task",
                daily_at=datetime.time(6, 40),
            )
        )
