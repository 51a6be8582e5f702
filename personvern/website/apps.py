import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "personvern.website"
    label = "website"
    verbose_name = _("Website: cookies, IP log and privacy notice")

    def ready(self) -> None:
        from personvern.scheduling.registry import JobSpec, register

        from . import checks  # noqa: F401 - registers the system check

        # The IP log's short retention, enforced every night.
        register(
            JobSpec(
                name="ip-log-purge",
                task_path="personvern.website.tasks.purge_ip_log",
                daily_at=datetime.time(3, 15),
            )
        )
