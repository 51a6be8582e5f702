"""The head of the empty chain: appends lock this row."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

GENESIS_HASH = "0" * 64


def create_head(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    LedgerHead = apps.get_model("consent", "LedgerHead")
    LedgerHead.objects.get_or_create(pk=1, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH})


class Migration(migrations.Migration):
    dependencies = [("consent", "0002_append_only_triggers")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
