"""The breach register's operations; import them from here."""

from .clients import notify_clients
from .external import (
    ExternalAffected,
    affected_in_sources,
    default_window,
    find_affected_external,
    merge_people,
    search_sources,
)
from .people import affected_by, deliver, find_affected, send_pending, write_letters
from .register import (
    assess_risk,
    close_breach,
    record_breach,
    record_notification,
    record_public_notice,
    update_breach,
)
from .reminders import send_reminders
from .signals import dismiss_signal, open_breach_from_signal, scan_signals

__all__ = [
    "ExternalAffected",
    "affected_by",
    "affected_in_sources",
    "assess_risk",
    "close_breach",
    "default_window",
    "deliver",
    "dismiss_signal",
    "find_affected",
    "find_affected_external",
    "merge_people",
    "notify_clients",
    "open_breach_from_signal",
    "record_breach",
    "record_notification",
    "record_public_notice",
    "scan_signals",
    "search_sources",
    "send_pending",
    "send_reminders",
    "update_breach",
    "write_letters",
]
