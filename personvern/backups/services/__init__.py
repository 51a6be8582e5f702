"""Taking a backup and restoring one. Import from here."""

from .archive import BACKUP_FORMAT, BackupError, Manifest, read_manifest
from .backup import take_backup
from .restore import RestoreReport, finish_restore, restore_backup

__all__ = [
    "BACKUP_FORMAT",
    "BackupError",
    "Manifest",
    "RestoreReport",
    "finish_restore",
    "read_manifest",
    "restore_backup",
    "take_backup",
]
