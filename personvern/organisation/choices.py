from personvern.core.errors import ErrorCode


class OrganisationErrorCode(ErrorCode):
    UNKNOWN_FIELD = "unknown_field"
    INVALID_WEBSITE = "invalid_website"
    INVALID_DEADLINE = "invalid_deadline"
    INVALID_COOKIE_LIFETIME = "invalid_cookie_lifetime"
    INVALID_SUPERVISORY_AUTHORITY = "invalid_supervisory_authority"
    DUPLICATE_ORGANISATION_NUMBER = "duplicate_organisation_number"
    TOO_LONG = "too_long"
