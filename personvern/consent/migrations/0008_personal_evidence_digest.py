"""The personal evidence (masked IP address, browser) is chained through a salted digest, so the
retention rule for consent evidence can remove it and the chain still verifies.

Events already in the ledger keep an empty digest: their hashes cover their whole evidence
inline and are verified exactly as before, so an existing chain verifies after this migration.
On PostgreSQL the ledger's append-only trigger now lets one update through: removing the
personal keys of the evidence together with the salt, nothing else."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FUNCTION = "consent_consentevent_append_only"

REFUSE = """
        RAISE EXCEPTION USING
            MESSAGE = 'consent_consentevent is append-only: ' || TG_OP || ' refused',
            ERRCODE = 'insufficient_privilege';"""

ALLOW_REMOVAL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.personal_salt <> '' AND NEW.personal_salt = ''
        AND NEW.evidence = (OLD.evidence - 'masked_ip' - 'user_agent')
        AND (NEW.sequence, NEW.person_id, NEW.visitor_id, NEW.purpose_id, NEW.channel,
             NEW.action, NEW.method, NEW.text_id, NEW.occurred_at, NEW.actor_label,
             NEW.prev_hash, NEW.hash, NEW.personal_sha256)
            IS NOT DISTINCT FROM
            (OLD.sequence, OLD.person_id, OLD.visitor_id, OLD.purpose_id, OLD.channel,
             OLD.action, OLD.method, OLD.text_id, OLD.occurred_at, OLD.actor_label,
             OLD.prev_hash, OLD.hash, OLD.personal_sha256)
    THEN
        RETURN NEW;
    END IF;{REFUSE}
END;
$$ LANGUAGE plpgsql;
"""

REFUSE_ALL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN{REFUSE}
END;
$$ LANGUAGE plpgsql;
"""


def _forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_REMOVAL)


def _backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_ALL)


class Migration(migrations.Migration):
    dependencies = [("consent", "0007_reservationimport")]

    operations = [
        migrations.AddField(
            model_name="consentevent",
            name="personal_sha256",
            field=models.CharField(
                blank=True,
                db_default="",
                max_length=64,
                verbose_name="digest of the personal evidence",
            ),
        ),
        migrations.AddField(
            model_name="consentevent",
            name="personal_salt",
            field=models.CharField(
                blank=True,
                db_default="",
                help_text="Empty once the personal evidence is removed, or when there was none.",
                max_length=32,
                verbose_name="salt of the personal evidence",
            ),
        ),
        migrations.RunPython(_forwards, _backwards),
    ]
