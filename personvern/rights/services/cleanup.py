"""The daily clean-up (``rights-cleanup``, registered with the scheduler in ``apps.py``).

- A request nobody verified lapses once its last verification link has expired plus
  ``RIGHTS_VERIFY_GRACE_HOURS``: it is closed as *lapsed*, leaves the deadline lists, and the
  address and words it holds — given by someone who never proved the address was theirs —
  are cleared. Nobody is written to.
- A data package goes once none of its download links can be used any more (downloaded or
  expired), and so do used and expired links and package files no request names.

Each closed request and each deleted package is a timeline event and an audit entry; the run
itself is one audit entry with the counts. Safe to run twice: a second run finds nothing."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor

from .. import config, selectors
from ..choices import EventKind, RequestStatus, TokenPurpose
from .common import lock
from .events import log
from .packages import delete_package, orphan_files

CLEANUP_ACTOR = Actor.for_system("rights-cleanup")
# A package file younger than this may belong to a build that has not committed yet.
ORPHAN_AGE = datetime.timedelta(days=1)
# What a lapsed request forgets (the rest — type, dates, timeline — is the record).
LAPSED_FIELDS = ("contact_email", "details", "destination_url")


def lapse_unverified(*, now: datetime.datetime | None = None, actor: Actor = CLEANUP_ACTOR) -> int:
    """Close the requests nobody verified in time; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=config.verify_grace_hours())
    link_hours = config.verify_link_hours()
    count = 0
    for pk in list(
        selectors.lapsing(cutoff=cutoff, link_hours=link_hours).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            request = lock(pk)
            still_due = selectors.lapsing(cutoff=cutoff, link_hours=link_hours).filter(pk=pk)
            if request.status != RequestStatus.AWAITING_VERIFICATION or not still_due.exists():
                continue  # verified, or sent a new link, meanwhile
            request.status = RequestStatus.LAPSED
            request.completed_at = now
            for name in LAPSED_FIELDS:
                setattr(request, name, "")
            request.save(update_fields=["status", "completed_at", *LAPSED_FIELDS])
            request.tokens.filter(purpose=TokenPurpose.VERIFY, used_at__isnull=True).update(
                used_at=now
            )
            log(request=request, kind=EventKind.LAPSED, actor=actor, fields=LAPSED_FIELDS)
            count += 1
    return count


def purge_packages(
    *, now: datetime.datetime | None = None, actor: Actor = CLEANUP_ACTOR
) -> dict[str, int]:
    """Delete the packages whose links are all used or expired, the used and expired links,
    and package files no request names. Returns the counts."""
    now = now or timezone.now()
    deleted: list[str] = []
    for pk in list(selectors.expired_packages(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            request = lock(pk)
            if not selectors.expired_packages(now=now).filter(pk=pk).exists():
                continue  # a new link was sent meanwhile
            deleted.append(delete_package(request, actor=actor, reason="links_expired"))
    links, _by_model = selectors.dead_links(now=now).delete()
    orphans = orphan_files(older_than=now - ORPHAN_AGE, deleting=deleted)
    for name in orphans:
        default_storage.delete(name)
    return {"packages": len(deleted), "links": links, "orphan_files": len(orphans)}


def clean_up(
    *, now: datetime.datetime | None = None, actor: Actor = CLEANUP_ACTOR
) -> dict[str, int]:
    """The daily job: lapse first (it reads the verification links), then purge."""
    now = now or timezone.now()
    counts = {
        "lapsed": lapse_unverified(now=now, actor=actor),
        **purge_packages(now=now, actor=actor),
    }
    if any(counts.values()):
        record(
            actor=actor,
            event=AuditEventType.CLEANUP_DONE,
            object_type="rights.cleanup",
            detail=counts,
        )
    return counts
