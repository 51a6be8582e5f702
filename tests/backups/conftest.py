from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_journal_and_media(settings, tmp_path) -> None:
    """Each test its own erasure journal and uploaded files (a restore replaces MEDIA_ROOT)."""
    settings.PERSONVERN_ERASURE_JOURNAL_DIR = tmp_path / "journal"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
