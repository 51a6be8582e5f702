"""The ``personvern`` command: Django's management commands under short operator names.

``personvern serve`` runs the web server, ``personvern worker`` the background worker,
``personvern demo`` loads the demo organisation; any other word is passed to Django
(``personvern migrate``, ``personvern check --deploy``, ``personvern createsuperuser``).
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "serve": ["runserver"],
    "worker": ["db_worker"],
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
