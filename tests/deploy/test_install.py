"""An installation made by following docs/deploy.md: the page's blocks marked
``<!-- install-test -->`` run as written (a fresh virtualenv, ``pip install`` of the project,
the settings file, ``migrate`` on a fresh PostgreSQL database, ``collectstatic``,
``check --deploy``), with the paths pointed at a temporary directory and the settings file
edited as an operator would (database, mail server, host). Then the systemd units' own
command lines start gunicorn, the worker and the scheduler as real processes, and ``/healthz``
must answer 200 over HTTP with every check ok, the mail server a real SMTP server (aiosmtpd).

One to two and a half minutes, most of it ``pip install`` (2.3 min on the shared 2-core
machine); the PostgreSQL pass of ``make test`` leaves it to the SQLite pass. Needs PostgreSQL
(``PG_URL`` or DATABASE_URL, else 127.0.0.1:5432 as postgres); skipped without it. Deselect
with ``-m "not deploy"``."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from aiosmtpd.controller import Controller

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
BASH = shutil.which("bash") or "/bin/bash"
MARK = "<!-- install-test -->"
UNITS = ("personvern-web", "personvern-worker", "personvern-scheduler")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_url() -> str:
    for candidate in (os.environ.get("PG_URL"), os.environ.get("DATABASE_URL")):
        if candidate and candidate.startswith("postgres"):
            return candidate
    return "postgres://postgres@127.0.0.1:5432/postgres"


def marked_blocks(text: str) -> list[str]:
    """The fenced ``sh`` blocks right after the marker, in order."""
    return re.findall(re.escape(MARK) + r"\s*```sh\n(.*?)```", text, flags=re.S)


def unit_commands(unit: str) -> dict[str, str]:
    lines = (ROOT / "deploy" / f"{unit}.service").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.startswith("Exec"))


def read_env_file(path: Path) -> dict[str, str]:
    """systemd's EnvironmentFile= format, as the units read it."""
    env = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            env[key.strip()] = value.strip()
    return env


@pytest.fixture
def database() -> Iterator[str]:
    server = _server_url()
    parts = urlsplit(server)
    name = f"pv_install_{os.getpid()}"
    admin = parts._replace(path="/postgres").geturl()
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL to install onto")
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class _Sink:
    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        return "250 OK"


@pytest.fixture
def smtp_port() -> Iterator[int]:
    port = _free_port()
    controller = Controller(_Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def _run(script: str, env: dict[str, str]) -> None:
    result = subprocess.run(
        [BASH, "-euo", "pipefail", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, f"{script}\n{result.stdout}\n{result.stderr}"


def _healthz(port: int) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_an_installation_from_the_deploy_instructions_answers_healthz(
    tmp_path, database, smtp_port
):
    # given the release copied where the instructions expect it, and their paths
    paths = {
        "PV_HOME": tmp_path / "opt",
        "PV_ETC": tmp_path / "etc",
        "PV_DATA": tmp_path / "data",
        "PV_SRC": tmp_path / "opt" / "src",
    }
    shutil.copytree(
        ROOT,
        paths["PV_SRC"],
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "var", "*_cache", "__pycache__", "*.egg-info", "build", "node_modules"
        ),
    )
    paths["PV_ETC"].mkdir()
    paths["PV_DATA"].mkdir()
    shell = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO", "PERSONVERN", "DATABASE"))
    }
    shell.update({name: str(path) for name, path in paths.items()})
    # pip does not byte-compile every installed module (Python compiles what it imports);
    # the commands stay the page's.
    shell["PIP_NO_COMPILE"] = "1"
    blocks = marked_blocks((ROOT / "docs" / "deploy.md").read_text())
    assert len(blocks) == 3, "the install, settings and database steps"
    install, settings_file, application = blocks

    # when the operator installs and writes the settings
    _run(install, shell)
    _run(settings_file, shell)
    env_file = paths["PV_ETC"] / "personvern.env"
    settings = read_env_file(env_file)
    assert all(
        settings[k] != "change-me"
        for k in (
            "PERSONVERN_SECRET_KEY",
            "PERSONVERN_SUPPRESSION_KEY",
            "PERSONVERN_ERASURE_JOURNAL_KEY",
        )
    )
    # and edits the file as step 4 says: database, mail server, (host names stay)
    edits = {
        "DATABASE_URL": database,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }
    text = env_file.read_text()
    for key, value in edits.items():
        text = re.sub(rf"^{key}=.*$", f"{key}={value}", text, flags=re.M)
    text = text.replace("/var/lib/personvern", str(paths["PV_DATA"])).replace(
        "/etc/personvern", str(paths["PV_ETC"])
    )
    env_file.write_text(text)
    # and migrates, collects the static files and checks the deployment
    _run(application, shell)

    # then the units' commands start the web server, the worker and the scheduler
    port = _free_port()

    def command(line: str) -> list[str]:
        for default, here in (
            ("/opt/personvern", str(paths["PV_HOME"])),
            ("/etc/personvern", str(paths["PV_ETC"])),
            ("/var/lib/personvern", str(paths["PV_DATA"])),
            ("127.0.0.1:8000", f"127.0.0.1:{port}"),
        ):
            line = line.replace(default, here)
        return shlex.split(line)

    service_env = {"PATH": os.environ["PATH"], **read_env_file(env_file)}
    for unit in UNITS:  # each unit's check before it starts: it must pass
        pre = command(unit_commands(unit)["ExecStartPre"])
        subprocess.run(pre, env=service_env, check=True, capture_output=True)
    processes = [
        subprocess.Popen(
            command(unit_commands(unit)["ExecStart"]),
            env=service_env,
            cwd=paths["PV_DATA"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for unit in UNITS
    ]
    try:
        # and /healthz answers 200 over HTTP once the worker and scheduler have beaten
        deadline = time.monotonic() + 60
        status, body = 0, {}
        while time.monotonic() < deadline:
            try:
                status, body = _healthz(port)
            except (OSError, ValueError):
                status = 0
            if status == 200:
                break
            assert all(p.poll() is None for p in processes), "a service exited"
            time.sleep(0.5)
        assert status == 200, body
        assert body == {
            "status": "ok",
            "checks": {"database": "ok", "worker": "ok", "scheduler": "ok", "mail": "ok"},
        }
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
