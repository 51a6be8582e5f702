"""The breach tests use the request tests' real SMTP server (aiosmtpd) and controller."""

from tests.rights.conftest import Mailbox, controller, smtp  # noqa: F401

__all__ = ["Mailbox"]
