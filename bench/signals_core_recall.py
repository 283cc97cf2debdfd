"""Recall / delay / false-alert bench of the spike detector, plus 50k-series scan time.

Run:  cd /work/main && PYTHONPATH=src .venv/bin/python bench/signals_core_recall.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from signaldesk.signals.stats.hierarchy import rollup_alerts
from signaldesk.signals.stats.onsets import track_incidents
from signaldesk.signals.stats.spikes import SpikeConfig, scan
from signals_core_sim import incident_key, null_panel, simulate_store


def run_recall(seed: int, cfg: SpikeConfig, scan_days: int = 60) -> dict[str, float]:
    store = simulate_store(seed)
    panel = store.panel
    days = range(panel.n_days - scan_days, panel.n_days)
    index = {k: i for i, k in enumerate(panel.keys)}
    t0 = time.perf_counter()
    by_day = {d: rollup_alerts(scan(panel, d, cfg), store.parents) for d in days}
    scan_s = time.perf_counter() - t0

    def explained_by(alert_key: object, day: int, window: int, excess: float) -> set[int]:
        s = index[alert_key]
        extra = store.extra[:, s, day - window + 1 : day + 1].sum(axis=1)
        return {k for k in range(len(store.incidents)) if extra[k] >= max(1.0, 0.3 * excess)}

    delays: dict[int, int] = {}
    for d in days:
        for a in by_day[d]:
            for k in explained_by(a.key, d, a.window_days, a.excess):
                onset = store.incidents[k].onset
                if k not in delays and d >= onset:
                    delays[k] = d - onset
    false_all = false_primary = 0
    for primary_only in (False, True):
        filtered = {d: [a for a in al if a.primary or not primary_only] for d, al in by_day.items()}
        first_alerts = {(a.key, a.as_of): a for al in filtered.values() for a in al}
        for inc in track_incidents(filtered):
            a = first_alerts[(inc.key, inc.first_alert)]
            if not explained_by(inc.key, inc.first_alert, a.window_days, a.excess):
                false_primary += primary_only
                false_all += not primary_only
    for k, inc in enumerate(store.incidents):
        own = any(a.key == incident_key(inc) for d in days for a in by_day[d])
        print(
            f"  seed {seed} {inc.name:<24} onset {inc.onset} factor {inc.factor:.1f} "
            f"delay {delays.get(k, 'MISSED')} own-segment alerted {own}"
        )
    return {
        "recall": len(delays) / len(store.incidents),
        "within2": sum(v <= 2 for v in delays.values()) / len(store.incidents),
        "max_delay": float(max(delays.values(), default=np.nan)),
        "false_all_30d": false_all * 30.0 / scan_days,
        "false_primary_30d": false_primary * 30.0 / scan_days,
        "scan_s_per_day": scan_s / scan_days,
        "n_series": float(panel.n_series),
    }


def time_scan(n_series: int, cfg: SpikeConfig, repeats: int = 3) -> float:
    panel = null_panel(n_series)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        scan(panel, panel.n_days - 1, cfg)
        best = min(best, time.perf_counter() - t0)
    return float(best)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="*", default=[7, 8, 9])
    ap.add_argument("--fdr-q", type=float, default=SpikeConfig().fdr_q)
    ap.add_argument("--timing-series", type=int, default=50_000, help="0 skips the timing")
    ap.add_argument("--windows", default="1,2", help="e.g. 1,2,7 (the app's SCAN_CONFIG)")
    args = ap.parse_args()
    windows = tuple(int(w) for w in args.windows.split(","))
    cfg = SpikeConfig(fdr_q=args.fdr_q, windows=windows)
    print(f"config: {cfg}")
    results = [run_recall(s, cfg) for s in args.seeds]
    for key in results[0]:
        vals = [r[key] for r in results]
        print(f"{key:>18}: " + "  ".join(f"{v:.3g}" for v in vals) + f"   mean {np.mean(vals):.3g}")
    for method in ("fast", "auto") if args.timing_series else ():
        secs = time_scan(args.timing_series, SpikeConfig(fdr_q=args.fdr_q, method=method))
        print(f"scan of {args.timing_series} series, method={method}: {secs:.2f} s (best of 3)")


if __name__ == "__main__":
    main()
