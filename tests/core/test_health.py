"""/healthz: the database, a live worker, a live scheduler and the mail server, 503 when any
is not well, in a small JSON without personal data."""

from __future__ import annotations

import datetime
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from personvern.core import health
from personvern.scheduling.models import SchedulerHeartbeat, WorkerHeartbeat
from personvern.scheduling.services import register_worker, scheduler_beat

pytestmark = pytest.mark.django_db

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_mail_state() -> Iterator[None]:
    health._mail_cache.clear()
    yield
    health._mail_cache.clear()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Sink:
    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        return "250 OK"


def test_all_well_is_200_with_each_state(client):
    # given a worker and a scheduler that beat just now
    register_worker(worker_id="w1")
    scheduler_beat(scheduler_id="s1")
    # when a supervisor asks
    response = client.get("/healthz")
    # then every check is ok
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "worker": "ok", "scheduler": "ok", "mail": "ok"},
    }


def test_no_worker_or_scheduler_ever_is_503_missing(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["worker"] == "missing"
    assert response.json()["checks"]["scheduler"] == "missing"


def test_a_silent_worker_is_stale(client, settings):
    # given a worker whose last heartbeat is older than the limit, and a stopped scheduler
    register_worker(worker_id="w1")
    old = timezone.now() - datetime.timedelta(
        seconds=settings.PERSONVERN_HEARTBEAT_STALE_SECONDS + 5
    )
    WorkerHeartbeat.objects.update(beat_at=old)
    scheduler_beat(scheduler_id="s1")
    SchedulerHeartbeat.objects.update(stopped_at=timezone.now())
    # then both are reported stale and the answer is 503
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "worker": "stale",
        "scheduler": "stale",
        "mail": "ok",
    }


def test_an_unreachable_smtp_server_is_503(client, settings):
    register_worker(worker_id="w1")
    scheduler_beat(scheduler_id="s1")
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nothing listens
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["mail"] == "unreachable"


def test_a_real_smtp_server_is_ok(client, settings):
    register_worker(worker_id="w1")
    scheduler_beat(scheduler_id="s1")
    port = _free_port()
    controller = Controller(_Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = SMTP
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        response = client.get("/healthz")
    finally:
        controller.stop()
    assert response.status_code == 200
    assert response.json()["checks"]["mail"] == "ok"
