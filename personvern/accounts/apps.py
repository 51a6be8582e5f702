from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "personvern.accounts"
    label = "accounts"
    verbose_name = _("Staff access")

    def ready(self) -> None:
        from personvern.core.workplace import register_workplace_provider

        from . import checks  # noqa: F401 - registers the deployment check
        from .roles import sync_roles_after_migrate
        from .workplace import staff_items

        register_workplace_provider("accounts", staff_items)

        # Roles are configuration: kept in step with the code after every migrate, the same way
        # Django creates permissions.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
