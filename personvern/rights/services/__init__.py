"""Every change to data subject requests. Split by business area; import from here."""

from . import manual
from .cleanup import clean_up, lapse_unverified, purge_packages
from .deadlines import extend_deadline, refuse_request, send_due_reminders
from .erasure import retry_due_sources, retry_failed_sources
from .exemptions import decide_access_exemption
from .fulfilment import fulfil, open_download, reissue_download_link
from .intake import (
    due_on,
    match_person,
    rerun_fulfilment,
    resend_verification_link,
    submit_request,
    verify_by_staff,
    verify_by_token,
)
from .measures import decide_objection, lift_restriction
from .rectification import SELF_SERVICE_FIELDS, complete_rectification, rectify_self_service

__all__ = [
    "SELF_SERVICE_FIELDS",
    "clean_up",
    "complete_rectification",
    "decide_access_exemption",
    "decide_objection",
    "due_on",
    "extend_deadline",
    "fulfil",
    "lapse_unverified",
    "lift_restriction",
    "manual",
    "match_person",
    "open_download",
    "purge_packages",
    "rectify_self_service",
    "refuse_request",
    "reissue_download_link",
    "rerun_fulfilment",
    "resend_verification_link",
    "retry_due_sources",
    "retry_failed_sources",
    "send_due_reminders",
    "submit_request",
    "verify_by_staff",
    "verify_by_token",
]
