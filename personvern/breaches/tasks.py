from django_tasks import task

from .services import scan_signals, send_pending, send_reminders


@task()
def send_breach_reminders_task() -> int:
    return send_reminders()


@task()
def send_breach_letters_task() -> int:
    return send_pending()


@task()
def scan_signals_task() -> int:
    return scan_signals()
