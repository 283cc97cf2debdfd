"""Server time of every dashboard page (index, six audiences with and without filters, a CSV
export, the metrics API and a drill-down list), measured in-process with Django's test client
(middleware, session auth, views, rollup queries, templates; no network).

    # embedded SQLite database under SIGNALDESK_HOME/var (e.g. the demo store)
    .venv/bin/python bench/dashboards_latency.py --home /path/to/home --repeat 30
    # PostgreSQL (e.g. the 1M-ticket database built by bench/bigdb.py)
    SIGNALDESK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sd_bigdb \
        .venv/bin/python bench/dashboards_latency.py --repeat 30 [--refresh]

--refresh first builds the dashboard rollups (and the signals rollups with --signals) for every
day with data; otherwise the stored rollups are read as they are. Prints p50/p95/max in ms and
the SQL query count per page; `--json FILE` writes the figures. The timings only read rollups,
so they should not grow with the number of tickets. CPU columns are the process CPU time per
request (SQLite runs in-process, so it includes the queries; on PostgreSQL the server's share is
missing): on a busy machine they show what the page costs when wall time is mostly waiting."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

AUDIENCES = ("support", "product", "operations", "ecommerce", "lifecycle", "leadership")


def _setup(home: str | None) -> None:
    if home:
        os.environ["SIGNALDESK_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signaldesk.config.settings.embedded")
    os.environ.setdefault("SIGNALDESK_SECRET_KEY", "bench-secret-" + "x" * 40)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def summary(times: list[float], cpu: list[float], queries: int) -> dict[str, float]:
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "max": max(times),
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": percentile(cpu, 95),
        "queries": queries,
    }


def _lead() -> Any:
    from django.contrib.auth import get_user_model

    from signaldesk.accounts.models import AgentProfile, Role

    user, _ = get_user_model().objects.get_or_create(
        username="bench-dashboards", defaults={"email": "bench-dashboards@example.com"}
    )
    AgentProfile.objects.update_or_create(user=user, defaults={"role": Role.LEAD})
    return user


def pages() -> dict[str, list[str]]:
    """Page kind -> URLs (each URL is requested `repeat` times in a round robin)."""
    from django.db.models import Max
    from django.utils import timezone

    from signaldesk.signals.services import local_day
    from signaldesk.tickets.models import Ticket

    last = Ticket.objects.aggregate(m=Max("created_at"))["m"]
    until = local_day(last) if last else local_day(timezone.now())
    u = f"until={until.isoformat()}"
    out: dict[str, list[str]] = {"index": ["/dashboards/"]}
    for a in AUDIENCES:
        out[a] = [f"/dashboards/{a}/?period=56d&{u}", f"/dashboards/{a}/?period=28d&{u}"]
    out["filtered"] = [
        f"/dashboards/support/?period=28d&channel=email&reason=damaged_item&{u}",
        f"/dashboards/product/?period=90d&reason=damaged_item&{u}",
        f"/dashboards/operations/?period=28d&channel=chat&{u}",
    ]
    out["csv"] = [
        f"/dashboards/support/?period=56d&{u}&format=csv&table=by_reason",
        f"/dashboards/leadership/?period=56d&{u}&format=csv&table=cost_by_sku",
    ]
    out["api"] = [f"/api/v1/metrics/dashboards/{a}?period=56d&{u}" for a in AUDIENCES]
    since = until.fromordinal(until.toordinal() - 6).isoformat()
    out["drilldown"] = [
        f"/dashboards/tickets/?metric=created&since={since}&{u}",
        f"/dashboards/tickets/?metric=contacts&reason=damaged_item&since={since}&{u}",
    ]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", default=None, help="SIGNALDESK_HOME of an embedded database")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--refresh", action="store_true", help="Build the rollups first.")
    ap.add_argument("--signals", action="store_true", help="With --refresh: signals rollups too.")
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    _setup(args.home)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if args.refresh:
        import datetime as dt

        from signaldesk.dashboards.services import dashboards_refresh, repurchase_refresh
        from signaldesk.dashboards.setup import refresh_span
        from signaldesk.signals.services import rollup_refresh

        first, last = refresh_span(all_days=True)
        if first is not None and last is not None:
            span = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
            t0 = time.perf_counter()
            if args.signals:
                rollup_refresh(days=span)
            dashboards_refresh(days=span)
            repurchase_refresh(months=span)
            print(f"refreshed {len(span)} days in {time.perf_counter() - t0:.1f} s")
    client = Client()
    client.force_login(_lead())
    plan = pages()
    for urls in plan.values():  # warm-up: templates, caches, connection
        for url in urls:
            assert client.get(url).status_code == 200, url
    results: dict[str, dict[str, float]] = {}
    every: list[float] = []
    every_cpu: list[float] = []
    for kind, urls in plan.items():
        times: list[float] = []
        cpu: list[float] = []
        queries = 0
        for k in range(args.repeat):
            url = urls[k % len(urls)]
            with CaptureQueriesContext(connection) as ctx:
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200, url
            queries = max(queries, len(ctx.captured_queries))
        every += times
        every_cpu += cpu
        results[kind] = summary(times, cpu, queries)
    results["all pages"] = summary(every, every_cpu, 0)
    print(
        f"{'page':<12} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} {'cpu p95':>8} "
        f"{'queries':>8}"
    )
    for kind, r in results.items():
        print(
            f"{kind:<12} {r['p50']:8.1f} {r['p95']:8.1f} {r['max']:8.1f} {r['cpu_p50']:8.1f} "
            f"{r['cpu_p95']:8.1f} {int(r['queries']):8d}"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
