"""The ``personvern`` command: Django's management commands under short operator names.

``personvern serve`` runs the web server; any other word is passed to Django (``personvern
worker``, the background worker with a heartbeat, is the scheduling app's command wrapping
django-tasks-db's ``db_worker``; ``personvern migrate``, ``personvern check --deploy``,
``personvern createsuperuser``). ``personvern db_worker`` would run django-tasks-db's own
worker, without a heartbeat: its jobs would be run again by other workers after the lease.
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "serve": ["runserver"],
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "personvern.settings.production")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ALIASES:
        args[1:2] = ALIASES[args[1]]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
