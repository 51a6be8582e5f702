import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "personvern.retention"
    label = "retention"
    verbose_name = _("Retention")

    def ready(self) -> None:
        from personvern.core.workplace import register_workplace_provider
        from personvern.processing.export import contribute_column
        from personvern.register.deletion import register_person_deleter
        from personvern.scheduling.registry import JobSpec, register

        from .contributions import RULES_COLUMN
        from .services.consent_evidence import ConsentEvidenceTarget
        from .services.erasure import delete_person
        from .services.targets import register_target
        from .workplace import retention_items

        # The staff home page: the last sweep and the records waiting for review.
        register_workplace_provider("retention", retention_items)

        # Staff deletion of a person (register's UI and API) is retention's erasure; the
        # record of processing lists the retention rules applied to each activity.
        register_person_deleter(delete_person)
        contribute_column(RULES_COLUMN)
        register_target(ConsentEvidenceTarget())

        # At night, when nobody is working in the register.
        register(
            JobSpec(
                name="retention-sweep",
                task_path="personvern.retention.tasks.run_retention_sweep",
                daily_at=datetime.time(2, 30),
            )
        )
