"""``signaldesk classify``: train, evaluate and apply the contact-reason classifier.

Needs no Django. ``predict`` writes a CSV with the columns
``text, reason, confidence, top2, top2_confidence, top3, top3_confidence``
(``reason``/``confidence`` are the top prediction; ``topN`` columns are empty when the model
knows fewer than N reasons; confidences are calibrated probabilities rounded to 4 places).
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from signaldesk.triage.ml.classifier import DEFAULT_KIND, ReasonClassifier
from signaldesk.triage.ml.data import ClassifierInputError, check_training_labels, read_table
from signaldesk.triage.ml.features import MODEL_KINDS

app = typer.Typer(
    help="Train, evaluate and apply the contact-reason classifier (no Django needed).",
    no_args_is_help=True,
)
err = Console(stderr=True, soft_wrap=True)

TextColumn = Annotated[str, typer.Option("--text-column", help="Column holding ticket text.")]
LabelColumn = Annotated[str, typer.Option("--label-column", help="Column holding the reason.")]
ModelOpt = Annotated[str, typer.Option("--model", help=f"Model kind: {', '.join(MODEL_KINDS)}.")]


def _check_kind(kind: str) -> None:
    if kind not in MODEL_KINDS:
        err.print(f"[red]error:[/red] unknown model {kind!r}; choose {', '.join(MODEL_KINDS)}")
        raise typer.Exit(2)


def _fail(exc: Exception) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}", highlight=False)
    return typer.Exit(1)


@app.command("eval")
def eval_cmd(
    train: Annotated[Path, typer.Option("--train", help="Labelled training CSV.")],
    test: Annotated[Path, typer.Option("--test", help="Labelled test CSV.")],
    text_column: TextColumn = "text",
    label_column: LabelColumn = "category",
    model: ModelOpt = DEFAULT_KIND,
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Optional .npz embedding cache (train).")
    ] = None,
) -> None:
    """Train on TRAIN, evaluate on TEST and print the figures as one JSON object."""
    from signaldesk.triage.ml.evaluate import evaluate_files

    _check_kind(model)
    with err.status("evaluating…") as status:
        try:
            result = evaluate_files(
                train,
                test,
                text_column,
                label_column,
                kind=model,  # type: ignore[arg-type]
                cache_path=cache,
                progress=lambda msg: status.update(msg),
            )
        except ClassifierInputError as exc:
            raise _fail(exc) from exc
    for warning in result.get("warnings", []):
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    typer.echo(json.dumps(result, indent=2, sort_keys=False))


@app.command("train")
def train_cmd(
    train: Annotated[Path, typer.Option("--train", help="Labelled training CSV.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model file.")],
    text_column: TextColumn = "text",
    label_column: LabelColumn = "category",
    model: ModelOpt = DEFAULT_KIND,
) -> None:
    """Train a model on a labelled CSV and save it."""
    _check_kind(model)
    try:
        table = read_table(train, text_column, label_column)
        check_training_labels(table)
    except ClassifierInputError as exc:
        raise _fail(exc) from exc
    for warning in table.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    assert table.labels is not None
    start = time.perf_counter()
    with err.status(f"training {model} model on {len(table.texts)} texts…"):
        clf = ReasonClassifier(kind=model)  # type: ignore[arg-type]
        clf.fit(table.texts, table.labels)
        clf.save(out)
    err.print(
        f"saved {model} model ({len(clf.classes_)} reasons, {len(table.texts)} texts, "
        f"CV accuracy {clf.cv_accuracy if clf.cv_accuracy is not None else 'n/a'}) "
        f"to {out} in {time.perf_counter() - start:.1f}s",
        highlight=False,
    )


@app.command("predict")
def predict_cmd(
    model: Annotated[Path, typer.Option("--model", help="Model file written by `train`.")],
    input: Annotated[Path, typer.Option("--input", help="CSV with a text column.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Output CSV (default: standard output).")
    ] = None,
    text_column: TextColumn = "text",
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 512,
) -> None:
    """Classify every row of INPUT and write text, reason, confidence and top-3 to a CSV."""
    try:
        clf = ReasonClassifier.load(model)
        table = read_table(input, text_column)
    except ClassifierInputError as exc:
        raise _fail(exc) from exc
    for warning in table.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    header = ["text", "reason", "confidence", "top2", "top2_confidence"]
    header += ["top3", "top3_confidence"]
    fh = out.open("w", encoding="utf-8", newline="") if out is not None else sys.stdout
    try:
        writer = csv.writer(fh)
        writer.writerow(header)
        from rich.progress import Progress

        with Progress(console=err, transient=True, disable=out is None) as progress:
            task = progress.add_task("classifying", total=len(table.texts))
            for start in range(0, len(table.texts), batch_size):
                chunk = table.texts[start : start + batch_size]
                for text, pred in zip(chunk, clf.predict(chunk), strict=True):
                    row: list[str] = [text]
                    for i in range(3):
                        if i < len(pred.top3):
                            row += [pred.top3[i][0], f"{pred.top3[i][1]:.4f}"]
                        else:
                            row += ["", ""]
                    writer.writerow(row)
                progress.advance(task, len(chunk))
    finally:
        if out is not None:
            fh.close()
    if out is not None:
        err.print(f"wrote {len(table.texts)} predictions to {out}", highlight=False)


if __name__ == "__main__":
    app()
