"""The stored data packages of access and portability requests.

A package is a file in the default storage under ``rights/packages/<request id>/``, named on
the request (``package_name``). It is written inside the transaction that records it and
deleted again if that transaction does not commit (``discard_on_failure``); a file left
behind anyway (the worker was killed between the write and the commit) belongs to no
request and the daily clean-up removes it. Deleting a recorded package clears the name in
the transaction and removes the file once it commits, so a rollback never leaves a request
pointing at a missing file."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils import timezone

from personvern.core.actors import Actor
from personvern.core.files import delete_after_commit

from ..choices import EventKind, RequestStatus, RequestType, TokenPurpose
from ..models import DataSubjectRequest
from .events import log

PACKAGE_DIR = "rights/packages"


@contextmanager
def discard_on_failure() -> Iterator[list[str]]:
    """Files saved into the yielded list are deleted if the block raises. Put it outside the
    ``transaction.atomic()`` that records them, so that a failed commit counts too."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


def save_package(request: DataSubjectRequest, content: IO[bytes], saved: list[str]) -> str:
    """Write the package file (under a random name, copied from ``content`` in chunks) and
    note it in ``saved``."""
    name = f"{PACKAGE_DIR}/{request.pk}/{secrets.token_hex(16)}.zip"
    stored = default_storage.save(name, File(content, name="package.zip"))
    saved.append(stored)
    return stored


def delete_package(request: DataSubjectRequest, *, actor: Actor, reason: str) -> str:
    """Forget the request's package (the file goes once this transaction commits) and spend
    its download links; returns the file's name. The caller holds the request's lock."""
    name = request.package_name
    if not name:
        return ""
    request.package_name = ""
    request.save(update_fields=["package_name"])
    request.tokens.filter(purpose=TokenPurpose.DOWNLOAD, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    log(
        request=request,
        kind=EventKind.PACKAGE_DELETED,
        actor=actor,
        detail={"reason": reason},
    )
    delete_after_commit([name])
    return name


def delete_subject_packages(*, subject_id: int, actor: Actor) -> int:
    """Erasure: every package built for the data subject goes. Returns how many."""
    requests = (
        DataSubjectRequest.objects.select_for_update()
        .filter(subject_id=subject_id)
        .exclude(package_name="")
        .order_by("pk")
    )
    count = 0
    for request in requests:
        delete_package(request, actor=actor, reason="erasure")
        count += 1
    return count


def erasure_started(subject_id: int) -> bool:
    """An erasure request for the data subject is being fulfilled or is done."""
    return DataSubjectRequest.objects.filter(
        subject_id=subject_id,
        request_type=RequestType.ERASURE,
        status__in=(RequestStatus.IN_PROGRESS, RequestStatus.DONE),
    ).exists()


def orphan_files(*, older_than: datetime.datetime, deleting: Iterable[str] = ()) -> list[str]:
    """Package files no request names, written before ``older_than`` (a build in progress
    is younger), other than those ``deleting`` (already going once their deletion commits)."""
    if not default_storage.exists(PACKAGE_DIR):
        return []
    named = set(
        DataSubjectRequest.objects.exclude(package_name="").values_list("package_name", flat=True)
    ) | set(deleting)
    found = []
    directories, _files = default_storage.listdir(PACKAGE_DIR)
    for directory in sorted(directories):
        _sub, files = default_storage.listdir(f"{PACKAGE_DIR}/{directory}")
        for file in sorted(files):
            name = f"{PACKAGE_DIR}/{directory}/{file}"
            if name not in named and default_storage.get_modified_time(name) < older_than:
                found.append(name)
    return found
