"""`signaldesk analyze` end to end: the real console script in a subprocess (its own Django and
temporary database) on small demo exports, with one broken shipments row."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from signaldesk.demo.config import DemoConfig
from signaldesk.demo.generator import generate

BROKEN = "#10001,TRK-BROKEN,DHL,Standard,AMS1-Amsterdam,West,shipped,yesterday,,,NOPE,,two\n"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SIGNALDESK_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SIGNALDESK_HOME")
    }
    return subprocess.run(
        [sys.executable, "-m", "signaldesk.cli.main", "analyze", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    src = tmp_path_factory.mktemp("exports")
    generate(DemoConfig(days=35, orders_per_day=15, seed=11, start=dt.date(2026, 7, 1)), src)
    with (src / "shipments.csv").open("a", encoding="utf-8") as fh:
        fh.write(BROKEN)
    work = tmp_path_factory.mktemp("work")
    result = _run(
        ["--orders", str(src / "shopify_orders.csv"),
         "--tickets", str(src / "zendesk_tickets.json"),
         "--products", str(src / "shopify_products.csv"),
         "--shipments", str(src / "shipments.csv"),
         "--returns", str(src / "returns.csv"),
         "--scan-days", "7",
         "--out", "report"],
        work,
    )  # fmt: skip
    return src, work, result


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_analyze_writes_the_whole_report(
    run: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    src, work, result = run
    out = work / "report"
    tickets = len(json.loads((src / "zendesk_tickets.json").read_text())["tickets"])

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == f"{Path('report') / 'index.html'}\n"
    assert sorted(p.name for p in out.iterdir()) == [
        "contact_rates.csv", "cost.csv", "daily.csv", "import_errors.csv", "index.html",
        "reasons.csv", "report.md", "spikes.csv", "themes.csv",
    ]  # fmt: skip
    reasons = _rows(out / "reasons.csv")
    daily = _rows(out / "daily.csv")
    assert list(reasons[0]) == [
        "reason", "label", "owner_team", "contacts", "share_pct", "per_1000_orders", "cost",
        "currency",
    ]  # fmt: skip
    assert sum(int(r["contacts"]) for r in reasons) == tickets
    assert sum(int(d["contacts"]) for d in daily) == tickets
    assert (daily[0]["day"], daily[-1]["day"], len(daily)) == ("2026-07-01", "2026-08-04", 35)
    # no ticket of this small store came from a campaign order: no campaign rows
    assert {r["dimension"] for r in _rows(out / "contact_rates.csv")} == {
        "sku",
        "carrier",
        "region",
    }
    assert (out / "spikes.csv").read_text().splitlines()[0] == (
        "segment,reason,dimension,value,onset,first_alert_day,last_alert_day,observed,expected,"
        "ratio,severity,q_value,explanation"
    )
    # the install's own var/ (under the working directory) was never created
    assert not (work / "var").exists()


def test_the_broken_row_is_listed_in_import_errors(
    run: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    src, work, _ = run
    line = len((src / "shipments.csv").read_text().splitlines())

    errors = _rows(work / "report" / "import_errors.csv")

    assert [(e["file"], e["kind"], e["line"]) for e in errors] == [
        ("shipments.csv", "shipments", str(line))
    ]
    assert errors[0]["reason"] != ""


def test_the_html_is_self_contained_and_the_markdown_has_every_section(
    run: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    _, work, _ = run
    html = (work / "report" / "index.html").read_text()
    md = (work / "report" / "report.md").read_text()

    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert html.count("<svg") >= 3
    assert [line for line in md.splitlines() if line.startswith("## ")] == [
        "## Contact reasons",
        "## Contact rate per 1,000 orders",
        "## Spikes (scan of the last 7 days)",
        "## Themes (last 28 days against the ones before)",
        "## Cost of issues (top 25 reason × SKU; all rows in cost.csv)",
        "## Weekly note (leadership)",
        "## Leadership insight note — week of 27 Jul 2026",
        "## Data",
    ]


def test_a_missing_file_is_refused_before_anything_starts(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text('{"tickets": []}')

    result = _run(["--orders", "nope.csv", "--tickets", "t.json", "--out", "r"], tmp_path)

    assert result.returncode == 2
    assert "error: --orders nope.csv: no such file" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.json"]
