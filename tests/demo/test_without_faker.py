"""Faker is the demo's optional extra: without it the product imports and runs, and only
``personvern demo`` stops, saying how to install the extra."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Run in a fresh interpreter where ``import faker`` fails as it does when the extra is not
# installed: import every module of the product outside the demo, run Django's system checks,
# then the demo command.
SCRIPT = """
import importlib, json, pkgutil, sys

class NoFaker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "faker":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoFaker())
import django
django.setup()
import personvern
from django.core.management import call_command
from django.core.management.base import CommandError

failed = []
for module in pkgutil.walk_packages(personvern.__path__, "personvern."):
    if module.name.startswith(("personvern.demo.", "personvern.settings.")):
        continue
    try:
        importlib.import_module(module.name)
    except ModuleNotFoundError as exc:
        failed.append(f"{module.name}: {exc.name}")
call_command("check", verbosity=0)
try:
    call_command("demo")
    demo = "loaded"
except CommandError as exc:
    demo = str(exc)
print(json.dumps({"failed": failed, "demo": demo, "faker": "faker" in sys.modules}))
"""


def run_without_faker() -> dict[str, object]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "personvern.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_the_product_imports_and_checks_without_faker_and_the_demo_says_how_to_install_it():
    # given an installation without the demo extra
    # when every module outside the demo is imported, the checks run and the demo is asked for
    report = run_without_faker()

    # then nothing needed Faker, and the demo command names the extra to install
    assert report["failed"] == []
    assert report["faker"] is False
    assert "pip install 'personvern[demo]'" in str(report["demo"])
