from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    name = "personvern.connectors"
    label = "connectors"
    verbose_name = _("External data sources")

    def ready(self) -> None:
        from personvern.pii.sources import register_source_provider
        from personvern.scheduling.registry import warm_up_workers_with

        from .pii_targets import sql_tables
        from .warmup import open_connections

        register_source_provider("connectors.sql", sql_tables)
        # A worker's first request reads the external databases as fast as its next ones.
        warm_up_workers_with("connectors.sql", open_connections)
