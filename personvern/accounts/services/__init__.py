"""Staff access: API tokens and the second factor of staff sign-in, each change audited."""

from .second_factor import (
    RECOVERY_CODE_COUNT,
    VerifyResult,
    complete_passkey_registration,
    confirm_totp,
    record_passkey_failure,
    record_passkey_verified,
    regenerate_recovery_codes,
    remove_device,
    reset_second_factor,
    start_totp_enrolment,
    verify_code,
)
from .tokens import PREFIX_LENGTH, issue_token, key_digest, revoke_token

__all__ = [
    "PREFIX_LENGTH",
    "RECOVERY_CODE_COUNT",
    "VerifyResult",
    "complete_passkey_registration",
    "confirm_totp",
    "issue_token",
    "key_digest",
    "record_passkey_failure",
    "record_passkey_verified",
    "regenerate_recovery_codes",
    "remove_device",
    "reset_second_factor",
    "revoke_token",
    "start_totp_enrolment",
    "verify_code",
]
