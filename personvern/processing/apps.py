import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessingConfig(AppConfig):
    name = "personvern.processing"
    label = "processing"
    verbose_name = _("Record of processing activities")

    def ready(self) -> None:
        from personvern.core.workplace import register_workplace_provider
        from personvern.scheduling.registry import JobSpec, register

        from .activation import register_activation_check
        from .services.activities import assessment_blockers, special_category_blockers
        from .transfers import processor_blockers
        from .workplace import agreement_items

        register_activation_check("balancing_assessment", assessment_blockers)
        # Special categories of data: the Art. 9(2) condition is recorded.
        register_activation_check("special_categories", special_category_blockers)
        # Each processor: a valid transfer mechanism and a signed agreement in force.
        register_activation_check("processors", processor_blockers)
        register_workplace_provider("processing.agreements", agreement_items)
        register(
            JobSpec(
                name="processing-agreement-expiry-alerts",
                task_path="personvern.processing.tasks.send_agreement_expiry_alerts_task",
                daily_at=datetime.time(6, 45),
            )
        )
