from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    name = "personvern.connectors"
    label = "connectors"
    verbose_name = _("External data sources")

    def ready(self) -> None:
        from personvern.pii.sources import register_source_provider

        from .pii_targets import sql_tables

        register_source_provider("connectors.sql", sql_tables)
