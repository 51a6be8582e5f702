from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "personvern.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.apps import apps

        from . import checks  # noqa: F401 - registers the deployment checks

        if apps.is_installed("modeltranslation"):
            from .translated import keep_lookups_on_base_fields

            keep_lookups_on_base_fields()
