"""Let a privacy erasure redact personal values in earlier audit events, and nothing else.

core/migrations/0002 refuses every UPDATE and DELETE on core_auditevent. This migration keeps
DELETE refused and allows exactly one kind of UPDATE: the row keeps its id, time, actor, action
and object; its new context carries "privacy_erasure": <id of an existing ErasureRecord>; and the
old context had no such marker (so a row is redacted at most once, and a redacted row is frozen
again). Anything else still fails with 'audit log is append-only'. See docs/privacy.md."""

from django.db import migrations

ALLOWED_SQLITE = """
    json_extract(NEW.context, '$.privacy_erasure') IS NOT NULL
    AND json_extract(OLD.context, '$.privacy_erasure') IS NULL
    AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at
    AND NEW.actor_id IS OLD.actor_id AND NEW.actor_label = OLD.actor_label
    AND NEW.action = OLD.action AND NEW.object_type = OLD.object_type
    AND NEW.object_id = OLD.object_id
    AND EXISTS (SELECT 1 FROM privacy_erasurerecord r
                WHERE r.id = json_extract(NEW.context, '$.privacy_erasure'))
"""
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    f"""CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       WHEN NOT ({ALLOWED_SQLITE})
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION core_auditevent_refuse() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE'
            AND jsonb_exists(NEW.context, 'privacy_erasure')
            AND NOT jsonb_exists(OLD.context, 'privacy_erasure')
            AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at
            AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
            AND NEW.actor_label = OLD.actor_label AND NEW.action = OLD.action
            AND NEW.object_type = OLD.object_type AND NEW.object_id = OLD.object_id
            AND jsonb_typeof(NEW.context -> 'privacy_erasure') = 'number'
            AND EXISTS (SELECT 1 FROM privacy_erasurerecord r
                        WHERE r.id = (NEW.context ->> 'privacy_erasure')::bigint)
         THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
       END; $$ LANGUAGE plpgsql;""",
]
POSTGRES_BACKWARD = [
    """CREATE OR REPLACE FUNCTION core_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only' USING ERRCODE = 'integrity_constraint_violation'; END; $$ LANGUAGE plpgsql;""",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = (
        POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only"), ("privacy", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
