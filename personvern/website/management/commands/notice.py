"""``personvern notice render --lang nb|en --format html|md`` and ``personvern notice publish``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from personvern.core.actors import Actor
from personvern.core.errors import DomainError

from ...choices import NOTICE_LANGUAGES, NoticeFormat
from ...notice.render import render_notice
from ...services.notice import publish_privacy_notice


class Command(BaseCommand):
    help = "Render or publish the privacy notice generated from the register."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        render = sub.add_parser("render", help="Print the notice.")
        render.add_argument("--lang", choices=NOTICE_LANGUAGES, default="nb")
        render.add_argument("--format", choices=NoticeFormat.values, default=NoticeFormat.MARKDOWN)
        render.add_argument(
            "--base-url", default="", help="Make the portal link absolute: https://example.no"
        )
        sub.add_parser("publish", help="Store a new version of each language that changed.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "render":
                self.stdout.write(
                    render_notice(
                        language=options["lang"],
                        fmt=options["format"],
                        base_url=options["base_url"].rstrip("/"),
                    ),
                    ending="",
                )
                return
            published = publish_privacy_notice(actor=Actor.for_system("notice-publish"))
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        if not published:
            self.stdout.write("Nothing changed since the last published version.")
        for text in published:
            self.stdout.write(f"Published {text.language} v{text.version} sha256={text.sha256}")
