from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessingConfig(AppConfig):
    name = "personvern.processing"
    label = "processing"
    verbose_name = _("Record of processing activities")

    def ready(self) -> None:
        from .activation import register_activation_check
        from .services.activities import assessment_blockers

        register_activation_check("balancing_assessment", assessment_blockers)
