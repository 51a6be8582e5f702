"""Load the fideslang default data categories about users, so activities can name them."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def load(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    DataCategory = apps.get_model("processing", "DataCategory")
    for category in DEFAULT_TAXONOMY.data_category:
        if not category.fides_key.startswith("user"):
            continue
        DataCategory.objects.get_or_create(
            key=category.fides_key,
            defaults={"name": category.name or category.fides_key,
                      "description": category.description or ""},
        )


class Migration(migrations.Migration):
    dependencies = [("processing", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
