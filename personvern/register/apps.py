from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "personvern.register"
    label = "register"
    verbose_name = _("Register of people")

    def ready(self) -> None:
        from .pii import register_scan_targets

        register_scan_targets()
