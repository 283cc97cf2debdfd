"""Import throughput and memory: generates Shopify orders CSVs and Zendesk tickets JSON of two
sizes, imports each into a fresh embedded SQLite database (one child process per run, so peak
RSS is per run), and prints rows/s and peak RSS. Results: docs/benchmarks/import.md.

    .venv/bin/python bench/import_throughput.py                     # full: 1M lines, 200k tickets
    .venv/bin/python bench/import_throughput.py --scale 0.1         # quick look
    .venv/bin/python bench/import_throughput.py --only zendesk-tickets
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ORDER_HEADER = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount",
    "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price",
    "Lineitem sku", "Lineitem fulfillment status", "Shipping City", "Shipping Province",
    "Shipping Country", "Refunded Amount", "Vendor", "Id", "Tags", "Source",
]  # fmt: skip


def cpu_seconds(who: int | None = None) -> float:
    """CPU time of this process (the writer) and of its finished children (the import's reader
    process), or of one of them (`resource.RUSAGE_SELF` / `RUSAGE_CHILDREN`)."""
    total = 0.0
    for which in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) if who is None else (who,):
        usage = resource.getrusage(which)
        total += usage.ru_utime + usage.ru_stime
    return total


def gen_orders(path: Path, lines: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    skus = [
        (
            f"SKU-{i:05d}",
            f"Product {i} - M / Blue",
            f"{rnd.randint(5, 120)}.{rnd.randint(0, 99):02d}",
        )
        for i in range(3000)
    ]
    cities = [("Berlin", "BE", "DE"), ("Paris", "IDF", "FR"), ("Leeds", "ENG", "GB")]
    written, number = 0, 1000
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(ORDER_HEADER)
        while written < lines:
            number += 1
            n = min(rnd.choice((1, 1, 2, 2, 3, 4)), lines - written)
            day = 1 + number % 28
            created = f"2024-03-{day:02d} {number % 24:02d}:{number % 60:02d}:00 +0100"
            city = cities[number % 3]
            for i in range(n):
                sku, name, price = skus[rnd.randrange(len(skus))]
                if i == 0:
                    out.writerow([
                        f"#{number}", f"c{rnd.randrange(lines // 6 + 1)}@example.com", "paid",
                        created, "fulfilled", created, "EUR", "99.00", "4.90", "15.00", "103.90",
                        "SPRING10" if number % 9 == 0 else "", "5.00" if number % 9 == 0 else "",
                        "Standard", created, str(rnd.randint(1, 3)), name, price, sku, "fulfilled",
                        *city, "0.00", "Acme", str(5_000_000 + number), "web", "web",
                    ])  # fmt: skip
                else:
                    out.writerow([f"#{number}", "", "", "", "", "", "", "", "", "", "", "", "", "",
                                  "", str(rnd.randint(1, 3)), name, price, sku, "fulfilled", "",
                                  "", "", "", "Acme", "", "", ""])  # fmt: skip
            written += n


def gen_zendesk(path: Path, tickets: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    requesters = max(100, tickets // 5)
    channels = ["email", "web", "chat", "api", "facebook", "whatsapp", "voice"]
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"tickets": [\n')
        for i in range(tickets):
            rid = 10_000 + rnd.randrange(requesters)
            created = f"2024-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"
            t = {
                "id": 1_000_000 + i, "created_at": created, "updated_at": created,
                "subject": f"Where is my order #{1000 + i % 50_000}?",
                "description": "Hello, my parcel has not arrived yet. Order placed last week.",
                "status": rnd.choice(["open", "pending", "solved", "closed", "hold"]),
                "priority": rnd.choice(["low", "normal", "high", None]),
                "type": rnd.choice(["question", "incident", None]),
                "tags": ["wismo", f"legacy_{i % 40}"], "via": {"channel": rnd.choice(channels)},
                "requester_id": rid, "assignee_id": 1 + i % 30, "group_id": 1 + i % 5,
                "custom_fields": [{"id": 360001, "value": f"#{1000 + i % 50_000}"}],
                "satisfaction_rating": {"score": "good", "comment": ""},
                "comments": [
                    {"id": 10 * i + 1, "author_id": rid, "public": True, "created_at": created,
                     "body": "Hello, my parcel has not arrived yet.",
                     "html_body": "<p>Hello, my parcel has not arrived yet.</p>"},
                    {"id": 10 * i + 2, "author_id": 1 + i % 30, "public": True,
                     "created_at": created, "body": "Sorry! It ships tomorrow.",
                     "html_body": "<p>Sorry! It ships tomorrow.</p>"},
                ],
            }  # fmt: skip
            fh.write(("," if i else "") + json.dumps(t) + "\n")
        fh.write('], "next_page": null, "users": [\n')
        users = [{"id": 1 + a, "name": f"Agent {a}", "email": f"agent{a}@shop.test",
                  "role": "agent"} for a in range(30)]  # fmt: skip
        users += [{"id": 10_000 + r, "name": f"Customer {r}", "email": f"c{r}@example.com",
                   "role": "end-user"} for r in range(requesters)]  # fmt: skip
        fh.write(",\n".join(json.dumps(u) for u in users))
        groups = [{"id": 1 + g, "name": f"Group {g}"} for g in range(5)]
        fh.write('], "groups": ' + json.dumps(groups) + "}\n")


def child(kind: str, size: int, workdir: Path) -> dict[str, object]:
    os.environ["SIGNALDESK_HOME"] = str(workdir)
    os.environ.pop("SIGNALDESK_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "signaldesk.config.settings.embedded"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from signaldesk.core.audit import Actor
    from signaldesk.intake.importers import run_import

    path = workdir / ("orders.csv" if kind == "shopify-orders" else "tickets.json")
    t0 = time.perf_counter()
    (gen_orders if kind == "shopify-orders" else gen_zendesk)(path, size)
    gen_seconds = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu0, writer0 = cpu_seconds(), cpu_seconds(resource.RUSAGE_SELF)
    options = {"field.order_number": "360001"} if kind == "zendesk-tickets" else {}
    report = run_import(kind=kind, path=path, actor=Actor.system("bench"), options=options)
    cpu, writer = cpu_seconds() - cpu0, cpu_seconds(resource.RUSAGE_SELF) - writer0
    cpu0 = cpu_seconds()
    rerun = run_import(kind=kind, path=path, actor=Actor.system("bench"), options=options)
    recpu = cpu_seconds() - cpu0
    return {
        "kind": kind,
        "rows": size,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "generate_s": round(gen_seconds, 1),
        "import_s": round(report.seconds, 1),
        "rows_per_s": round(report.rows_per_second),
        "import_cpu_s": round(cpu, 1),
        "import_writer_cpu_s": round(writer, 1),
        "rows_per_cpu_s": round(size / cpu),
        "counts": dict(report.counts),
        "reimport_s": round(rerun.seconds, 1),
        "reimport_rows_per_s": round(rerun.rows_per_second),
        "reimport_cpu_s": round(recpu, 1),
        "reimport_rows_per_cpu_s": round(size / recpu),
        "reimport_unchanged": rerun.counts["unchanged"],
        "peak_rss_mb_before_import": round(rss_before / 1024),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "reader_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }


def machine_load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"))
    parser.add_argument("--only", choices=("shopify-orders", "zendesk-tickets"))
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory(prefix="sd-bench-") as folder:
            print(json.dumps(child(args.child[0], int(args.child[1]), Path(folder))))
        return
    plan = [
        ("shopify-orders", 200_000),
        ("shopify-orders", 1_000_000),
        ("zendesk-tickets", 40_000),
        ("zendesk-tickets", 200_000),
    ]
    for kind, size in plan:
        if args.only and kind != args.only:
            continue
        n = max(1000, int(size * args.scale))
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(n)],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["load_avg_after"] = machine_load()
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
