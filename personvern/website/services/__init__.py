"""Changes on the website's side. One module per area; this package re-exports them so callers
import ``personvern.website.services``."""

from .blocklist import block_address, lift_block, parse_network, review_block
from .cookies import (
    BannerDecision,
    CookieChanges,
    CookieValues,
    clean_cookie,
    create_cookie,
    delete_cookie,
    publish_cookie_policy,
    record_banner_decision,
    update_cookie,
)
from .iplog import (
    IngestedRequest,
    ingest_requests,
    link_entry_to_person,
    link_request_to_person,
    log_request,
)
from .notice import publish_privacy_notice

__all__ = [
    "BannerDecision",
    "CookieChanges",
    "CookieValues",
    "IngestedRequest",
    "block_address",
    "clean_cookie",
    "create_cookie",
    "delete_cookie",
    "ingest_requests",
    "lift_block",
    "link_entry_to_person",
    "link_request_to_person",
    "log_request",
    "parse_network",
    "publish_cookie_policy",
    "publish_privacy_notice",
    "record_banner_decision",
    "review_block",
    "update_cookie",
]
