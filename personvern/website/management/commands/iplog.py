"""``personvern iplog purge``: delete IP log entries past the retention period. The scheduler
runs the same service nightly (job ``ip-log-purge``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ...services.iplog import purge_expired_ip_log


class Command(BaseCommand):
    help = "Maintain the IP security log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("purge", help="Delete entries older than IP_LOG_RETENTION_DAYS.")

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired_ip_log()
        self.stdout.write(f"Deleted {deleted} IP log entries past the retention period.")
