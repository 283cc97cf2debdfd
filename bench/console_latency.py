"""Server time of the console's pages on a big database (bench/bigdb.py): queue pages, ticket
pages, search and dashboards, measured in-process with Django's test client (the whole Django
stack: middleware, session auth, views, queries, templates; no network, no gunicorn).

    SIGNALDESK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sd_bigdb \
        .venv/bin/python bench/console_latency.py --repeat 40

Prints p50/p95/p99 wall-clock milliseconds per page kind, the CPU time this Python process spent
(p50/p95: Django's share, which a busy machine does not inflate; the database's CPU is not in
it) and the number of SQL queries each page ran (the same for every ticket page means no N+1).
`--json FILE` also writes the figures."""

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


def _setup() -> None:
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


def _agent() -> Any:
    from django.contrib.auth import get_user_model

    from signaldesk.accounts.models import AgentProfile, Role

    user, created = get_user_model().objects.get_or_create(
        username="bench-agent", defaults={"email": "bench-agent@example.com"}
    )
    if created:
        user.set_password("bench-Agent-pass-1!")
        user.save()
    AgentProfile.objects.get_or_create(user=user, defaults={"role": Role.LEAD})
    return user


def plan(repeat: int) -> dict[str, list[str]]:
    """The URLs of each page kind, `repeat` of them (different tickets / queries / pages)."""
    from django.db.models import Max

    from signaldesk.commerce.models import Customer
    from signaldesk.tickets.models import Ticket

    top = int(Ticket.objects.aggregate(m=Max("id"))["m"] or 1)
    step = max(top // (repeat + 1), 1)
    tickets = [f"/tickets/{1 + k * step}/" for k in range(repeat)]
    recent = [f"/tickets/{top - k * 7}/" for k in range(repeat)]
    queues = ["/queues/now/", "/queues/unassigned/", "/queues/mine/", "/queues/team-bench-tier1/",
              "/queues/now/?page=4", "/queues/team-bench-returns/?page=2"]  # fmt: skip
    emails = list(
        Customer.objects.filter(pk__in=[1 + k * 997 for k in range(repeat)]).values_list(
            "email", flat=True
        )
    )
    words = ["damaged", "refund", "courier", "warranty", "cancel", "exchange", "charged twice",
             "discount code", "jacket", "boots arrived broken"]  # fmt: skip
    searches = [f"/search/?q={w}" for w in words]
    searches += [f"/search/?q=%23{100000 + k * 331}" for k in range(repeat // 2)]
    searches += [f"/search/?q={e}" for e in emails[: repeat // 2]]
    return {
        "queue page": [queues[k % len(queues)] for k in range(repeat)],
        "queue counts": ["/queues/counts/"] * repeat,
        "ticket page (spread)": tickets,
        "ticket page (recent)": recent,
        "search": [searches[k % len(searches)] for k in range(repeat)],
        "dashboards": _dashboards(repeat),
    }


def _dashboards(repeat: int) -> list[str]:
    try:
        from signaldesk.dashboards.audiences import AUDIENCES
    except ImportError:
        return []
    urls = ["/dashboards/", "/dashboards/tickets/"] + [f"/dashboards/{a}/" for a in AUDIENCES]
    return [urls[k % len(urls)] for k in range(repeat)]


def measure(repeat: int, warmup: int) -> dict[str, dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(_agent())
    results: dict[str, dict[str, Any]] = {}
    for kind, urls in plan(repeat).items():
        if not urls:
            continue
        for url in urls[:warmup]:
            client.get(url)
        times: list[float] = []
        cpu: list[float] = []
        queries: set[int] = set()
        statuses: dict[int, int] = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            queries.add(len(captured.captured_queries))
        results[kind] = {
            "n": len(times),
            "p50": round(statistics.median(times), 1),
            "p95": round(percentile(times, 95), 1),
            "p99": round(percentile(times, 99), 1),
            "max": round(max(times), 1),
            "python_cpu_p50": round(statistics.median(cpu), 1),
            "python_cpu_p95": round(percentile(cpu, 95), 1),
            "queries": sorted(queries),
            "statuses": statuses,
        }
        row = results[kind]
        print(
            f"{kind:22} n={row['n']:3}  p50 {row['p50']:7.1f}  p95 {row['p95']:7.1f}  "
            f"p99 {row['p99']:7.1f}  max {row['max']:7.1f} ms  (Python CPU p50 "
            f"{row['python_cpu_p50']:.1f}, p95 {row['python_cpu_p95']:.1f})  "
            f"queries {row['queries']}  statuses {statuses}",
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    _setup()
    from signaldesk.tickets.models import Ticket

    print(f"tickets: ~{Ticket.objects.order_by('-id').values_list('id', flat=True)[:1][0]:,}")
    print(f"load average before: {os.getloadavg()}")
    results = measure(args.repeat, args.warmup)
    print(f"load average after: {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
