"""What the scanner should find in the demo, seeded on purpose (issue 12): three interactions
and one CV with special categories and identity numbers, beside two interactions that only
look like them (a mention of customers, an account number). ``personvern pii scan`` of the
demo finds exactly :data:`EXPECTED` (tests/demo/test_demo_pii.py checks it).

The numbers are synthetic with valid check digits (``personvern.pii.synthetic``, fixed seed).
They go to people the demo already has (its counts stay as they are). Idempotent: nothing
is added once an example is there."""

from __future__ import annotations

import io
import random
from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from personvern.core.actors import Actor
from personvern.pii.synthetic import fodselsnummer_for, kontonummer_for
from personvern.register.choices import InteractionChannel, SubjectCategory
from personvern.register.models import Interaction, JobApplicationDocument, Person
from personvern.register.services import (
    add_application_document,
    create_job_application,
    record_interaction,
)

CV_TITLE = "CV (with the scanner's examples)"
_RNG = random.Random(1209)
FNR = fodselsnummer_for(_RNG)
DNR = fodselsnummer_for(_RNG, "no_dnr")
ACCOUNT = kontonummer_for(_RNG)

INTERACTIONS = (
    f"Ringte om skattemeldingen og oppga fødselsnummeret sitt, {FNR[:6]} {FNR[6:]}.",
    "Er sykmeldt ut måneden; vi flytter gjennomgangen av årsoppgjøret til januar.",
    "Nevnte at hun er medlem av Fagforbundet og spør om trekket av kontingent i lønnen.",
    # Look-alikes the scanner must leave alone:
    "Vi fører regnskapet for Arbeiderpartiet lokallag; Helse Sør-Øst er også kunde.",
    f"Ba om utbetaling til kontonummer {ACCOUNT} i stedet for det gamle.",
)
CV_TEXT = (
    "CV\n"
    f"D-nummer: {DNR}\n"
    "Erfaring: regnskapsmedarbeider, 4 år.\n"
    "Organisasjon: medlem av Tekna siden 2019.\n"
    "Annet: har diabetes type 1, som ikke påvirker arbeidet.\n"
)
# (table, field, kind) of every finding the demo holds on purpose.
EXPECTED = Counter(
    {
        ("register.interaction", "summary", "no_fnr"): 1,
        ("register.interaction", "summary", "health"): 1,
        ("register.interaction", "summary", "union"): 1,
        ("register.jobapplicationdocument", "file", "no_dnr"): 1,
        ("register.jobapplicationdocument", "file", "union"): 1,
        ("register.jobapplicationdocument", "file", "health"): 1,
    }
)


def _cv_docx() -> bytes:
    import docx

    document = docx.Document()
    for line in CV_TEXT.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _people(category: str, count: int) -> list[Person]:
    """The first ``count`` demo people of ``category`` (by e-mail) with room for one more
    interaction (the demo keeps each person at one to five)."""
    return list(
        Person.objects.filter(category=category)
        .annotate(n=Count("interactions"))
        .filter(n__lt=5)
        .order_by("email_key")[:count]
    )


def load_pii_examples(*, actor: Actor, created: Counter[str]) -> None:
    """Added to people the demo already has, so its counts of people stay as they are."""
    if (
        Interaction.objects.filter(summary__in=INTERACTIONS).exists()
        or JobApplicationDocument.objects.filter(title=CV_TITLE).exists()
    ):
        return
    customers = _people(SubjectCategory.CUSTOMER_CONTACT, len(INTERACTIONS))
    for person, summary in zip(customers, INTERACTIONS, strict=True):
        record_interaction(
            actor=actor, person=person, channel=InteractionChannel.PHONE_CALL, summary=summary
        )
        created["interactions"] += 1
    [applicant] = _people(SubjectCategory.JOB_APPLICANT, 1)
    application = applicant.job_applications.first() or create_job_application(
        actor=actor, person=applicant, position="Regnskapsmedarbeider"
    )
    add_application_document(
        actor=actor,
        application=application,
        title=CV_TITLE,
        file=SimpleUploadedFile("cv.docx", _cv_docx()),
    )
    created["application documents"] += 1
