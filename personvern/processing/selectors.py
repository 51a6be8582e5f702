"""Reads over the record of processing activities."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .choices import AssessmentOutcome
from .models import BalancingAssessment, ProcessingActivity, Processor

# The latest assessment decides whether legitimate interest is a basis: by the date it was
# made, then by the order it was recorded in (two on one day: the later one).
ASSESSMENT_ORDER = ("-assessed_on", "-pk")


def activities_for_record() -> QuerySet[ProcessingActivity]:
    """Every activity with what the Art. 30 record shows, in a fixed number of queries."""
    return ProcessingActivity.objects.prefetch_related(
        "data_categories",
        Prefetch(
            "processors",
            queryset=Processor.objects.select_related("parent").prefetch_related("agreements"),
        ),
        Prefetch(
            "assessments",
            queryset=BalancingAssessment.objects.order_by(*ASSESSMENT_ORDER),
            to_attr="ordered_assessments",
        ),
    ).order_by("name")


def latest_assessment(activity: ProcessingActivity) -> BalancingAssessment | None:
    """The activity's latest balancing assessment (from ``activities_for_record``'s prefetch
    when there is one, else from the database)."""
    ordered: list[BalancingAssessment] | None = getattr(activity, "ordered_assessments", None)
    if ordered is not None:
        return ordered[0] if ordered else None
    return activity.assessments.order_by(*ASSESSMENT_ORDER).first()


def latest_assessment_permits(activity: ProcessingActivity) -> bool:
    """Whether the latest assessment is favourable: an earlier favourable one does not count
    once a later one found that the person's interests override."""
    latest = latest_assessment(activity)
    return latest is not None and latest.outcome in AssessmentOutcome.permits_processing()


def processors_with_relations() -> QuerySet[Processor]:
    return Processor.objects.select_related("parent").prefetch_related(
        "data_categories", "agreements", "activities"
    )
