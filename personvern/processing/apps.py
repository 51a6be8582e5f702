from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessingConfig(AppConfig):
    name = "personvern.processing"
    label = "processing"
    verbose_name = _("Record of processing activities")
