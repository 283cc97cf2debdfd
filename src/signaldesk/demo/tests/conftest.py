"""One small generation shared by the tests of this package."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from signaldesk.demo.config import DemoConfig
from signaldesk.demo.generator import Summary, generate

SMALL = DemoConfig(days=40, orders_per_day=100, seed=7)


class DemoFiles:
    def __init__(self, out: Path, summary: Summary) -> None:
        self.out = out
        self.summary = summary

    def rows(self, name: str) -> list[dict[str, str]]:
        with (self.out / name).open(newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    def header(self, name: str) -> list[str]:
        with (self.out / name).open(newline="", encoding="utf-8") as f:
            return next(csv.reader(f))

    def json(self, name: str) -> Any:
        return json.loads((self.out / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    out = tmp_path_factory.mktemp("demo")
    return DemoFiles(out, generate(SMALL, out))
