"""On PostgreSQL, the ledger and the published texts refuse UPDATE and DELETE."""

from django.db import migrations

from personvern.core.db import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]
    operations = [
        append_only_trigger("consent_consentevent"),
        append_only_trigger("consent_consenttext"),
    ]
