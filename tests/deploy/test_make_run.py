"""``make run`` as a developer runs it: the web server (on the port PORT says), the worker, the
scheduler and the demo CRM (on the port CRM_PORT says, answering with the demo's token) come
up, and Ctrl-C (SIGINT to the terminal's process group) or SIGTERM to make alone stops every
one of them, the web server's auto-reloader child included. Real processes, about half a
minute each (make run migrates and loads the demo into a fresh SQLite database)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make") or "make"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _session_members(sid: int) -> list[int]:
    """Every live process in the session (make's, started with a session of its own)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, session = fields[0], int(fields[3])
        if session == sid and state != "Z":
            members.append(int(entry.name))
    return members


def _as_a_terminal_starts_it() -> None:
    """A shell starts a job with SIGINT and SIGTERM at their defaults and none blocked; the test
    process may not have them so (a signal ignored here would be ignored by make and its
    script too, since an ignored signal survives exec)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def _healthz(port: int) -> Any:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())
    except OSError:
        return None


def _crm(port: int, token: str) -> int | None:
    """The demo CRM's status for a search with the token, or None when nothing listens."""
    call = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/contacts?per_page=1",
        headers={"Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(call, timeout=3) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return None


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    """One database for both runs: the second's migrate and demo find nothing to do."""
    return tmp_path_factory.mktemp("make-run-var")


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm-to-make"])
def test_make_run_serves_on_port_and_stops_everything(var_dir, how):
    # given make run on another port, with its own SQLite database
    port, crm_port = _free_port(), _free_port()
    venv = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv"))
    env = {
        k: v
        for k, v in os.environ.items()
        # not the caller's settings, nor the flags of a make this runs under (CI's output
        # sync would hold back the console until the recipe ends): a developer types it in a
        # shell
        if not k.startswith(("DJANGO", "PERSONVERN", "DATABASE", "MAKE", "MFLAGS"))
    }
    env.update({"PERSONVERN_VAR_DIR": str(var_dir), "PORT": str(port), "CRM_PORT": str(crm_port)})
    log = (var_dir / "make.log").open("wb")  # the console mail: letters and their links
    make = subprocess.Popen(
        [MAKE, "-s", "-o", f"{venv}/.installed", f"VENV={venv}", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own session and process group, like a terminal's job
        preexec_fn=_as_a_terminal_starts_it,
    )
    try:
        # when web, worker and scheduler are up
        deadline = time.monotonic() + 120
        health = None
        while time.monotonic() < deadline and make.poll() is None:
            health = _healthz(port)
            if health and health.get("status") == "ok":
                break
            time.sleep(0.5)
        assert health == {
            "status": "ok",
            "checks": {"database": "ok", "worker": "ok", "scheduler": "ok", "mail": "ok"},
        }
        # and the letters the demo wrote link to the port it serves on
        ports = set(
            re.findall(r"http://127\.0\.0\.1:(\d+)/portal/", (var_dir / "make.log").read_text())
        )
        assert ports == {str(port)}
        # and the demo CRM answers with the token the demo keeps in the secrets directory
        token = (var_dir / "secrets" / "demo-crm.token").read_text().strip()
        while _crm(crm_port, token) is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert (_crm(crm_port, token), _crm(crm_port, "wrong")) == (200, 401)
        # make, the script, the web server and its reloader's child, worker, scheduler, CRM
        assert len(_session_members(make.pid)) >= 6
        # and the developer stops it
        if how == "ctrl-c":
            os.killpg(make.pid, signal.SIGINT)  # what the terminal sends its foreground group
        else:
            os.kill(make.pid, signal.SIGTERM)  # to make alone
        # the script stops them hard after STOP_SECONDS (20) if a job holds the worker
        make.wait(timeout=60)
        # then nothing of it is left, and the port is free again
        deadline = time.monotonic() + 10
        while _session_members(make.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _session_members(make.pid) == []
        assert _healthz(port) is None and _crm(crm_port, token) is None
    finally:
        for pid in _session_members(make.pid):
            os.kill(pid, signal.SIGKILL)
        if make.poll() is None:
            make.kill()
            make.wait()
        log.close()
