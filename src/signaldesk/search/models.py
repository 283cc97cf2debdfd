"""No models: search lives in database objects created by migrations (see schema.py). This module
exists so Django sends post_migrate for this app (apps.py repairs SQLite triggers)."""
