from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "personvern.website"
    label = "website"
    verbose_name = _("Website: cookies, IP log and privacy notice")

    def ready(self) -> None:
        from personvern.core.submissions import listen
        from personvern.register.linked import register_collector
        from personvern.retention.services.targets import register_target

        from . import checks  # noqa: F401 - registers the system check
        from .linked import IP_LOG_KIND, ip_log_of
        from .retention import IpLogTarget
        from .services import link_request_to_person

        # A form that received a person's data (the portal) names them on this request's
        # IP log entry; the log's entries are a retention target.
        listen("ip-log", link_request_to_person)
        register_target(IpLogTarget())
        # An access package holds the IP log entries linked to the person.
        register_collector(IP_LOG_KIND, ip_log_of)
