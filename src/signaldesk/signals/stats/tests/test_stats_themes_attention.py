"""Themes on a planted 3-topic corpus and attention ordering on hand examples."""

from __future__ import annotations

import numpy as np

from signaldesk.signals.stats.attention import AttentionInput, rank_signals, score_signal
from signaldesk.signals.stats.themes import ThemeConfig, discover_themes

TOPICS = {
    "sizing": ["size", "small", "large", "fit", "tight", "sizing chart", "too small", "runs"],
    "delivery": ["parcel", "courier", "late", "delivery", "tracking", "arrived", "shipping"],
    "payment": ["card", "payment", "declined", "checkout", "charged", "refund", "discount code"],
}
FILLER = ["the", "my", "was", "is", "please", "help", "order", "today", "very", "and"]


def corpus(seed: int) -> tuple[list[str], list[int], list[str], list[str]]:
    rng = np.random.default_rng(seed)
    texts, days, sources, truth = [], [], [], []
    plan = [("sizing", 40, 50), ("delivery", 35, 20), ("payment", 30, 30)]
    for topic, n_old, n_new in plan:
        for i in range(n_old + n_new):
            words = list(rng.choice(TOPICS[topic], size=4)) + list(rng.choice(FILLER, size=3))
            rng.shuffle(words)
            texts.append(" ".join(words))
            days.append(int(rng.integers(0, 28)) if i < n_old else int(rng.integers(28, 56)))
            sources.append(str(rng.choice(["ticket", "chat", "review", "return_reason"])))
            truth.append(topic)
    return texts, days, sources, truth


def test_three_planted_topics_are_recovered() -> None:
    texts, days, sources, truth = corpus(0)
    res = discover_themes(texts, days, sources, config=ThemeConfig(k_range=(2, 6), seed=0))
    purity = [
        max(np.unique([truth[i] for i in t.member_indices], return_counts=True)[1]) / t.size
        for t in res.themes
    ]
    by_top = {t.keywords[0]: t for t in res.themes}
    sizing = next(t for t in res.themes if {"size", "small", "fit"} & set(t.keywords[:4]))
    assert res.k == 3
    assert min(purity) == 1.0
    assert sorted(t.size for t in res.themes) == [55, 60, 90]
    assert len(by_top) == 3
    assert (sizing.size, sizing.recent_count, sizing.previous_count) == (90, 50, 40)
    assert sizing.growth == 1.25
    assert sum(n for _, n in sizing.sources) == 90
    assert len(sizing.representatives) == 3


def test_themes_are_deterministic_and_accept_embeddings() -> None:
    texts, days, sources, truth = corpus(1)
    rng = np.random.default_rng(2)
    centers = {k: rng.normal(size=16) * 3 for k in TOPICS}
    emb = np.array([centers[t] + rng.normal(size=16) for t in truth])
    a = discover_themes(texts, days, sources, embeddings=emb, config=ThemeConfig(k_range=(2, 5)))
    b = discover_themes(texts, days, sources, embeddings=emb, config=ThemeConfig(k_range=(2, 5)))
    assert a.k == 3
    assert np.array_equal(a.labels, b.labels)
    assert [t.keywords for t in a.themes] == [t.keywords for t in b.themes]


def test_attention_ordering_and_contributions() -> None:
    signals = [
        AttentionInput("noise", cost=20.0, growth=1.0, customers=2, severity="info"),
        AttentionInput("costly", cost=5000.0, growth=1.2, customers=40, severity="warning"),
        AttentionInput(
            "vip-burst", cost=300.0, growth=4.0, customers=12, severity="critical", vip_share=0.5
        ),
    ]
    ranked = rank_signals(signals)
    top, costly = ranked[0], ranked[1]
    assert [r.signal_id for r in ranked] == ["vip-burst", "costly", "noise"]
    assert [r.rank for r in ranked] == [1, 2, 3]
    assert abs(sum(v for _, v in top.contributions) - top.score) < 1e-9
    assert abs(dict(costly.contributions)["cost"] - 100 * 0.35 * 5000 / 6000) < 1e-9
    assert top.explanation == "Score 55/100, mainly growth (20 pts) and severity (15 pts)."
    assert costly.explanation.startswith("Score 53/100, mainly cost (29 pts)")


def test_attention_growth_and_severity_are_monotone() -> None:
    base = AttentionInput("a", cost=100.0, growth=1.0, customers=5, severity="info")
    grown = AttentionInput("a", cost=100.0, growth=3.0, customers=5, severity="info")
    worse = AttentionInput("a", cost=100.0, growth=1.0, customers=5, severity="critical")
    shrinking = AttentionInput("a", cost=100.0, growth=0.5, customers=5, severity="info")
    assert score_signal(grown).score > score_signal(base).score
    assert score_signal(worse).score > score_signal(base).score
    assert score_signal(shrinking).score == score_signal(base).score
