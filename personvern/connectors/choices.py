"""Choices and error codes of the external data sources."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class IdentityKind(models.TextChoices):
    """What a column identifies a person by; each is normalised as the register does."""

    EMAIL = "email", _("E-mail address")
    PHONE = "phone", _("Phone number")
    NATIONAL_ID = "national_id", _("National identity number")
    CUSTOMER_NUMBER = "customer_number", _("Customer number")


class ErasureAction(models.TextChoices):
    """What an erasure does to a table's rows about the person."""

    DELETE = "delete", _("Delete the rows")
    NULL = "null", _("Empty the named columns")
    MASK = "mask", _("Overwrite the named columns")
    KEEP = "keep", _("Keep under a legal obligation (restricted)")


class PersonField(models.TextChoices):
    """A value about the person that a rectification corrects in an external system: the
    register's own fields (``name`` is the first and last name together, as many systems
    keep it in one column)."""

    NAME = "name", _("Full name")
    FIRST_NAME = "first_name", _("First name")
    LAST_NAME = "last_name", _("Last name")
    EMAIL = "email", _("E-mail address")
    PHONE = "phone", _("Phone number")
    POSITION = "position", _("Position")


class ConnectorErrorCode(ErrorCode):
    INVALID_YAML = "invalid_yaml"
    INVALID_DATASET = "invalid_dataset"
    UNKNOWN_DATA_CATEGORY = "unknown_data_category"
    UNKNOWN_TABLE = "unknown_table"
    UNKNOWN_COLUMN = "unknown_column"
    PARENT_CYCLE = "parent_cycle"
    KEEP_BELOW_DELETE = "keep_below_delete"
    NO_CREDENTIALS = "no_credentials"
    CONNECTION_FAILED = "connection_failed"
    DUPLICATE_KEY = "duplicate_key"
    NO_IDENTITY = "no_identity"
    RECTIFY_UNDESCRIBED = "rectify_undescribed"
