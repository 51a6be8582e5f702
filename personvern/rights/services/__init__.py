"""Every change to data subject requests. Split by business area; import from here."""

from .deadlines import extend_deadline, refuse_request, send_due_reminders
from .fulfilment import fulfil, open_download, reissue_download_link
from .intake import (
    due_on,
    match_person,
    rerun_fulfilment,
    submit_request,
    verify_by_staff,
    verify_by_token,
)
from .measures import (
    SELF_SERVICE_FIELDS,
    complete_rectification,
    decide_objection,
    lift_restriction,
    rectify_self_service,
)

__all__ = [
    "SELF_SERVICE_FIELDS",
    "complete_rectification",
    "decide_objection",
    "due_on",
    "extend_deadline",
    "fulfil",
    "lift_restriction",
    "match_person",
    "open_download",
    "rectify_self_service",
    "refuse_request",
    "reissue_download_link",
    "rerun_fulfilment",
    "send_due_reminders",
    "submit_request",
    "verify_by_staff",
    "verify_by_token",
]
