"""Bitext customer-service benchmark of the contact-reason classifier (label = ``intent``).

Run: ``.venv/bin/python bench/classify_bitext.py [--models tfidf,embed,combined]``.
Prints JSON with: stratified 5-fold accuracy; few-shot accuracy (20 random examples per
intent for training, all other rows for testing, mean of 3 seeds); and a train/test
``evaluate_files`` run on a stratified 80/20 split (the same path as
``signaldesk classify eval``), with its wall time. Embeddings are computed once per run and
shared by the CV / few-shot folds (their timing is not what is measured there).
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path

from sklearn.model_selection import train_test_split

from signaldesk.triage.ml.data import read_table
from signaldesk.triage.ml.encoder import get_encoder
from signaldesk.triage.ml.evaluate import cross_validate, evaluate_files, few_shot
from signaldesk.triage.ml.features import FeatureConfig

DATA = Path("/work/shared/datasets/bitext-customer-service/bitext_customer_service_8k.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--models", default="tfidf,embed,combined")
    args = parser.parse_args()
    kinds = args.models.split(",")
    table = read_table(args.data, "text", "intent")
    assert table.labels is not None
    texts, labels = table.texts, table.labels
    start = time.perf_counter()
    emb = get_encoder(poolings=FeatureConfig().poolings).encode(texts)
    out: dict[str, object] = {
        "n": len(texts),
        "intents": len(set(labels)),
        "encode_seconds": round(time.perf_counter() - start, 1),
    }
    for kind in kinds:
        e = emb if kind != "tfidf" else None
        start = time.perf_counter()
        cv = cross_validate(texts, labels, kind=kind, folds=5, embeddings=e)  # type: ignore[arg-type]
        fs = few_shot(texts, labels, 20, kind=kind, embeddings=e)  # type: ignore[arg-type]
        out[kind] = {
            "cv5_accuracy": round(cv["accuracy"], 4),
            "cv5_fold_accuracy": [round(a, 4) for a in cv["fold_accuracy"]],
            "fewshot20_accuracy": round(fs["accuracy"], 4),
            "fewshot20_seed_accuracy": [round(a, 4) for a in fs["seed_accuracy"]],
            "seconds": round(time.perf_counter() - start, 1),
        }
        print(json.dumps({kind: out[kind]}), flush=True)

    train_idx, test_idx = train_test_split(
        range(len(texts)), test_size=0.2, stratify=labels, random_state=0
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, idx in (("train", train_idx), ("test", test_idx)):
            paths[name] = Path(tmp) / f"{name}.csv"
            with paths[name].open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(["text", "intent"])
                writer.writerows((texts[i], labels[i]) for i in idx)
        for kind in kinds:
            start = time.perf_counter()
            result = evaluate_files(paths["train"], paths["test"], "text", "intent", kind=kind)  # type: ignore[arg-type]
            result.pop("per_class")
            result["wall_seconds"] = round(time.perf_counter() - start, 1)
            out[f"split80_20_{kind}"] = result
            print(json.dumps({f"split80_20_{kind}": result}), flush=True)
    print(json.dumps({"bitext_summary": out}, indent=2))


if __name__ == "__main__":
    main()
