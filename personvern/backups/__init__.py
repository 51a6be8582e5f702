"""Backups of the database and the uploaded files, and restores that erase again whoever was
erased after the backup (``personvern backup``, ``personvern restore``; docs/deploy.md)."""
