from pathlib import Path

import pytest

from signaldesk.triage.ml.data import ClassifierInputError, check_training_labels, read_table
from signaldesk.triage.ml.evaluate import evaluate_files


def test_utf8_bom_file(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufefftext,category\ncafé refund,refund\n".encode())
    table = read_table(path, "text", "category")
    assert table.texts == ["café refund"]
    assert table.labels == ["refund"]
    assert table.encoding == "utf-8"


def test_latin1_fallback_and_strict_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("text,category\nok,a\ncafé crème,b\n".encode("latin-1"))
    table = read_table(path, "text", "category")
    assert table.texts == ["ok", "café crème"]
    assert table.encoding == "latin-1"
    assert table.warnings == [f"{path}:3: byte 0xe9 at offset 22 is not UTF-8; read as Latin-1"]
    with pytest.raises(ClassifierInputError, match=r"latin1.csv:3: byte 0xe9 .* not valid UTF-8"):
        read_table(path, "text", "category", encoding="utf-8")


def test_binary_file_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bin.csv"
    path.write_bytes(b"text,category\nab\x00cd,x\n")
    with pytest.raises(ClassifierInputError, match=r"bin.csv:2: file contains NUL bytes"):
        read_table(path, "text", "category")


def test_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("body,category\nhello,a\n", encoding="utf-8")
    with pytest.raises(ClassifierInputError, match=r"cols.csv:1: column 'text' not found"):
        read_table(path, "text", "category")


def test_empty_text_and_label_rows_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("text,category\nhello,a\n  ,b\n\nbye,\nagain,b\n", encoding="utf-8")
    table = read_table(path, "text", "category")
    assert table.texts == ["hello", "again"]
    assert table.labels == ["a", "b"]
    assert table.line_numbers == [2, 6]
    assert table.skipped_empty_text == 1
    assert table.skipped_empty_label == 1
    assert len(table.warnings) == 2


def test_file_without_rows_and_single_class(tmp_path: Path) -> None:
    path = tmp_path / "none.csv"
    path.write_text("text,category\n,a\n", encoding="utf-8")
    with pytest.raises(ClassifierInputError, match="no rows with a non-empty 'text'"):
        read_table(path, "text", "category")
    one = tmp_path / "one.csv"
    one.write_text("text,category\nhello,a\nhi,a\n", encoding="utf-8")
    with pytest.raises(ClassifierInputError, match=r"one.csv: .*at least 2 distinct labels.*'a'"):
        check_training_labels(read_table(one, "text", "category"))


def test_evaluate_files_reports_unknown_test_labels(tmp_path: Path) -> None:
    train = tmp_path / "train.csv"
    test = tmp_path / "test.csv"
    rows = [f"refund my order {i},refund" for i in range(12)]
    rows += [f"where is parcel {i},delivery" for i in range(12)]
    train.write_text("text,category\n" + "\n".join(rows) + "\n", encoding="utf-8")
    test.write_text(
        "text,category\nrefund my order 99,refund\nwhere is parcel 99,delivery\nhello,greeting\n",
        encoding="utf-8",
    )
    result = evaluate_files(train, test, kind="tfidf")
    assert result["unknown_test_labels"] == {"greeting": 1}
    assert result["accuracy"] == pytest.approx(2 / 3)
    assert result["n_train"] == 24
    assert result["n_test"] == 3
    assert set(result["coverage_at_precision"]) == {"0.95", "0.98"}
    assert result["per_class"]["greeting"] == {"precision": 0.0, "recall": 0.0, "support": 1}
    assert "never seen in training: greeting" in result["warnings"][0]
