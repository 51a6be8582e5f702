"""Remove the rows Django's admin wrote to its own log before Personvern turned that log off.

Each row kept ``str(obj)`` — a person's full name — where neither erasure nor retention could
reach it; Personvern's audit log records the same actions without personal data."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def purge(apps: Any, schema_editor: Any) -> None:
    apps.get_model("admin", "LogEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_rate_counter"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(purge, migrations.RunPython.noop)]
