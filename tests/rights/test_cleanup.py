"""The daily clean-up: unverified requests lapse, and data packages go once their links are
used or expired, with no file left behind by a failed build."""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.rights import selectors, services
from personvern.rights.choices import EventKind, RequestStatus
from personvern.rights.models import DataSubjectRequest, RequestToken
from tests.rights.conftest import link_in
from tests.rights.test_access import download

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    """A storage of the test's own, to see every file left in it."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_unverified_request_lapses_after_its_link_and_a_grace_period(
    portal, smtp, controller, media
):
    # given a request for an address whose owner never confirms it
    portal.submit(email="fremmed@example.com", request_type="access", details="Mine ord.")
    request = DataSubjectRequest.objects.get()
    link = link_in(smtp.body(smtp.last_to("fremmed@example.com")))
    expires = request.tokens.get(purpose="verify").expires_at
    sent = len(smtp.messages)
    # when the clean-up runs within the grace period after the link expired, it stays open
    assert services.clean_up(now=expires + datetime.timedelta(hours=23))["lapsed"] == 0
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_VERIFICATION
    # when it runs after the grace period
    counts = services.clean_up(now=expires + datetime.timedelta(hours=25))
    # then the request is closed as lapsed and forgets the address and the words
    assert counts["lapsed"] == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.LAPSED and not request.is_open
    assert (request.contact_email, request.details) == ("", "")
    assert request.completed_at is not None
    event = request.events.get(kind=EventKind.LAPSED)
    assert event.actor_label == "system:rights-cleanup"
    entry = AuditEntry.objects.filter(
        object_type="rights.datasubjectrequest",
        object_id=str(request.pk),
        event_type=AuditEventType.REQUEST_LAPSED,
    ).get()
    assert entry.fields == ["contact_email", "destination_url", "details"]
    summary = AuditEntry.objects.get(object_type="rights.cleanup")
    assert summary.detail["lapsed"] == 1
    assert "fremmed" not in json.dumps(list(AuditEntry.objects.values_list("detail", flat=True)))
    # and it leaves the deadline lists for good, nobody is written to, the link is void
    after_due = request.due_on + datetime.timedelta(days=1)
    assert request not in selectors.overdue(today=after_due)
    assert request not in selectors.due_within(7, today=request.due_on)
    assert len(smtp.messages) == sent
    assert portal.client.post(link).status_code == 404
    # and a second run finds nothing
    assert services.clean_up(now=expires + datetime.timedelta(hours=26))["lapsed"] == 0


def test_a_new_verification_link_postpones_the_lapse(
    portal, smtp, controller, customer_service, media
):
    from personvern.core.actors import Actor

    portal.submit(email="kari@example.com", request_type="access")
    request = DataSubjectRequest.objects.get()
    first_expiry = request.tokens.get(purpose="verify").expires_at
    RequestToken.objects.filter(request=request).update(
        expires_at=timezone.now() - datetime.timedelta(hours=30)
    )
    services.resend_verification_link(actor=Actor(user=customer_service), request=request)
    assert services.clean_up()["lapsed"] == 0
    assert services.clean_up(now=first_expiry + datetime.timedelta(hours=25))["lapsed"] == 1


def test_a_package_goes_once_its_link_expired_and_a_new_link_builds_it_again(
    portal, smtp, kari, officer_actor, media, django_capture_on_commit_callbacks
):
    # given Kari's access package, not downloaded
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    request = DataSubjectRequest.objects.get()
    package = request.package_name
    expires = request.tokens.get(purpose="download").expires_at
    # while its link may be used, it stays
    with django_capture_on_commit_callbacks(execute=True):
        assert services.clean_up()["packages"] == 0
    assert default_storage.exists(package)
    # when the link has expired
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.clean_up(now=expires + datetime.timedelta(minutes=1))
    # then the file, its name on the request and the dead links are gone, with counts only
    assert counts == {"lapsed": 0, "packages": 1, "links": 1, "orphan_files": 0}
    request.refresh_from_db()
    assert request.package_name == "" and not default_storage.exists(package)
    assert not list(media.rglob("*.zip"))
    # (only the status links are left: they show the closed request until they expire)
    assert not RequestToken.objects.exclude(purpose="status").exists()
    assert request.events.filter(
        kind=EventKind.PACKAGE_DELETED, detail__reason="links_expired"
    ).exists()
    summary = AuditEntry.objects.filter(object_type="rights.cleanup").latest("pk")
    assert summary.action == "delete" and summary.detail == counts
    # when staff send a new link, the package is built again from the data held now
    with django_capture_on_commit_callbacks(execute=True):
        services.reissue_download_link(actor=officer_actor, request=request)
    request.refresh_from_db()
    assert request.package_name and default_storage.exists(request.package_name)
    assert request.events.filter(kind=EventKind.PACKAGE_BUILT, detail__rebuilt=True).exists()
    archive = download(portal, link_in(smtp.body(smtp.last_to("kari@example.com"))))
    assert "data.json" in archive.namelist()


def test_a_downloaded_package_goes_at_the_next_clean_up(
    portal, smtp, kari, media, django_capture_on_commit_callbacks
):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    download(portal, link_in(smtp.body(smtp.last_to("kari@example.com"))))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.clean_up()["packages"] == 1
    assert not list(media.rglob("*.zip"))


def test_a_package_build_that_rolls_back_leaves_no_file(portal, smtp, kari, media, monkeypatch):
    from personvern.rights.services import fulfilment

    # given the database fails right after the package file was written
    real_log = fulfilment.log

    def failing(**kwargs: Any) -> Any:
        if kwargs["kind"] == EventKind.PACKAGE_BUILT:
            raise RuntimeError("database gone")
        return real_log(**kwargs)

    monkeypatch.setattr(fulfilment, "log", failing)
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    # then no package is recorded and no file is left
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS and request.package_name == ""
    assert not list(media.rglob("*.zip"))


def test_a_package_file_no_request_names_is_removed_once_a_day_old(controller, media):
    # given files left by a worker killed between writing a package and recording it
    old = media / "rights" / "packages" / "999" / "old.zip"
    fresh = media / "rights" / "packages" / "999" / "fresh.zip"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"PK")
    fresh.write_bytes(b"PK")
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(old, (two_days_ago, two_days_ago))
    # when the clean-up runs, the old one goes and the fresh one (a build in progress) stays
    assert services.clean_up()["orphan_files"] == 1
    assert not old.exists() and fresh.exists()


def test_the_clean_up_job_is_registered_with_the_scheduler():
    from personvern.scheduling.registry import JOBS

    job = JOBS["rights-cleanup"]
    assert job.task_path == "personvern.rights.tasks.clean_up_task"
    assert job.daily_at == datetime.time(3, 15)
