"""Every change to the register. One function per business operation: keyword-only, typed,
transactional, and each writes its audit entry (field names only) in the same transaction.

``people`` holds the person and company records, ``records`` what hangs off a person."""

from .people import (
    COMPANY_FIELDS,
    COMPANY_TEXT_FIELDS,
    PERSON_FIELDS,
    PERSON_TEXT_FIELDS,
    clean_company,
    clean_person,
    create_company,
    create_person,
    delete_company,
    delete_person,
    lift_restriction,
    log_person_viewed,
    require_unrestricted,
    restrict_processing,
    update_company,
    update_person,
)
from .records import (
    add_application_document,
    create_job_application,
    decide_job_application,
    delete_interaction,
    open_application_document,
    record_interaction,
    update_interaction,
)

__all__ = [
    "COMPANY_FIELDS",
    "COMPANY_TEXT_FIELDS",
    "PERSON_FIELDS",
    "PERSON_TEXT_FIELDS",
    "add_application_document",
    "clean_company",
    "clean_person",
    "create_company",
    "create_job_application",
    "create_person",
    "decide_job_application",
    "delete_company",
    "delete_interaction",
    "delete_person",
    "lift_restriction",
    "log_person_viewed",
    "open_application_document",
    "record_interaction",
    "require_unrestricted",
    "restrict_processing",
    "update_company",
    "update_interaction",
    "update_person",
]
