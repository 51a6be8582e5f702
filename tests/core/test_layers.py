"""The apps' layers (docs/architecture.md) are enforced by import-linter with the contracts in
pyproject.toml. These tests run the real ``lint-imports`` over the project, and over a copy of
it with one forbidden import added, to show the contracts hold today and catch the next one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with ``project``'s pyproject.toml, finding ``project``'s own package
    first on the path (not the installed one)."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(project / "pyproject.toml")],
        cwd=project,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(project), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The package's Python modules and the contracts, in a folder of their own."""
    shutil.copytree(
        ROOT / "personvern",
        tmp_path / "personvern",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "locale", "*.md"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_project_keeps_its_contracts():
    # when the contracts are checked over the project as it is
    result = lint_imports(ROOT)
    # then every one is kept
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_copy_without_changes_keeps_them(project_copy):
    # given an untouched copy of the project, when it is checked, then it passes
    result = lint_imports(project_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "source", "broken", "named"),
    [
        # the register (low) importing the rights app (high), at the top of a module
        (
            "register/upward.py",
            "from personvern.rights.models import DataSubjectRequest\n",
            "Apps import only the apps below them",
            "personvern.register.upward -> personvern.rights.models",
        ),
        # the same import hidden inside a function counts just the same
        (
            "retention/upward.py",
            "def later() -> None:\n    from personvern.website.models import IpLogEntry\n",
            "Apps import only the apps below them",
            "personvern.retention.upward -> personvern.website.models",
        ),
        # two apps of one layer that must not know each other
        (
            "rights/sideways.py",
            "from personvern.website.services import link_request_to_person\n",
            "Requests and the website do not know each other",
            "personvern.rights.sideways -> personvern.website.services",
        ),
        # a cycle inside an app, broken by an import inside a function, as intake <-> tasks was
        (
            "rights/services/cycle.py",
            "def schedule() -> None:\n    from ..tasks import fulfil_request_task\n",
            "No import cycles between the modules of a package",
            "No cycles are allowed in personvern.rights.",
        ),
    ],
)
def test_a_forbidden_import_breaks_a_contract(project_copy, module, source, broken, named):
    # given a copy of the project with one forbidden import added
    (project_copy / "personvern" / module).write_text(source)
    # when the contracts are checked
    result = lint_imports(project_copy)
    # then the check fails, naming the contract and the import (or the cycle's package)
    assert result.returncode == 1, result.stdout + result.stderr
    report = result.stdout.split("Broken contracts", 1)[-1]
    assert broken in report
    assert named in report
