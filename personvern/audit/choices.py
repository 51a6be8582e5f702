from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    ACTIVATE = "activate", _("Activated")
    LOGIN = "login", _("Signed in")
    VERIFY = "verify", _("Verified")
