from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class Role(models.TextChoices):
    """Staff roles, each a Django group with the permissions in ``roles.ROLE_PERMISSIONS``."""

    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    SALES_MARKETING = "sales_marketing", _("Sales and marketing")
    AUDITOR = "auditor", _("Auditor (read-only)")
    SECURITY = "security", _("Security (IP log and blocklist)")


class SecondFactorMethod(models.TextChoices):
    """How a staff member proves the second factor at sign-in."""

    TOTP = "totp", _("Authenticator app (TOTP)")
    PASSKEY = "passkey", _("Passkey (WebAuthn)")
    RECOVERY_CODE = "recovery_code", _("Recovery code")


class AccountsErrorCode(ErrorCode):
    NOT_STAFF = "not_staff"
    PAST_EXPIRY = "past_expiry"
    INVALID_CODE = "invalid_code"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    # Staff users managed by the privacy officer
    UNKNOWN_ROLE = "unknown_role"
    UNKNOWN_FIELD = "unknown_field"
    USERNAME_TAKEN = "username_taken"
    WEAK_PASSWORD = "weak_password"  # noqa: S105 - an error code, not a password
    LAST_PRIVACY_OFFICER = "last_privacy_officer"
    SELF_DEACTIVATION = "self_deactivation"
