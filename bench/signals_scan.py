"""Spike scan over a demo store, as the daily job would run it.

    signaldesk migrate && signaldesk demo setup --days 120 --orders-per-day 400 --seed 7
    signaldesk triage run --all --no-classify
    PYTHONPATH=src .venv/bin/python bench/signals_scan.py --home /path/to/SIGNALDESK_HOME \
        [--true-reasons] [--days 45]

--true-reasons writes the demo's ticket_labels.csv true reasons into tickets that have no
contact reason (bench only: demo setup does not assign reasons yet). Then: rebuild every rollup
day, scan each of the last --days days of the period in order (alerts and incidents carry over
as in production), and compare the primary alerts with ground_truth.json."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", required=True)
    ap.add_argument("--days", type=int, default=45)
    ap.add_argument("--true-reasons", action="store_true")
    ap.add_argument("--windows", default="", help="e.g. 1,2,7 (default: the scan's own)")
    ap.add_argument("--no-rollup", action="store_true", help="Reuse the stored rollups.")
    args = ap.parse_args()
    os.environ["SIGNALDESK_HOME"] = args.home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signaldesk.config.settings.embedded")
    import django

    django.setup()
    from signaldesk.core.audit import Actor
    from signaldesk.signals.models import SpikeAlert
    from signaldesk.signals.scan import SCAN_CONFIG, signals_scan
    from signaldesk.signals.services import rollup_refresh
    from signaldesk.tickets.models import Ticket

    demo = Path(args.home) / "var" / "demo"
    truth = json.loads((demo / "ground_truth.json").read_text())
    start = dt.date.fromisoformat(truth["period"]["start"])
    end = dt.date.fromisoformat(truth["period"]["end"])
    if args.true_reasons:
        source = {"zendesk": "zendesk", "tickets_csv": "csv"}
        with (demo / "ticket_labels.csv").open() as fh:
            for row in csv.DictReader(fh):
                Ticket.objects.filter(
                    external_source=source[row["source"]],
                    external_id=row["ticket_id"],
                    contact_reason="",
                ).update(contact_reason=row["true_reason"])
    print(f"tickets with a reason: {Ticket.objects.exclude(contact_reason='').count()}")

    t0 = time.perf_counter()
    days = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
    if not args.no_rollup:
        rollup_refresh(days=days)
    t_rollup = time.perf_counter() - t0
    print(f"rollup of {len(days)} days: {t_rollup:.1f} s ({t_rollup / len(days):.3f} s/day)")

    SpikeAlert.objects.all().delete()
    cfg = SCAN_CONFIG
    if args.windows:
        cfg = dataclasses.replace(cfg, windows=tuple(int(w) for w in args.windows.split(",")))
    print(f"windows {cfg.windows}")
    scan_days = days[-args.days :]
    timings, n_series = [], 0
    for day in scan_days:
        res = signals_scan(as_of=day, actor=Actor.system("bench"), config=cfg)
        timings.append(res.seconds)
        n_series = max(n_series, res.n_series)
    print(
        f"scanned {len(scan_days)} days {scan_days[0]}..{scan_days[-1]}, up to {n_series} "
        f"series; scan time median {statistics.median(timings):.2f} s, max {max(timings):.2f} s"
    )

    primary = list(SpikeAlert.objects.filter(primary=True).order_by("first_alert_day", "id"))
    allrows = list(SpikeAlert.objects.order_by("first_alert_day", "id"))
    matched: set[int] = set()
    print("\nincident | onset | first alert (delay) | matching alert")
    for inc in truth["incidents"]:
        seg = inc["segment"]
        onset = dt.date.fromisoformat(inc["onset"])
        stop = dt.date.fromisoformat(inc["end"]) + dt.timedelta(days=3)
        hits = [a for a in allrows if _matches(a.segment, seg) and onset <= a.first_alert_day]
        hits = [a for a in hits if a.first_alert_day <= stop]
        matched |= {a.id for a in hits}
        if hits:
            h = hits[0]
            delay = (h.first_alert_day - onset).days
            tag = "" if h.primary else f" (rolled into {h.rolled_into})"
            print(
                f"{inc['id']} | {onset} | {h.first_alert_day} ({delay} d) | {h.segment_label}{tag}"
            )
        else:
            print(f"{inc['id']} | {onset} | not found | -")
    false_primary = [a for a in primary if a.id not in matched]
    false_all = [a for a in allrows if a.id not in matched]
    per30 = 30.0 / len(scan_days)
    print(
        f"\nfalse alerts (deduplicated incidents not matching an injected one): "
        f"{len(false_primary)} primary = {len(false_primary) * per30:.2f} / 30 days; "
        f"{len(false_all)} incl. rolled-up = {len(false_all) * per30:.2f} / 30 days"
    )
    for a in false_primary:
        print(f"  false: {a.first_alert_day} {a.segment_label}: {a.explanation}")


def _matches(segment: dict[str, str], truth: dict[str, object]) -> bool:
    """Same reason, and every non-reason pair of the alert is part of the incident's segment."""
    if segment.get("reason") != truth.get("reason"):
        return False
    skus = truth.get("skus")
    for dim, value in segment.items():
        if dim == "reason":
            continue
        if dim == "sku" and isinstance(skus, list) and value in skus:
            continue
        if truth.get(dim) != value:
            return False
    return len(segment) > 1 or True


if __name__ == "__main__":
    main()
