"""``personvern consent proof <person id>``: a person's consent history as JSON and HTML."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.register.models import Person

from ...proof import build_proof, render_proof_html


class Command(BaseCommand):
    help = "Consent tools. 'proof <person id>' writes the person's full consent history."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        proof = sub.add_parser("proof", help="Write proof-<id>.json and proof-<id>.<lang>.html.")
        proof.add_argument("person_id", type=int)
        proof.add_argument("--lang", choices=["nb", "en"], default="nb")
        proof.add_argument("--output-dir", type=Path, default=Path())

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.filter(pk=options["person_id"]).first()
        if person is None:
            raise CommandError(f"No person with id {options['person_id']}.")
        proof = build_proof(person)
        directory: Path = options["output_dir"]
        directory.mkdir(parents=True, exist_ok=True)
        json_path = directory / f"proof-{person.pk}.json"
        html_path = directory / f"proof-{person.pk}.{options['lang']}.html"
        json_path.write_text(json.dumps(proof, ensure_ascii=False, indent=2), encoding="utf-8")
        html_path.write_text(render_proof_html(proof, language=options["lang"]), encoding="utf-8")
        record(
            actor=Actor.for_system("cli:consent-proof"),
            event=AuditEventType.CONSENT_PROOF_EXPORTED,
            obj=person,
            subject_id=person.pk,
            detail={"what": "consent proof", "events": len(proof["events"])},
        )
        self.stdout.write(f"Wrote {json_path} and {html_path} ({len(proof['events'])} events).")
