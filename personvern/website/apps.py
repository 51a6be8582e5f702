from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "personvern.website"
    label = "website"
    verbose_name = _("Website: cookies, IP log and privacy notice")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system check
