"""Triage throughput and latency on the current database (fill it with `signaldesk demo setup`).

    SIGNALDESK_HOME=/path .venv/bin/python bench/triage_batch.py batch [--limit N] [--workers W]
    SIGNALDESK_HOME=/path .venv/bin/python bench/triage_batch.py latency [--samples 300]

batch: the text cores alone (clean → language → sentiment → risks → entities + products, one
process), then the full `ticket_triage_many` WITH the classifier (text stage in W forked workers,
default 2; set-based enrichment join, vectorised classification, upserts, audit), then the rules
engine over the batch's compact facts (`iter_facts` + `evaluate`, read-only: applying an outcome
is workflow's job and is measured per ticket by `latency`).
latency: a new message arriving, one ticket at a time: `ticket_triage` (classifier on) then
`rules_apply`; reports p50/p95/p99 in ms for triage alone and for triage + rules.
Every figure comes with wall time, CPU time (this process plus the pool workers) and the load
average. Both modes write to the database: run them on a copy.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import time

from signaldesk.cli.django_setup import setup_django


def _ids(limit: int | None) -> list[int]:
    from signaldesk.triage.selectors import ticket_ids_for_triage

    ids = ticket_ids_for_triage()
    return ids[:limit] if limit else ids


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f}"


def _line(label: str, n: int, wall: float, cpu: float) -> None:
    print(
        f"{label:<34} {wall:7.2f} s wall {n / wall:8.0f} tickets/s  "
        f"{1000 * wall / n:6.3f} ms/ticket wall  {1000 * cpu / n:6.3f} ms/ticket CPU  ({_load()})"
    )


def batch(limit: int | None, chunk_size: int, workers: int, classify: bool) -> None:
    from signaldesk.core.audit import Actor
    from signaldesk.triage.enrichment.catalog import catalog_current
    from signaldesk.triage.enrichment.load import load_tickets
    from signaldesk.triage.enrichment.text import (
        analyze_text,
        segment_cache_clear,
        segments_for,
    )
    from signaldesk.triage.learning.registry import active_model
    from signaldesk.triage.services import ticket_triage_many
    from signaldesk.workflow.rules.engine import evaluate
    from signaldesk.workflow.rules.facts import iter_facts
    from signaldesk.workflow.rules.services import active_rules

    print(f"before: {_load()}")
    ids = _ids(limit)
    catalog = catalog_current()
    analyze_text(segments_for("warm up", [(0, "Order #1001 is late, thanks")]), catalog.catalog)
    loaded = active_model()  # load the model once, as a long-running process would have
    print(f"classifier: {f'v{loaded.version}' if loaded else 'none'}  classify={classify}")
    rows = load_tickets(ids)
    chars = sum(len(body) for r in rows for _, body in r.messages)
    print(f"tickets: {len(ids)}  messages: {sum(len(r.messages) for r in rows)}  chars: {chars}")
    segment_cache_clear()
    wall, cpu = time.perf_counter(), _cpu()
    for r in rows:
        analyze_text(segments_for(r.ticket.subject, r.messages), catalog.catalog)
    _line("text cores only (1 process)", len(ids), time.perf_counter() - wall, _cpu() - cpu)

    segment_cache_clear()  # the batch starts cold, as a fresh import process would
    wall, cpu = time.perf_counter(), _cpu()
    summary = ticket_triage_many(
        ticket_ids=ids,
        actor=Actor.system("bench"),
        classify=classify,
        chunk_size=chunk_size,
        workers=workers,
    )
    _line(f"full batch triage ({workers} workers)", summary.tickets, summary.seconds, _cpu() - cpu)
    print(f"  changed {summary.changed}, by order match {summary.by_order_match}")

    active = active_rules()
    if active is None:
        print("rules: no active rule set")
        return
    wall, cpu = time.perf_counter(), _cpu()
    fired = 0
    for chunk in iter_facts(ids):
        for facts in chunk.values():
            fired += bool(evaluate(active.rules, facts).fired)
    _line("rules: facts + evaluate", len(ids), time.perf_counter() - wall, _cpu() - cpu)
    print(f"  rule set v{active.version}: {len(active.rules)} rules, {fired} tickets fired")


def _cuts(times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=100)
    return (
        f"p50 {cuts[49]:.1f} ms  p95 {cuts[94]:.1f} ms  p99 {cuts[98]:.1f} ms  "
        f"max {max(times):.1f} ms"
    )


def latency(samples: int, classify: bool) -> None:
    from signaldesk.core.audit import Actor
    from signaldesk.triage.services import ticket_triage
    from signaldesk.workflow.rules.services import rules_apply

    print(f"before: {_load()}")
    ids = _ids(None)
    random.seed(7)
    picked = random.sample(ids, min(samples, len(ids)))
    actor = Actor.system("bench")
    ticket_triage(ticket_id=picked[0], actor=actor, classify=classify)  # warm caches and models
    rules_apply(ticket_id=picked[0])
    triage_ms: list[float] = []
    total_ms: list[float] = []
    cpu = _cpu()
    for ticket_id in picked:
        started = time.perf_counter()
        ticket_triage(ticket_id=ticket_id, actor=actor, classify=classify)
        triaged = time.perf_counter()
        rules_apply(ticket_id=ticket_id)
        done = time.perf_counter()
        triage_ms.append((triaged - started) * 1000)
        total_ms.append((done - started) * 1000)
    cpu_ms = 1000 * (_cpu() - cpu) / len(picked)
    print(f"{len(picked)} tickets, classify={classify}, CPU {cpu_ms:.2f} ms/ticket ({_load()})")
    print(f"  triage:         {_cuts(triage_ms)}")
    print(f"  triage + rules: {_cuts(total_ms)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    b = sub.add_parser("batch")
    b.add_argument("--limit", type=int, default=None)
    b.add_argument("--chunk-size", type=int, default=1000)
    b.add_argument("--workers", type=int, default=2)
    b.add_argument("--no-classify", action="store_true")
    lat = sub.add_parser("latency")
    lat.add_argument("--samples", type=int, default=300)
    lat.add_argument("--no-classify", action="store_true")
    args = parser.parse_args()
    setup_django()
    if args.mode == "batch":
        batch(args.limit, args.chunk_size, args.workers, not args.no_classify)
    else:
        latency(args.samples, not args.no_classify)


if __name__ == "__main__":
    main()
