"""Reads over the record of processing activities."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .choices import AssessmentOutcome
from .models import BalancingAssessment, ProcessingActivity, Processor


def activities_for_record() -> QuerySet[ProcessingActivity]:
    """Every activity with what the Art. 30 record shows, in a fixed number of queries."""
    return ProcessingActivity.objects.prefetch_related(
        "data_categories",
        Prefetch("processors", queryset=Processor.objects.select_related("parent")),
        Prefetch(
            "assessments",
            queryset=BalancingAssessment.objects.filter(
                outcome__in=AssessmentOutcome.permits_processing()
            ).order_by("-assessed_on", "-pk"),
            to_attr="permitting_assessments",
        ),
    ).order_by("name")


def processors_with_relations() -> QuerySet[Processor]:
    return Processor.objects.select_related("parent").prefetch_related(
        "data_categories", "agreements", "activities"
    )
