"""Deployment checks of the installation itself (``personvern check --deploy``, error level, so
the check fails and ``ExecStartPre`` in deploy/personvern-web.service refuses to start):

- static files not collected, or collected before an upgrade: with the manifest storage of
  production every page that names a missing file is a 500 (the sign-in page first), which
  nothing else catches before a person meets it;
- a restore that did not finish replaying the erasures made after its backup
  (``personvern.core.journal``): serving then would show people who were erased.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from . import journal

# At most this many missing names are shown in the message.
SHOWN = 3


def _found_static_paths() -> set[str]:
    paths: set[str] = set()
    for finder in finders.get_finders():
        for path, _storage in finder.list([]):
            paths.add(Path(path).as_posix())
    return paths


def _collected_paths() -> set[str] | None:
    """What ``collectstatic`` wrote: the manifest's names for a manifest storage, otherwise
    the files under STATIC_ROOT; None when nothing was collected at all."""
    root = Path(settings.STATIC_ROOT) if settings.STATIC_ROOT else None
    if root is None or not root.is_dir():
        return None
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        manifest = root / staticfiles_storage.manifest_name
        if not manifest.is_file():
            return None
        try:
            return set(json.loads(manifest.read_text(encoding="utf-8"))["paths"])
        except (ValueError, KeyError):
            return None
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:  # runserver serves them from the apps
        return []
    collected = _collected_paths()
    hint = "Run 'personvern collectstatic --noinput' (after every install or upgrade)."
    if collected is None:
        return [
            Error(
                f"Static files are not collected into STATIC_ROOT ({settings.STATIC_ROOT}): "
                "every page would fail with a server error.",
                hint=hint,
                id="core.E001",
            )
        ]
    missing = sorted(_found_static_paths() - collected)
    if not missing:
        return []
    return [
        Error(
            f"{len(missing)} static file(s) are not collected (such as "
            f"{', '.join(missing[:SHOWN])}): pages naming them would fail with a server error.",
            hint=hint,
            id="core.E002",
        )
    ]


@register(Tags.database, deploy=True)
def restore_finished(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    pending = journal.pending_restore()
    if pending is None:
        return []
    return [
        Error(
            "A restore has not finished replaying the erasures made after its backup "
            f"(taken {pending.isoformat()}): people who were erased would be shown again.",
            hint="Run 'personvern restore --replay-only' (it replays the erasure journal), or "
            "restore the backup again.",
            id="core.E003",
        )
    ]


@register(Tags.security, deploy=True)
def erasure_journal(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The journal must be out of the backup's reach, and keyed with a key of its own."""
    messages: list[CheckMessage] = []
    folder = journal.directory().resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    if folder == media or media in folder.parents:
        messages.append(
            Error(
                "PERSONVERN_ERASURE_JOURNAL_DIR is inside MEDIA_ROOT: a restore would overwrite "
                "the journal of the erasures it must replay.",
                hint="Set PERSONVERN_ERASURE_JOURNAL_DIR to a directory outside MEDIA_ROOT "
                "(such as /var/lib/personvern/erasure-journal).",
                id="core.E004",
            )
        )
    elif not journal.writable():
        messages.append(
            Error(
                f"The erasure journal's directory ({folder}) cannot be written: every erasure "
                "would be refused.",
                hint="Create PERSONVERN_ERASURE_JOURNAL_DIR, writable by the user Personvern "
                "runs as (mode 700).",
                id="core.E005",
            )
        )
    if not settings.DEBUG and not settings.PERSONVERN_ERASURE_JOURNAL_KEY:
        messages.append(
            Warning(
                "PERSONVERN_ERASURE_JOURNAL_KEY is not set: the erasure journal's hashes are "
                "keyed from the secret key, and rotating PERSONVERN_SECRET_KEY would make a "
                "restore forget the erasures made after its backup.",
                hint="Set PERSONVERN_ERASURE_JOURNAL_KEY to a long random value and never "
                "change it.",
                id="core.W001",
            )
        )
    return messages
