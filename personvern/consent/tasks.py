"""Background jobs (django-tasks): take ids only, safe to run twice."""

from __future__ import annotations

from django_tasks import task

from personvern.core.actors import Actor

from . import anchoring
from .services import sign_ledger_head, verify_ledger


@task()
def verify_ledger_task() -> bool:
    """Nightly (registered with the scheduler in ``apps.py``): verify the whole chain against
    the configured signed heads and record the outcome; a broken chain is in the record and the
    audit log for staff to see."""
    return verify_ledger(actor=Actor.for_system("ledger-verify")).ok


@task()
def sign_ledger_head_task() -> int | None:
    """At an interval (``PERSONVERN_LEDGER_SIGN_MINUTES``): sign the head. Running it twice
    signs two heads, which only adds an anchor. Without a key or a directory configured there is
    nothing to do (``personvern check --deploy`` warns)."""
    if not anchoring.has_signing_key() or anchoring.heads_dir() is None:
        return None
    return sign_ledger_head(actor=Actor.for_system("ledger-sign")).head.tree_size
