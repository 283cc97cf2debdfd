import csv
from pathlib import Path

from signaldesk.insights.report import write_report
from signaldesk.insights.report.data import (
    CostRow,
    DayPoint,
    FileSummary,
    ImportProblem,
    RateRow,
    ReasonRow,
    ReportData,
    SpikeRow,
    ThemeRow,
)
from signaldesk.insights.report.svg import bar_chart

EVIL = '<script>alert("x")</script>'


def data() -> ReportData:
    return ReportData(
        title="Report",
        period_start="2026-07-01",
        period_end="2026-07-03",
        currency="EUR",
        orders=2000,
        tickets=120,
        contacts=100,
        per_1000_orders=50.0,
        cost_total=310,
        theme_window_days=28,
        scan_days=7,
        files=[FileSummary("shipments", "shipments.csv", 10, 9, 0, 0, 1, 0.2)],
        import_errors=[ImportProblem("shipments.csv", "shipments", 11, "quantity", "not a number")],
        reasons=[
            ReasonRow("fit", f"Fit {EVIL}", "product", 60, 60.0, 30.0, 300),
            ReasonRow("delivery_delay", "Delivery delay", "operations", 40, 40.0, 20.0, 10),
        ],
        rates={"carrier": [RateRow("carrier", "DPD", 40, 800, 50.0, "delivery_delay", 30)]},
        spikes=[
            SpikeRow(
                "fit × supplier=Atelier",
                "fit",
                "supplier",
                "Atelier",
                "2026-07-02",
                "2026-07-02",
                "2026-07-03",
                12,
                3.0,
                4.0,
                "critical",
                0.0001,
                EVIL,
            )
        ],
        themes=[ThemeRow(1, ("runs small", "small"), 14, 10, 0, None, "Fit", f"It {EVIL} small")],
        cost=[CostRow("fit", "DRS-1", 6, "250.00", "40.00", "10.00", "300.00")],
        daily=[
            DayPoint("2026-07-01", 30, 700),
            DayPoint("2026-07-02", 40, 650),
            DayPoint("2026-07-03", 30, 650),
        ],
        note_md=f"# Leadership insight note\n\n**In short.** {EVIL} 100 contacts.\n",
    )


def test_write_report_writes_every_file(tmp_path: Path) -> None:
    names = write_report(data(), tmp_path / "out")

    assert names == [
        "index.html", "report.md", "reasons.csv", "contact_rates.csv", "spikes.csv",
        "themes.csv", "cost.csv", "daily.csv", "import_errors.csv",
    ]  # fmt: skip
    with (tmp_path / "out" / "reasons.csv").open() as fh:
        assert list(csv.reader(fh)) == [
            ["reason", "label", "owner_team", "contacts", "share_pct", "per_1000_orders", "cost",
             "currency"],
            ["fit", f"Fit {EVIL}", "product", "60", "60.0", "30.0", "300", "EUR"],
            ["delivery_delay", "Delivery delay", "operations", "40", "40.0", "20.0", "10", "EUR"],
        ]  # fmt: skip
    assert (tmp_path / "out" / "import_errors.csv").read_text().splitlines() == [
        "file,kind,line,column,reason",
        "shipments.csv,shipments,11,quantity,not a number",
    ]


def test_the_html_escapes_every_text_from_the_data(tmp_path: Path) -> None:
    write_report(data(), tmp_path)
    html = (tmp_path / "index.html").read_text()

    assert "<script" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 5
    assert "<h1>Leadership insight note</h1>" in html
    assert html.count("<svg") == 4  # daily, reasons, carrier rate, cost


def test_the_markdown_escapes_text_and_nests_the_note(tmp_path: Path) -> None:
    write_report(data(), tmp_path)
    text = (tmp_path / "report.md").read_text()

    assert '| Fit \\<script\\>alert("x")\\</script\\> | product | 60 | 60.0 | 30.0 | 300 |' in text
    assert "## Leadership insight note" in text.splitlines()
    assert "1 row error(s) while importing (import_errors.csv)." in text


def test_bar_chart_labels_are_escaped_and_values_printed() -> None:
    svg = bar_chart(["a<b", "c"], [2.0, 1.5], title="T & U")

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 78"')
    assert "<title>T &amp; U</title>" in svg
    assert ">a&lt;b</text>" in svg
    assert [">2</text>" in svg, ">1.5</text>" in svg] == [True, True]
