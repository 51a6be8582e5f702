"""The demo CRM's contents and its HTTP source (issue 11): the customer contacts the accounting
database holds (``sources.customer_contacts``), each with the company, a postal address, notes
and a short interaction history (Faker no_NO and a seeded generator: the same every time), in
``demo-crm.json`` in the var directory, which ``personvern democrm`` serves.

Its bearer token is made once and kept in the secrets directory (``demo-crm.token``), as the
accounting database's URL is; ``scripts/run-dev.sh`` hands it to the service and, in the
environment variable the source names, to the web server and the worker. The service listens
where ``PERSONVERN_DEMO_CRM_URL`` says (``make run``: the web server's port plus one).
Nothing happens without a secrets directory. Idempotent: existing files are kept, and an
unchanged source adds no version."""

from __future__ import annotations

import datetime
import os
import random
import secrets
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from faker import Faker

from personvern.connectors import services as connectors
from personvern.connectors.http import parse_http
from personvern.connectors.models import HttpSource
from personvern.core.actors import Actor
from personvern.register.models import Person

from ..sources import customer_contacts, keep_secret
from ..synthetic import SEED
from .service import Crm, source_spec

TOKEN_FILE = "demo-crm.token"  # noqa: S105 - the file name, not its content
DATA_FILE = "demo-crm.json"
TOKEN_ENV = "PERSONVERN_SOURCE_DEMO_CRM_TOKEN"  # noqa: S105 - the variable's name
URL_ENV = "PERSONVERN_DEMO_CRM_URL"
DEFAULT_URL = "http://127.0.0.1:8001/api"
SINCE = datetime.datetime(2019, 1, 1)  # noqa: DTZ001 - Faker's bounds, the dates are written as days
UNTIL = datetime.datetime(2025, 12, 31)  # noqa: DTZ001
NOTES = (
    "Foretrekker e-post framfor telefon.",
    "Ønsker tilbud på lønnskjøring fra neste år.",
    "Kontaktperson for årsoppgjøret.",
    "Spurte om rådgivning ved generasjonsskifte.",
    "Har fullmakt til å signere engasjementsbrev.",
    "",
)
INTERACTIONS = (
    ("call", "Ringte om frist for MVA-melding."),
    ("meeting", "Gjennomgang av årsregnskapet."),
    ("email", "Sendte oversikt over timer for kvartalet."),
    ("meeting", "Oppstartsmøte for nytt engasjement."),
    ("call", "Avklarte spørsmål om reiseregninger."),
    ("email", "Purring på manglende bilag."),
)


def data_path() -> Path:
    return Path(settings.VAR_DIR) / DATA_FILE


def contact(person: Person, *, rng: random.Random, fake: Faker) -> dict[str, Any]:
    """One person as the CRM holds them, without its id."""
    history = sorted(
        fake.date_time_between(start_date=SINCE, end_date=UNTIL) for _ in range(rng.randint(1, 4))
    )
    return {
        "name": f"{person.first_name} {person.last_name}".strip(),
        "email": person.email,
        "phone": person.phone,
        "company": person.company.name if person.company else "",
        "title": person.position,
        "address": f"{fake.street_address()}, {fake.postcode()} {fake.city()}",
        "notes": rng.choice(NOTES),
        "interactions": [
            dict(zip(("channel", "summary"), rng.choice(INTERACTIONS), strict=True))
            | {"date": at.date().isoformat()}
            for at in history
        ],
    }


def load_crm(*, actor: Actor, created: Counter[str]) -> None:
    if keep_secret(TOKEN_FILE, lambda: secrets.token_urlsafe(32)) is None:
        return
    path = data_path()
    if not path.exists():
        crm = Crm(token="", path=path)  # only filled here; the service reads the file
        rng = random.Random(SEED)
        fake = Faker("no_NO")
        fake.seed_instance(SEED)
        for person in customer_contacts().select_related("company"):
            crm.add(**contact(person, rng=rng, fake=fake))
            created["crm_contacts"] += 1
    url = os.environ.get(URL_ENV, DEFAULT_URL)
    before = HttpSource.objects.filter(key="crm").values_list("version").first()
    source = connectors.save_http_source(actor=actor, spec=parse_http(source_spec(url, TOKEN_ENV)))
    if before is None or before[0] != source.version:
        created["http_sources"] += 1
