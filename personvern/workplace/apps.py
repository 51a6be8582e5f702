from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class WorkplaceConfig(AppConfig):
    """The staff home page, its charts, and searches kept out of addresses."""

    default = True
    name = "personvern.workplace"
    label = "workplace"
    verbose_name = _("Workplace")


class PersonvernAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Personvern's site (``sites.PersonvernAdminSite``) as ``admin.site``:
    the home page by role instead of the list of apps, every search by POST and audited."""

    default = False
    default_site = "personvern.workplace.sites.PersonvernAdminSite"
