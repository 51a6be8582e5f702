import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "personvern.rights"
    label = "rights"
    verbose_name = _("Data subject requests")

    def ready(self) -> None:
        from personvern.core.workplace import register_workplace_provider
        from personvern.retention.keepers import register_keeper
        from personvern.retention.services.targets import register_target
        from personvern.scheduling.registry import JobSpec, register, warm_up_workers_with, watch

        from .letters import load_templates
        from .retention import OPEN_REQUEST_KEEPER, RequestTarget
        from .selectors import manual_task_items
        from .services.intake import use_fulfilment_job
        from .services.jobs import FULFILMENT_TASK, record_job_trouble
        from .services.steps import use_step_job
        from .tasks import fulfil_request_task, restriction_step_task
        from .workplace import request_items

        # The staff home page: what requests ask of staff today.
        register_workplace_provider("rights", request_items)

        # Answered requests are a retention target; an open one keeps its person as is.
        register_target(RequestTarget())
        register_keeper(OPEN_REQUEST_KEEPER)
        # A verified request starts the fulfilment job once its transaction commits.
        use_fulfilment_job(fulfil_request_task.enqueue)
        # An interim restriction or a lift runs in the data sources once it is ordered.
        use_step_job(restriction_step_task.enqueue)

        # A worker's first letter and package are rendered as fast as its next ones.
        warm_up_workers_with("rights.templates", load_templates)

        # A fulfilment job run again after its worker was lost, or failed, is on the timeline.
        watch(FULFILMENT_TASK, record_job_trouble)

        # Before the working day starts, so staff see what falls due in their morning mail.
        register(
            JobSpec(
                name="rights-due-reminders",
                task_path="personvern.rights.tasks.send_due_reminders_task",
                daily_at=datetime.time(6, 30),
            )
        )
        # Letters left in the outbox (their process died, or the mail server refused them).
        register(
            JobSpec(
                name="rights-letters",
                task_path="personvern.rights.tasks.send_pending_letters_task",
                interval=datetime.timedelta(minutes=1),
            )
        )
        # External data sources that failed their part of a request, after their backoff.
        register(
            JobSpec(
                name="rights-source-retries",
                task_path="personvern.rights.tasks.retry_due_sources_task",
                interval=datetime.timedelta(minutes=1),
            )
        )
        # Staff with manual tasks due soon, with the morning's request reminders.
        register(
            JobSpec(
                name="rights-task-reminders",
                task_path="personvern.rights.tasks.send_task_reminders_task",
                daily_at=datetime.time(6, 35),
            )
        )
        # Open manual tasks on each staff member's home page.
        register_workplace_provider("rights.manual_tasks", manual_task_items)
        # At night, after the retention sweep: lapse unverified requests, delete packages
        # whose links are all used or expired.
        register(
            JobSpec(
                name="rights-cleanup",
                task_path="personvern.rights.tasks.clean_up_task",
                daily_at=datetime.time(3, 15),
            )
        )
