"""Changes to the record of processing activities and to processors, each audited. Split by
business area; import from here."""

from .activities import (
    ACTIVITY_FIELDS,
    ACTIVITY_INVALID,
    ACTIVITY_NAMES,
    ACTIVITY_RELATIONS,
    ActivityChanges,
    ActivityValues,
    activate_activity,
    clean_activity,
    create_activity,
    record_balancing_assessment,
    retire_activity,
    update_activity,
)
from .common import ensure_data_category
from .processors import (
    PROCESSOR_FIELDS,
    PROCESSOR_INVALID,
    PROCESSOR_NAMES,
    ProcessorChanges,
    ProcessorValues,
    clean_processor,
    create_processor,
    delete_processor,
    record_agreement,
    update_processor,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "ACTIVITY_INVALID",
    "ACTIVITY_NAMES",
    "ACTIVITY_RELATIONS",
    "PROCESSOR_FIELDS",
    "PROCESSOR_INVALID",
    "PROCESSOR_NAMES",
    "ActivityChanges",
    "ActivityValues",
    "ProcessorChanges",
    "ProcessorValues",
    "activate_activity",
    "clean_activity",
    "clean_processor",
    "create_activity",
    "create_processor",
    "delete_processor",
    "ensure_data_category",
    "record_agreement",
    "record_balancing_assessment",
    "retire_activity",
    "update_activity",
    "update_processor",
]
