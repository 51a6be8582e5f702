from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "personvern.demo"
    label = "demo"
    verbose_name = _("Demo organisation")

    def ready(self) -> None:
        from personvern.accounts.second_factor import register_demo_logins

        from .content import DEMO_USERS

        # make run's logins may skip the second factor (development only; see README).
        register_demo_logins(spec.username for spec in DEMO_USERS)
