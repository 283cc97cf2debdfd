"""Self-service answers: relevance on the labelled set and the cost of one answer and of the gap
report, over the shipped knowledge articles (no database: the articles are parsed from disk).

    .venv/bin/python bench/selfservice_answers.py [--queries 5000] [--gap-questions 2000]

Prints hit@1 / hit@3 on knowledge/tests/labelled_questions.py, article-search latency
(p50/p95/p99 over --queries searches cycling through the labelled questions), and the time of
find_gaps over --gap-questions weak questions (the labelled questions with small word changes)."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from signaldesk.cli.django_setup import setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=5000)
    parser.add_argument("--gap-questions", type=int, default=2000)
    args = parser.parse_args()
    setup_django()
    from signaldesk.knowledge.gaps import AskedQuestion, find_gaps
    from signaldesk.knowledge.retrieval import PassageIndex, passages_of
    from signaldesk.knowledge.services import ARTICLES_DIR, parse_article
    from signaldesk.knowledge.tests.labelled_questions import LABELLED

    passages = []
    for path in sorted(ARTICLES_DIR.glob("*.md")):
        doc = parse_article(path.read_text(encoding="utf-8"), source=path.name)
        passages += passages_of(
            slug=doc.slug, title=doc.title, body=doc.body, reason_ids=doc.reason_ids
        )
    index = PassageIndex(passages)
    ranked = [[h.slug for h in index.search_articles(q, k=3)] for q, _ in LABELLED]
    hit1 = sum(r[:1] == [want] for r, (_, want) in zip(ranked, LABELLED, strict=True))
    hit3 = sum(want in r for r, (_, want) in zip(ranked, LABELLED, strict=True))
    print(f"articles {len(list(ARTICLES_DIR.glob('*.md')))}, passages {len(passages)}")
    n = len(LABELLED)
    print(f"hit@1 {hit1}/{n} = {hit1 / n:.2f}; hit@3 {hit3}/{n} = {hit3 / n:.2f}")

    times = []
    for i in range(args.queries):
        question = LABELLED[i % len(LABELLED)][0]
        start = time.perf_counter()
        index.search_articles(question, k=3)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    q = statistics.quantiles(times, n=100)
    print(
        f"article search: {args.queries} queries, "
        f"p50 {q[49]:.3f} ms, p95 {q[94]:.3f} ms, p99 {q[98]:.3f} ms"
    )

    rng = random.Random(7)
    fillers = ["please", "hi", "urgent", "thanks", "again", "today", "now"]
    asked = [
        AskedQuestion(f"{LABELLED[i % len(LABELLED)][0]} {rng.choice(fillers)}", 0.5)
        for i in range(args.gap_questions)
    ]
    start = time.perf_counter()
    gaps = find_gaps(asked)
    took = time.perf_counter() - start
    print(f"find_gaps: {len(asked)} weak questions -> {len(gaps)} gaps in {took:.2f} s")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
