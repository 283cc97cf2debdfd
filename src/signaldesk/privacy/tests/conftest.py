from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from signaldesk.privacy.tests.world import World, build_world


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return build_world()
