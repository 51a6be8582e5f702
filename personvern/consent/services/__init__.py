"""Changes to consent. ``events`` appends to the ledger (answers, withdrawals, objections, opting
out); ``records`` keeps what surrounds it (texts, the suppression and reservation lists, the
audit of campaign checks, the record of full verifications); ``anchors`` signs the ledger's
head."""

from .anchors import Signing, sign_ledger_head
from .events import (
    USER_AGENT_MAX,
    Choice,
    Evidence,
    OptOutResult,
    Subject,
    notice_in_effect,
    object_to_direct_marketing,
    opt_out_of_everything,
    record_consent,
    record_consents,
    withdraw_consent,
    withdraw_objection,
)
from .records import (
    import_reservations,
    log_campaign_check,
    publish_text,
    record_verification,
    suppress_person,
    verify_ledger,
)

__all__ = [
    "USER_AGENT_MAX",
    "Choice",
    "Evidence",
    "OptOutResult",
    "Signing",
    "Subject",
    "import_reservations",
    "log_campaign_check",
    "notice_in_effect",
    "object_to_direct_marketing",
    "opt_out_of_everything",
    "publish_text",
    "record_consent",
    "record_consents",
    "record_verification",
    "sign_ledger_head",
    "suppress_person",
    "verify_ledger",
    "withdraw_consent",
    "withdraw_objection",
]
