"""Banking77 benchmark of the contact-reason classifier.

Run: ``.venv/bin/python bench/classify_banking77.py [--models tfidf,embed,combined]``.
Trains on train.csv (10,003 rows) and measures on test.csv (3,080 rows); prints one JSON
object per model (per-class figures left out) and a summary. Train time includes encoding the
training texts (no embedding cache unless ``--cache`` is given); throughput and latency are
measured from raw text, encoder included.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from signaldesk.triage.ml.evaluate import evaluate_files

DATA = Path("/work/shared/datasets/banking77")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--models", default="tfidf,embed,combined")
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache (.npz)")
    args = parser.parse_args()
    summary = {}
    for kind in args.models.split(","):
        start = time.perf_counter()
        result = evaluate_files(
            args.data / "train.csv",
            args.data / "test.csv",
            "text",
            "category",
            kind=kind,  # type: ignore[arg-type]
            cache_path=args.cache,
        )
        result["wall_seconds"] = time.perf_counter() - start
        result.pop("per_class")
        print(json.dumps(result, indent=2), flush=True)
        summary[kind] = {
            "accuracy": round(result["accuracy"], 4),
            "macro_f1": round(result["macro_f1"], 4),
            "coverage@0.98": round(result["coverage_at_precision"]["0.98"], 4),
            "precision@0.98": result["coverage_detail"]["0.98"]["precision"],
            "oracle_coverage@0.98": round(result["coverage_detail"]["0.98"]["oracle_coverage"], 4),
            "coverage@0.95": round(result["coverage_at_precision"]["0.95"], 4),
            "predictions_per_second": round(result["predictions_per_second"], 1),
            "p99_ms": round(result["p99_ms"], 2),
            "train_seconds": round(result["train_seconds"], 1),
            "wall_seconds": round(result["wall_seconds"], 1),
        }
    print(json.dumps({"banking77_summary": summary}, indent=2))


if __name__ == "__main__":
    main()
