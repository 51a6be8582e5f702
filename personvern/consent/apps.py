from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "personvern.consent"
    label = "consent"
    verbose_name = _("Consent and marketing permissions")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system check
