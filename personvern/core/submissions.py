"""A form that has just received a person's own data (the portal's profile, a contact form)
says so here, and whoever keeps a record of requests hears it: the website's IP security log
names the person on this very request's entry. The listeners register from their
``AppConfig.ready``, so the form's app does not import the app that logs (which sits above it).
"""

from __future__ import annotations

from typing import Any, Protocol

from django.http import HttpRequest

from .actors import Actor


class SubmissionListener(Protocol):
    def __call__(self, *, actor: Actor, request: HttpRequest, person: Any) -> None: ...


LISTENERS: dict[str, SubmissionListener] = {}


def listen(name: str, listener: SubmissionListener) -> None:
    """Register (or replace) the listener called ``name``."""
    LISTENERS[name] = listener


def person_submitted(*, actor: Actor, request: HttpRequest, person: Any) -> None:
    """Tell every listener that ``request`` carried ``person``'s own data."""
    for listener in LISTENERS.values():
        listener(actor=actor, request=request, person=person)
