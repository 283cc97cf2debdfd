"""Inference speed of the contact-reason classifier on Banking77 (per model kind).

Run: ``.venv/bin/python bench/classify_speed.py [--models tfidf,combined]``.
Trains each kind once on train.csv without calibration folds (speed does not depend on
calibration), then measures batch throughput over test.csv (3,080 texts, from raw text,
encoder included) and single-ticket latency (p50/p99 over 300 texts, one call each).
Prints the 1-minute load average before and after, since other processes skew timings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

from signaldesk.triage.ml.classifier import ReasonClassifier
from signaldesk.triage.ml.data import read_table
from signaldesk.triage.ml.metrics import latency_ms, percentile

DATA = Path("/work/shared/datasets/banking77")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--models", default="tfidf,combined")
    parser.add_argument("--latency-samples", type=int, default=300)
    args = parser.parse_args()
    train = read_table(args.data / "train.csv", "text", "category")
    test = read_table(args.data / "test.csv", "text", "category")
    assert train.labels is not None
    out: dict[str, object] = {"load_before": os.getloadavg()[0]}
    for kind in args.models.split(","):
        model = ReasonClassifier(kind=kind, calibration_folds=0)  # type: ignore[arg-type]
        model.fit(train.texts, train.labels)
        model.predict(test.texts[:64])  # warm-up
        wall, cpu = time.perf_counter(), time.process_time()
        model.predict(test.texts)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        sample = list(test.texts)
        random.Random(0).shuffle(sample)
        lat = latency_ms(model.predict_one, sample[: args.latency_samples])
        out[kind] = {
            "predictions_per_second": round(len(test.texts) / wall, 1),
            "batch_cpu_seconds": round(cpu, 2),
            "p50_ms": round(percentile(lat, 50), 2),
            "p99_ms": round(percentile(lat, 99), 2),
        }
        print(json.dumps({kind: out[kind]}), flush=True)
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps({"speed": out}, indent=2))


if __name__ == "__main__":
    main()
