"""The scheduler: due jobs are claimed once and their task enqueued after commit."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.scheduling.models import PeriodicJob
from personvern.scheduling.registry import JobSpec
from personvern.scheduling.services import claim_due_jobs, next_run, sync_jobs

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")

OSLO_NOON = datetime.datetime(2025, 3, 20, 12, 0, tzinfo=OSLO)


def test_the_daily_retention_sweep_is_declared_and_stored():
    sync_jobs(now=OSLO_NOON)
    job = PeriodicJob.objects.get(name="retention-sweep")
    assert job.task_path == "personvern.retention.tasks.run_retention_sweep"
    assert timezone.localtime(job.next_run_at) == datetime.datetime(2025, 3, 21, 2, 30, tzinfo=OSLO)
    assert sync_jobs(now=OSLO_NOON) == 0  # idempotent


def test_next_run_daily_and_interval():
    daily = JobSpec(name="d", task_path="x", daily_at=datetime.time(2, 30))
    before = datetime.datetime(2025, 3, 20, 1, 0, tzinfo=OSLO)
    assert timezone.localtime(next_run(daily, before)).date() == datetime.date(2025, 3, 20)
    assert timezone.localtime(next_run(daily, OSLO_NOON)).date() == datetime.date(2025, 3, 21)
    # 02:30 does not exist on the night clocks go forward: the job still runs that night
    spring = datetime.datetime(2025, 3, 29, 12, 0, tzinfo=OSLO)
    assert timezone.localtime(next_run(daily, spring)).date() == datetime.date(2025, 3, 30)
    hourly = JobSpec(name="h", task_path="x", interval=datetime.timedelta(hours=1))
    assert next_run(hourly, OSLO_NOON) == OSLO_NOON + datetime.timedelta(hours=1)


def test_a_due_job_is_claimed_once_even_when_the_scheduler_runs_twice(
    django_capture_on_commit_callbacks,
):
    # given the sweep job due now (and every other declared job later)
    sync_jobs(now=OSLO_NOON)
    PeriodicJob.objects.update(next_run_at=timezone.now() + datetime.timedelta(hours=1))
    PeriodicJob.objects.filter(name="retention-sweep").update(
        next_run_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    # when two scheduler passes run
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = claim_due_jobs()
        second = claim_due_jobs()

    # then the job was claimed and enqueued once, and the sweep ran (immediate backend)
    assert (first, second) == (["retention-sweep"], [])
    enqueued = [c for c in callbacks if getattr(c, "func", c).__name__ == "_enqueue"]
    assert len(enqueued) == 1
    job = PeriodicJob.objects.get(name="retention-sweep")
    assert job.next_run_at > timezone.now() and job.last_result_id
    assert (
        AuditEntry.objects.filter(
            object_type="retention.sweeprun", actor_label="system:retention-sweep"
        ).count()
        == 1
    )


def test_scheduler_command_once():
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert PeriodicJob.objects.filter(name="retention-sweep").exists()
    stored = PeriodicJob.objects.count()
    assert f"Stored {stored} new periodic job(s)." in out.getvalue()


def test_the_scheduler_beats_and_signs_off():
    # given no scheduler ever ran
    from personvern.scheduling.models import SchedulerHeartbeat

    assert not SchedulerHeartbeat.objects.exists()
    # when one checks once
    call_command("scheduler", "--once", stdout=io.StringIO())
    # then it recorded its heartbeat and, on leaving, that it stopped (/healthz reads both)
    beat = SchedulerHeartbeat.objects.get()
    assert beat.beat_at is not None and beat.stopped_at is not None and beat.pid
