"""A worker makes ready what its first job needs when it starts (the apps' warm-ups): its
first request is then as quick as the next. A warm-up that fails never keeps it from
starting, and its log names the warm-up and the exception's class only."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.template import engines

from personvern.connectors import services as connectors
from personvern.connectors import sql
from personvern.connectors.spec import from_yaml
from personvern.demo import accounting
from personvern.scheduling import registry
from personvern.scheduling.management.commands.worker import HeartbeatWorker
from personvern.scheduling.models import WorkerHeartbeat
from tests.connectors import external as external_databases

# The worker closes its connection between jobs, as in production: no test transaction.
pytestmark = pytest.mark.django_db(transaction=True)
external = external_databases.external


def run_worker(settings: Any) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
            "ENQUEUE_ON_COMMIT": False,
        }
    }
    HeartbeatWorker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="warm", excluded_queue_names=[],
    ).run()  # fmt: skip


@pytest.mark.parametrize("external", ["postgresql"], indirect=True)
def test_a_starting_worker_opens_the_sources_and_compiles_the_letters(
    external, officer_actor, settings
):
    # given an external database in use, no engine open yet and an empty template cache
    connectors.save_dataset(
        actor=officer_actor, spec=from_yaml(accounting.dataset_yaml(external_databases.ENV))
    )
    sql.dispose_engines()
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    # when a worker starts
    run_worker(settings)
    # then the database's connection is open in the pool, ready for the first job
    (engine,) = sql._ENGINES.values()
    assert engine.pool.checkedin() == 1
    # and the letters and the access report are compiled
    cached = " ".join(str(key) for key in loader.get_template_cache)
    assert "rights/letters/package_ready.txt" in cached and "rights/report.html" in cached


def test_a_warm_up_that_fails_is_logged_by_class_and_the_worker_starts(
    settings, monkeypatch, caplog
):
    # given a warm-up that fails with a message naming a person
    def broken() -> None:
        raise RuntimeError("kari@example.com")

    monkeypatch.setitem(registry.WARM_UPS, "tests.broken", broken)
    # when a worker starts
    with caplog.at_level(logging.WARNING, logger="personvern.scheduling.worker"):
        run_worker(settings)
    # then it ran (and stopped when the queue was empty), and the log says which warm-up
    # failed and how, never the message
    assert WorkerHeartbeat.objects.get(worker_id="warm").stopped_at is not None
    assert "warm-up tests.broken failed (RuntimeError)" in caplog.text
    assert "kari@example.com" not in caplog.text
