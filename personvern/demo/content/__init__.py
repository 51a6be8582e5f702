"""What the demo organisation's privacy notice says, as data the services can load.

The source is the privacy notice of Numeri AS (``settings.PERSONVERN["SEED_DIR"]``). Where the
notice is out of date or loose, the demo does better while keeping its intent:

- Transfers to Google rest on the EU-US Data Privacy Framework, not "Privacy Shield" (invalid
  since 16 July 2020).
- The controller is named consistently as Numeri AS; the notice's stray template names (another
  firm, a CRM vendor) are left out.
- Contract fulfilment and bookkeeping are two activities, because they rest on two legal bases
  (the contract and bokføringsloven) with different retention.
- Web statistics rest on consent: Norwegian law requires consent for analytics cookies.
- The organisation number is synthetic (valid MOD11), not the real firm's.
"""

from .activities import (
    ACTIVITIES,
    BOOKKEEPING,
    CONTRACT_FULFILMENT,
    CUSTOMER_DUE_DILIGENCE,
    CUSTOMER_RELATIONSHIP,
    CUSTOMER_SERVICE,
    DIRECT_MARKETING,
    PERSONNEL,
    RECRUITMENT,
    SALES_AND_MARKETING,
    SECURITY_LOG,
    WEB_STATISTICS,
    ActivitySpec,
    AssessmentSpec,
)
from .organisation import (
    ACCOUNTING_SYSTEM,
    ACTOR_NAME,
    CONTROLLER,
    CONTROLLER_NAME,
    CONTROLLER_ORGNR,
    DATATILSYNET,
    GOOGLE,
    PROCESSORS,
    ProcessorSpec,
)
from .retention import RETENTION_RULES, RetentionRuleSpec
from .users import DEMO_PASSWORD, DEMO_USERS, UserSpec
from .website import COOKIES, CookieSpec

__all__ = [
    "ACCOUNTING_SYSTEM", "ACTIVITIES", "ACTOR_NAME", "BOOKKEEPING", "CONTRACT_FULFILMENT",
    "CONTROLLER", "CONTROLLER_NAME", "CONTROLLER_ORGNR", "COOKIES", "CUSTOMER_DUE_DILIGENCE",
    "CUSTOMER_RELATIONSHIP",
    "CUSTOMER_SERVICE", "DATATILSYNET", "DEMO_PASSWORD", "DEMO_USERS", "DIRECT_MARKETING",
    "GOOGLE", "PERSONNEL", "PROCESSORS", "RECRUITMENT", "RETENTION_RULES", "SALES_AND_MARKETING",
    "SECURITY_LOG", "WEB_STATISTICS", "ActivitySpec", "AssessmentSpec", "CookieSpec",
    "ProcessorSpec", "RetentionRuleSpec", "UserSpec",
]  # fmt: skip
