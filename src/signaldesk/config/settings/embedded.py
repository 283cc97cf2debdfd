"""Embedded default: one machine, SQLite under ./var, jobs in-process."""

from signaldesk.config.settings.base import *  # noqa: F403
from signaldesk.config.settings.base import SECRET_KEY as _SECRET_KEY
from signaldesk.config.settings.base import VAR_DIR, env_bool

VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("SIGNALDESK_DEBUG", False)


def _embedded_secret() -> str:
    """A per-installation secret kept in var/ so a fresh machine needs no manual step."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _SECRET_KEY or _embedded_secret()
