"""``personvern ledger``: verify the consent ledger, sign its head, show the public key."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from personvern.core.actors import Actor
from personvern.core.errors import DomainError

from ... import anchoring
from ...services import sign_ledger_head, verify_ledger


class Command(BaseCommand):
    help = (
        "Consent ledger tools. 'verify' recomputes every event's hash and link, checks the chain "
        "against the signed heads and the state table, and records the outcome, which people's "
        "consent proofs show. 'sign' signs the head; 'public-key' prints the key that checks it; "
        "'keygen' writes a new signing key."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="Report 'ok' with the count, or every problem found by event."
        )
        verify.add_argument(
            "--heads", type=Path, help="Directory of signed heads (default: the configured one)."
        )
        verify.add_argument(
            "--public-key", type=Path,
            help="PEM public key the heads must be signed with (default: the signing key's).",
        )  # fmt: skip
        sign = sub.add_parser("sign", help="Sign the head now; write it and mail it.")
        sign.add_argument("--output-dir", type=Path, help="Default: the configured directory.")
        sub.add_parser("public-key", help="Print the public key (PEM) and its key id.")
        keygen = sub.add_parser("keygen", help="Write a new Ed25519 signing key (PEM) to PATH.")
        keygen.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc

    def _verify(self, options: dict[str, Any]) -> None:
        public_key = None
        if options["public_key"] is not None:
            try:
                public_key = anchoring.load_public_key(options["public_key"].read_bytes())
            except (OSError, ValueError) as exc:
                raise CommandError(f"--public-key: cannot read an Ed25519 key ({exc})") from exc
        # Recorded either way: a person's proof shows when the whole chain was last verified.
        verification = verify_ledger(actor=Actor.for_system("cli:ledger-verify"),
                                     heads_dir=options["heads"], public_key=public_key)  # fmt: skip
        count = verification.heads_checked
        heads = f", against {count} signed heads" if count else ""
        if not verification.ok:
            lines = [f"- {finding['message']}" for finding in verification.findings]
            kinds = {finding["kind"] for finding in verification.findings}
            if verification.problem not in kinds:
                lines.insert(0, f"- broken at event #{verification.first_broken_sequence}: "
                                f"{verification.problem}")  # fmt: skip
            raise CommandError(
                f"ledger NOT ok ({verification.event_count} events verified{heads}):\n"
                + "\n".join(lines)
            )
        seconds = verification.duration.total_seconds()
        self.stdout.write(
            f"ok: {verification.event_count} events verified in {seconds:.2f} s{heads}"
        )

    def _sign(self, options: dict[str, Any]) -> None:
        signing = sign_ledger_head(actor=Actor.for_system("cli:ledger-sign"),
                                   output_dir=options["output_dir"])  # fmt: skip
        head = signing.head
        self.stdout.write(
            f"signed: {head.tree_size} events, root {head.merkle_root}, key {head.key_id}; "
            f"wrote {signing.path}; mailed to {signing.mailed_to} privacy officer(s)"
        )

    def _public_key(self, options: dict[str, Any]) -> None:
        public = anchoring.signing_key().public_key()
        self.stdout.write(f"key id: {anchoring.key_id(public)}")
        self.stdout.write(anchoring.public_key_pem(public), ending="")

    def _keygen(self, options: dict[str, Any]) -> None:
        path: Path = options["path"]
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(f"{path} exists; a signing key is never overwritten") from exc
        with os.fdopen(fd, "wb") as handle:
            handle.write(anchoring.generate_private_key_pem())
        self.stdout.write(f"wrote {path}; set PERSONVERN_LEDGER_SIGNING_KEY={path}")
