from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "personvern.clients"
    label = "clients"
    verbose_name = _("Processing for clients (Art. 30(2))")
