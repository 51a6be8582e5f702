from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PiiConfig(AppConfig):
    name = "personvern.pii"
    label = "pii"
    verbose_name = _("Identity numbers and special categories")

    def ready(self) -> None:
        from personvern.core.workplace import register_workplace_provider

        from .workplace import findings_to_review

        register_workplace_provider("pii", findings_to_review)
