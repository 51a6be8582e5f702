"""Every change the pii app makes: findings recorded on write and by scans, the review queue's
decisions, the fields' policies. One function per operation, keyword-only, transactional,
audited in the same transaction; values found never enter the audit log."""

from .policies import set_field_policy
from .review import accept_finding, delete_record_of_finding, redact_finding
from .scanning import TableReport, scan_external_table, scan_table
from .screening import Screening, policy_of, record_findings, screen, text_of

__all__ = [
    "Screening",
    "TableReport",
    "accept_finding",
    "delete_record_of_finding",
    "policy_of",
    "record_findings",
    "redact_finding",
    "scan_external_table",
    "scan_table",
    "screen",
    "set_field_policy",
    "text_of",
]
