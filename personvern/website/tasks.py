"""The nightly purge of the IP log as a background task: no arguments, safe to run twice."""

from __future__ import annotations

from django_tasks import task

from .services.iplog import purge_expired_ip_log


@task()
def purge_ip_log() -> dict[str, int]:
    return {"deleted": purge_expired_ip_log()}
