"""Start Django for CLI commands that touch the database."""

from __future__ import annotations

import os


def setup_django(settings_module: str | None = None) -> None:
    if settings_module:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signaldesk.config.settings.embedded")
    import django

    django.setup()
