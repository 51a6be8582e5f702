"""The set-based operations that remove or anonymise person-level data, shared by the sweep
and by erasure requests. Each takes a list of ids (one batch), folds the figures to keep into
the anonymised statistics first, and then changes the rows with one query per table. Callers
run them inside their own transaction; files are removed only after that commits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from personvern.consent.models import ConsentState
from personvern.core.files import delete_after_commit
from personvern.register.models import Interaction, JobApplication, JobApplicationDocument, Person

from ..choices import HeldRecord, StatisticMetric
from ..models import StatisticCell
from ..selectors import record_held

# What an anonymised person is called: the register keeps the row (category, dates) for
# statistics and for the records the law makes us keep, but nothing that identifies anyone.
ANONYMISED_NAME = "Anonymisert"
IDENTIFYING_BLANKS = {
    "last_name": "",
    "email": "",
    "email_key": "",
    "phone": "",
    "position": "",
    "role": "",
    "source_party": "",
    "source_reference": "",
}
ANONYMISED = Q(first_name=ANONYMISED_NAME, company__isnull=True, **IDENTIFYING_BLANKS)


def fold(metric: StatisticMetric, rows: Iterable[Mapping[str, Any]]) -> None:
    """Add grouped counts (``year``, ``dimension``, ``n``) to the statistics. There is one row
    per year and group of a batch, never one per person."""
    for row in rows:
        year, dimension, n = int(row["year"]), str(row["dimension"] or "-"), int(row["n"])
        cells = StatisticCell.objects.filter(metric=metric, year=year, dimension=dimension)
        if not cells.update(count=F("count") + n):
            StatisticCell.objects.create(metric=metric, year=year, dimension=dimension, count=n)


def grouped(
    queryset: QuerySet[Any], year_field: str, dimension: str
) -> Iterable[Mapping[str, Any]]:
    rows: Iterable[Mapping[str, Any]] = (
        queryset.annotate(year=ExtractYear(year_field), dimension=F(dimension))
        .values("year", "dimension")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return rows


def _fold_people(ids: Sequence[int]) -> None:
    """People are counted when they stop being identifiable: at anonymisation, or at deletion
    if they were never anonymised (so nobody is counted twice)."""
    people = Person.objects.filter(pk__in=ids).exclude(ANONYMISED)
    fold(StatisticMetric.PEOPLE_BY_CATEGORY, grouped(people, "created_at", "category"))


def _fold_person_data(ids: Sequence[int]) -> None:
    interactions = Interaction.objects.filter(person_id__in=ids)
    fold(StatisticMetric.INTERACTIONS_BY_CHANNEL, grouped(interactions, "occurred_at", "channel"))
    applications = JobApplication.objects.filter(person_id__in=ids)
    fold(StatisticMetric.APPLICATIONS_BY_STATUS, grouped(applications, "received_at", "status"))
    consents = (
        ConsentState.objects.filter(person_id__in=ids)
        .annotate(year=ExtractYear("changed_at"))
        .values("year", "purpose__name", "action")
        .annotate(n=Count("pk"))
        .order_by()
    )
    fold(
        StatisticMetric.CONSENTS_BY_PURPOSE,
        (
            {
                "year": r["year"],
                "dimension": f"{r['purpose__name'] or '-'}: {r['action']}",
                "n": r["n"],
            }
            for r in consents
        ),
    )


def _remove_files_after_commit(documents: QuerySet[JobApplicationDocument]) -> int:
    return delete_after_commit(documents.values_list("file", flat=True))


def delete_interactions(ids: Sequence[int]) -> Counter[str]:
    interactions = Interaction.objects.filter(pk__in=ids)
    fold(StatisticMetric.INTERACTIONS_BY_CHANNEL, grouped(interactions, "occurred_at", "channel"))
    deleted, _per_model = interactions.delete()
    return Counter({"interactions": deleted})


def anonymise_interactions(ids: Sequence[int]) -> Counter[str]:
    """Clear what was said; keep that there was contact, when and how."""
    changed = Interaction.objects.filter(pk__in=ids).exclude(summary="").update(summary="")
    return Counter({"interactions": changed})


def delete_job_applications(ids: Sequence[int]) -> Counter[str]:
    applications = JobApplication.objects.filter(pk__in=ids)
    fold(StatisticMetric.APPLICATIONS_BY_STATUS, grouped(applications, "received_at", "status"))
    files = _remove_files_after_commit(
        JobApplicationDocument.objects.filter(application_id__in=ids)
    )
    documents = JobApplicationDocument.objects.filter(application_id__in=ids).delete()[0]
    deleted = applications.delete()[0]
    return Counter({"job_applications": deleted, "documents": documents, "files": files})


def delete_people(ids: Sequence[int]) -> Counter[str]:
    """Delete people with everything that cascades from them, and their files."""
    _fold_people(ids)
    _fold_person_data(ids)
    files = _remove_files_after_commit(
        JobApplicationDocument.objects.filter(application__person_id__in=ids)
    )
    _total, per_model = Person.objects.filter(pk__in=ids).delete()
    counts: Counter[str] = Counter({"files": files})
    for label, key in (
        ("register.Person", "people"),
        ("register.Interaction", "interactions"),
        ("register.JobApplication", "job_applications"),
        ("register.JobApplicationDocument", "documents"),
        ("consent.ConsentState", "consent_states"),
    ):
        counts[key] = per_model.get(label, 0)
    return +counts


def anonymise_people(ids: Sequence[int]) -> Counter[str]:
    """Replace what identifies each person with neutral values and clear the look-up keys;
    keep category and dates. What was said in interactions and the application documents
    (CVs, letters) identify the person too: summaries are cleared, documents deleted, except
    those of records under a legal hold, which are kept exactly as they are."""
    _fold_people(ids)
    people = Person.objects.filter(pk__in=ids).exclude(ANONYMISED)
    changed = people.update(
        first_name=ANONYMISED_NAME, company=None, updated_at=timezone.now(), **IDENTIFYING_BLANKS
    )
    summaries = (
        Interaction.objects.filter(person_id__in=ids)
        .exclude(summary="")
        .exclude(record_held(HeldRecord.INTERACTION))
    )
    cleared = summaries.update(summary="")
    held_applications = JobApplication.objects.filter(record_held(HeldRecord.JOB_APPLICATION))
    documents = JobApplicationDocument.objects.filter(application__person_id__in=ids).exclude(
        application__in=held_applications
    )
    files = _remove_files_after_commit(documents)
    removed = documents.delete()[0]
    return +Counter(
        {"people": changed, "interaction_summaries": cleared, "documents": removed, "files": files}
    )
