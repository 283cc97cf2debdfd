"""Triage throughput and latency on the current database (fill it with `signaldesk demo setup`).

    SIGNALDESK_HOME=/path .venv/bin/python bench/triage_batch.py batch [--limit N]
    SIGNALDESK_HOME=/path .venv/bin/python bench/triage_batch.py latency [--samples 300]

batch: text cores alone (clean → language → sentiment → risks → entities + products), then the
full `ticket_triage_many` (text + set-based enrichment join + upserts + audit), classifier off.
latency: `ticket_triage` for one ticket at a time (a new message arriving), classifier off;
reports p50/p95/p99 in ms. Both write to the database: run them on a copy.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from signaldesk.cli.django_setup import setup_django


def _ids(limit: int | None) -> list[int]:
    from signaldesk.triage.selectors import ticket_ids_for_triage

    ids = ticket_ids_for_triage()
    return ids[:limit] if limit else ids


def batch(limit: int | None, chunk_size: int) -> None:
    from signaldesk.core.audit import Actor
    from signaldesk.triage.enrichment.catalog import catalog_current
    from signaldesk.triage.enrichment.load import load_tickets
    from signaldesk.triage.enrichment.text import analyze_text, segments_for
    from signaldesk.triage.services import ticket_triage_many

    ids = _ids(limit)
    catalog = catalog_current()
    analyze_text(segments_for("warm up", [(0, "Order #1001 is late, thanks")]), catalog.catalog)
    rows = load_tickets(ids)
    chars = sum(len(body) for r in rows for _, body in r.messages)
    started = time.perf_counter()
    for r in rows:
        analyze_text(segments_for(r.ticket.subject, r.messages), catalog.catalog)
    text_s = time.perf_counter() - started
    summary = ticket_triage_many(
        ticket_ids=ids, actor=Actor.system("bench"), classify=False, chunk_size=chunk_size
    )
    print(f"tickets: {len(ids)}  messages: {sum(len(r.messages) for r in rows)}  chars: {chars}")
    print(f"text cores only:   {text_s:7.2f} s  {len(ids) / text_s:8.0f} tickets/s")
    print(
        f"full batch triage: {summary.seconds:7.2f} s  {summary.tickets / summary.seconds:8.0f}"
        f" tickets/s  (changed {summary.changed}, by order match {summary.by_order_match})"
    )


def latency(samples: int) -> None:
    from signaldesk.core.audit import Actor
    from signaldesk.triage.services import ticket_triage

    ids = _ids(None)
    random.seed(7)
    picked = random.sample(ids, min(samples, len(ids)))
    actor = Actor.system("bench")
    ticket_triage(ticket_id=picked[0], actor=actor, classify=False)  # warm caches and models
    times: list[float] = []
    for ticket_id in picked:
        started = time.perf_counter()
        ticket_triage(ticket_id=ticket_id, actor=actor, classify=False)
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=100)
    print(
        f"single-ticket triage, {len(times)} tickets: p50 {cuts[49]:.1f} ms  "
        f"p95 {cuts[94]:.1f} ms  p99 {cuts[98]:.1f} ms  max {max(times):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    b = sub.add_parser("batch")
    b.add_argument("--limit", type=int, default=None)
    b.add_argument("--chunk-size", type=int, default=1000)
    lat = sub.add_parser("latency")
    lat.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    setup_django()
    if args.mode == "batch":
        batch(args.limit, args.chunk_size)
    else:
        latency(args.samples)


if __name__ == "__main__":
    main()
