import datetime

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "personvern.consent"
    label = "consent"
    verbose_name = _("Consent and marketing permissions")

    def ready(self) -> None:
        from personvern.core.workplace import register_workplace_provider
        from personvern.register.admin import add_person_section
        from personvern.scheduling.registry import JobSpec, register

        from . import checks  # noqa: F401 - registers the system check
        from .admin import PERSON_SECTION
        from .workplace import ledger_items

        # The staff home page: the ledger's last verification and signed head.
        register_workplace_provider("consent", ledger_items)

        # The person's page in the register shows their consents.
        add_person_section(PERSON_SECTION)

        # Every night, so each consent proof can show a full verification at most a day old.
        register(
            JobSpec(
                name="ledger-verify",
                task_path="personvern.consent.tasks.verify_ledger_task",
                daily_at=datetime.time(4, 0),
            )
        )
        # The head is signed and sent out of the database at this interval (and on demand).
        register(
            JobSpec(
                name="ledger-sign",
                task_path="personvern.consent.tasks.sign_ledger_head_task",
                interval=datetime.timedelta(minutes=settings.PERSONVERN_LEDGER_SIGN_MINUTES),
            )
        )
