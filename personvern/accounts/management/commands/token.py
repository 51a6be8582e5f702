"""``personvern token create <username> <name>`` and ``personvern token revoke <prefix>``."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from personvern.accounts.models import ApiToken, User
from personvern.accounts.services import issue_token, revoke_token
from personvern.core.actors import Actor
from personvern.core.errors import DomainError

ACTOR = Actor.for_system("token-command")


class Command(BaseCommand):
    help = "Issue or revoke API tokens for staff users."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token and print its key once.")
        create.add_argument("username")
        create.add_argument("name", help="What the token is for.")
        create.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Days until the token expires (default: never).",
        )
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options["username"], options["name"], options["expires_in_days"])
        else:
            self._revoke(options["prefix"])

    def _create(self, username: str, name: str, days: int | None) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError("No staff user with that username.")
        expires_at = timezone.now() + datetime.timedelta(days=days) if days is not None else None
        try:
            token, key = issue_token(actor=ACTOR, user=user, name=name, expires_at=expires_at)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        # The key goes to stdout once and nowhere else; the notice to stderr so that
        # `personvern token create … > file` captures only the key.
        self.stderr.write(
            f"Token {token.prefix}… issued. Store the key now: it is not shown again."
        )
        self.stdout.write(key)

    def _revoke(self, prefix: str) -> None:
        tokens = list(ApiToken.objects.filter(prefix=prefix))
        if len(tokens) != 1:
            raise CommandError(
                "No token with that prefix."
                if not tokens
                else "More than one token has that prefix."
            )
        revoke_token(actor=ACTOR, token=tokens[0])
        self.stdout.write(f"Token {prefix}… revoked.")
