"""Staff access: staff users and their roles, API tokens and the second factor of staff sign-in,
each change audited."""

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
from .staff import (
    StaffChanges,
    create_staff_user,
    deactivate_staff_user,
    reactivate_staff_user,
    roles_of,
    set_roles,
    update_staff_user,
)
from .tokens import PREFIX_LENGTH, issue_token, key_digest, revoke_token

__all__ = [
    "PREFIX_LENGTH",
    "RECOVERY_CODE_COUNT",
    "StaffChanges",
    "VerifyResult",
    "complete_passkey_registration",
    "confirm_totp",
    "create_staff_user",
    "deactivate_staff_user",
    "issue_token",
    "key_digest",
    "reactivate_staff_user",
    "record_passkey_failure",
    "record_passkey_verified",
    "regenerate_recovery_codes",
    "remove_device",
    "reset_second_factor",
    "revoke_token",
    "roles_of",
    "set_roles",
    "start_totp_enrolment",
    "update_staff_user",
    "verify_code",
]
