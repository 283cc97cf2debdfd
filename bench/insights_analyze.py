"""Wall time of `signaldesk analyze` on the standard demo export (docs/benchmarks/insights.md).

    PYTHONPATH=src .venv/bin/python bench/insights_analyze.py [--work /tmp/sd_analyze] \
        [--days 120] [--orders-per-day 400] [--seed 7]

Generates the demo files once (reused when present), runs the real console script in a
subprocess (its own temporary database) and prints the step timings it logs, the total wall
time, the children's peak RSS and the load average before and after."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/sd_analyze")
    ap.add_argument("--days", type=int, default=120)
    ap.add_argument("--orders-per-day", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    work = Path(args.work)
    demo = work / f"demo-{args.days}-{args.orders_per_day}-{args.seed}"
    cli = [sys.executable, "-m", "signaldesk.cli.main"]
    if not (demo / "zendesk_tickets.json").exists():
        subprocess.run(
            [*cli, "demo", "generate", "--days", str(args.days), "--orders-per-day",
             str(args.orders_per_day), "--seed", str(args.seed), "--out", str(demo)],
            check=True,
        )  # fmt: skip
    files = {
        "--orders": "shopify_orders.csv", "--tickets": "zendesk_tickets.json",
        "--products": "shopify_products.csv", "--customers": "shopify_customers.csv",
        "--shipments": "shipments.csv", "--returns": "returns.csv", "--reviews": "reviews.csv",
    }  # fmt: skip
    argv = [*cli, "analyze", "--out", str(work / "report")]
    for flag, name in files.items():
        argv += [flag, str(demo / name)]
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    load_after = os.getloadavg()
    print(result.stderr)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"exit {result.returncode}; wall {wall:.1f} s; peak RSS {rss:.0f} MB")
    print(f"load average before {load_before}, after {load_after}")
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
