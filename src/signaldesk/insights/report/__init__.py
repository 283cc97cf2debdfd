"""The batch insight report (``signaldesk analyze``): data → index.html, report.md, CSVs.
Django-free: insights.analyze fills a ReportData from the database."""

from __future__ import annotations

from pathlib import Path

from signaldesk.insights.report.csvs import write_csvs
from signaldesk.insights.report.data import ReportData
from signaldesk.insights.report.html import render_html
from signaldesk.insights.report.markdown import render_markdown


def write_report(data: ReportData, out: Path) -> list[str]:
    """Write every file of the report into ``out`` (created if missing); returns their names."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(render_html(data), encoding="utf-8")
    (out / "report.md").write_text(render_markdown(data), encoding="utf-8")
    return ["index.html", "report.md", *write_csvs(data, out)]
