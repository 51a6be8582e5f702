"""The breach tests use the request tests' real SMTP server (aiosmtpd) and controller."""

from tests.connectors.external import external  # noqa: F401 - SQL sources
from tests.rights.conftest import Mailbox, controller, smtp  # noqa: F401

__all__ = ["Mailbox"]
