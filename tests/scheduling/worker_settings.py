"""Settings for ``personvern worker`` processes started by tests: the test settings with the
database task backend (the tests' own is the immediate one) and mail through SMTP to the
test's server (host and port from the environment, as in production)."""

from personvern.settings.test import *  # noqa: F403

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
        "ENQUEUE_ON_COMMIT": False,
    }
}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
