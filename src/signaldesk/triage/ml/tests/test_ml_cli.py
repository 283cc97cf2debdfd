import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from signaldesk.cli.classify import app

runner = CliRunner()


def _write(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "category"])
        writer.writerows(rows)


def _rows(n: int) -> list[tuple[str, str]]:
    rows = [(f"I want a refund for order {i}", "refund") for i in range(n)]
    rows += [(f"where is my parcel number {i}", "delivery") for i in range(n)]
    rows += [(f"I cannot log in to account {i}", "account") for i in range(n)]
    return rows


def test_cli_eval_train_predict(tmp_path: Path) -> None:
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    _write(train, _rows(10))
    _write(test, [("refund for order 77", "refund"), ("parcel 5 missing", "delivery")])
    result = runner.invoke(
        app, ["eval", "--train", str(train), "--test", str(test), "--model", "tfidf"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["accuracy"] == 1.0
    assert figures["model"] == "tfidf"
    assert figures["n_test"] == 2

    model = tmp_path / "model.pkl"
    result = runner.invoke(
        app, ["train", "--train", str(train), "--out", str(model), "--model", "tfidf"]
    )
    assert result.exit_code == 0, result.output
    assert model.exists()

    out = tmp_path / "pred.csv"
    result = runner.invoke(
        app, ["predict", "--model", str(model), "--input", str(test), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "text",
        "reason",
        "confidence",
        "top2",
        "top2_confidence",
        "top3",
        "top3_confidence",
    ]
    assert [r["reason"] for r in rows] == ["refund", "delivery"]
    assert 0.0 < float(rows[0]["confidence"]) <= 1.0


def test_cli_errors_are_clear(tmp_path: Path) -> None:
    train = tmp_path / "train.csv"
    _write(train, [("only one", "a"), ("class here", "a")])
    result = runner.invoke(app, ["train", "--train", str(train), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "at least 2 distinct labels" in result.output
    result = runner.invoke(
        app, ["eval", "--train", str(train), "--test", str(train), "--label-column", "nope"]
    )
    assert result.exit_code == 1
    assert "column 'nope' not found" in result.output
    result = runner.invoke(app, ["predict", "--model", str(train), "--input", str(train)])
    assert result.exit_code == 1
    assert "not a SignalDesk classifier model" in result.output
