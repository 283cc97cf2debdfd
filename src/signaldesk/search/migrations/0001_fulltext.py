"""Full-text indexes for tickets (subject, message text) and customers (name, email, identities):
FTS5 tables + triggers on SQLite, GIN expression indexes on PostgreSQL (see search/schema.py)."""

from django.db import migrations

from signaldesk.search import schema


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": schema.sqlite_forward, "postgresql": schema.pg_forward}.get(vendor)
    for sql in statements() if statements else []:
        schema_editor.execute(sql)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": schema.sqlite_backward, "postgresql": schema.pg_backward}.get(vendor)
    for sql in statements() if statements else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial"), ("commerce", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
