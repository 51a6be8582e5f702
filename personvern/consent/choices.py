from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class TextKind(models.TextChoices):
    CONSENT_TEXT = "consent_text", _("Consent text")
    PRIVACY_NOTICE = "privacy_notice", _("Privacy notice")
    COOKIE_POLICY = "cookie_policy", _("Cookie policy")


class Channel(models.TextChoices):
    """Marketing channels; ``NONE`` for a consent that is not about contacting the person
    (web statistics cookies, for example)."""

    NONE = "", _("Not a contact channel")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone")
    POST = "post", _("Post")
    ONLINE_ADVERTISING = "online_advertising", _("Online advertising")

    @classmethod
    def electronic(cls) -> frozenset[str]:
        """Channels of markedsføringsloven § 15 (prior consent, existing-customer exception)."""
        return frozenset({cls.EMAIL, cls.SMS})

    @classmethod
    def marketing(cls) -> list[str]:
        return [c for c in cls.values if c]


class ConsentAction(models.TextChoices):
    GRANTED = "granted", _("Granted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REFUSED = "refused", _("Refused")
    OBJECTED = "objected", _("Objected to direct marketing (Art. 21(3))")
    OBJECTION_WITHDRAWN = "objection_withdrawn", _("Objection to direct marketing withdrawn")


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    COOKIE_BANNER = "cookie_banner", _("Cookie banner")
    PORTAL_CHECKBOX = "portal_checkbox", _("Checkbox in the self-service portal")
    PHONE_VERBAL = "phone_verbal", _("Verbally on the phone, recorded by staff")
    PAPER_FORM = "paper_form", _("Paper form")
    STAFF_REQUEST = "staff_request", _("Request handled by staff")

    @classmethod
    def recorded_by_staff(cls) -> frozenset[str]:
        return frozenset({cls.PHONE_VERBAL, cls.PAPER_FORM, cls.STAFF_REQUEST})


class ReservationSource(models.TextChoices):
    REGISTRY = "registry", _("Reservasjonsregisteret (imported list)")
    DIRECT = "direct", _("Reserved directly with us")


class ContactReason(models.TextChoices):
    """Why ``can_contact`` answered as it did."""

    CONSENT = "consent", _("The person consented")
    EXISTING_CUSTOMER = (
        "existing_customer",
        _("Existing customer, own similar services (markedsføringsloven § 15)"),
    )
    SERVICE_MESSAGE = "service_message", _("Contract or service message, not marketing")
    TELEMARKETING_PERMITTED = (
        "telemarketing_permitted",
        _("Phone marketing on legitimate interest; not reserved"),
    )
    NO_CONSENT = "no_consent", _("No consent on record")
    OPTED_OUT = "opted_out", _("The person withdrew consent (opt-out)")
    REFUSED = "refused", _("The person refused consent")
    OBJECTION = "objection", _("The person objected to direct marketing (Art. 21(3))")
    OBJECTION_UPHELD = (
        "objection_upheld",
        _("The person's objection to processing on legitimate interest was upheld (Art. 21(1))"),
    )
    RESTRICTED = "restricted", _("Processing is restricted (Art. 18)")
    SUPPRESSED = "suppressed", _("On the suppression list (opted out of everything or erased)")
    TELEMARKETING_RESERVATION = "telemarketing_reservation", _("Reserved against telemarketing")
    OUTSIDE_CALLING_HOURS = (
        "outside_calling_hours",
        _("Outside calling hours (weekdays 09:00-21:00, not Saturdays or public holidays)"),
    )
    NOT_MARKETING_PURPOSE = (
        "not_marketing_purpose",
        _("The purpose does not send messages to people"),
    )
    INACTIVE_PURPOSE = "inactive_purpose", _("The purpose is not an active processing activity")
    NO_ADDRESS = "no_address", _("No address for this channel")
    UNKNOWN_PERSON = "unknown_person", _("Not in the register: no consent on record")
    INVALID_ADDRESS = "invalid_address", _("Not a valid address for this channel")


class ConsentErrorCode(ErrorCode):
    SUBJECT_REQUIRED = "subject_required"
    INVALID_CHANNEL = "invalid_channel"
    INVALID_ACTION = "invalid_action"
    INVALID_METHOD = "invalid_method"
    TEXT_REQUIRED = "text_required"
    TEXT_LANGUAGE = "text_language"
    STAFF_REQUIRED = "staff_required"
    PURPOSE_REQUIRED = "purpose_required"
    PURPOSE_NOT_CONSENT = "purpose_not_consent"
    NO_CONSENT_TO_WITHDRAW = "no_consent_to_withdraw"
    DUPLICATE_TEXT_VERSION = "duplicate_text_version"
    TOO_MANY_ADDRESSES = "too_many_addresses"
    CONSENT_PROOF_REQUIRED = "consent_proof_required"
    SUPPRESSED = "suppressed"
    DUPLICATE = "duplicate"
    RESERVATIONS_OUTDATED = "reservations_outdated"
