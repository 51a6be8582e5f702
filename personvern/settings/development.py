"""Development settings used by ``make run``: SQLite in ./var, debug on, mail to the console."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = True
SECRET_KEY = os.environ.get(
    "PERSONVERN_SECRET_KEY", "development-only-key-never-use-in-production-0123456789abcdef"
)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VAR_DIR.mkdir(parents=True, exist_ok=True)
# make run's demo logins (personvern/demo) go without a second factor; others do not.
PERSONVERN_2FA_DEMO_SKIP = env_bool("PERSONVERN_2FA_DEMO_SKIP", default=True)
# External data sources' credentials (issue 11): files in var/secrets, as an operator keeps
# them; the demo writes its accounting database's URL there.
PERSONVERN = {
    **PERSONVERN,  # noqa: F405
    "CONNECTOR_SECRETS_DIR": os.environ.get("PERSONVERN_SECRETS_DIR", str(VAR_DIR / "secrets")),
}
