"""QA config, deterministic sampling, rubric validation and aggregation (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from signaldesk.quality.rubric import (
    QualityConfig,
    ResultRow,
    ReviewRow,
    aggregate_reviews,
    quality_config,
    rubric_mean,
    rubric_validate,
    sample_pick,
    sample_size,
    week_start,
)

IDS = list(range(1, 21))


def test_shipped_config() -> None:
    config = quality_config()

    assert (config.share, config.low_score_below, config.rubric_version) == (0.1, 60, "1")
    assert config.criterion_ids == (
        "accuracy",
        "policy",
        "resolution",
        "empathy",
        "personalisation",
    )


def test_config_refuses_a_share_outside_0_1() -> None:
    with pytest.raises(ValueError, match="share"):
        QualityConfig.from_mapping(
            {"sampling": {"share": 1.5}, "rubric": {"criteria": [{"id": "a"}]}}
        )


def test_sample_size_is_the_ceiling_of_the_share() -> None:
    assert [sample_size(n, 0.1) for n in (0, 1, 10, 11, 20, 21)] == [0, 1, 1, 2, 2, 3]


def test_sampling_is_deterministic_for_a_seed() -> None:
    first = sample_pick(candidates=IDS, total=20, already=0, share=0.1, seed="s1")

    assert first == [2, 6]
    assert sample_pick(
        candidates=list(reversed(IDS)), total=20, already=0, share=0.1, seed="s1"
    ) == [2, 6]
    assert sample_pick(candidates=IDS, total=20, already=0, share=0.1, seed="s2") == [2, 3]


def test_sampling_tops_up_to_the_share_only() -> None:
    assert sample_pick(candidates=IDS, total=21, already=1, share=0.1, seed="s1") == [2, 6]
    assert sample_pick(candidates=IDS, total=20, already=2, share=0.1, seed="s1") == []
    assert sample_pick(candidates=[], total=20, already=0, share=0.1, seed="s1") == []


def test_week_start_is_monday() -> None:
    assert week_start(dt.datetime(2026, 11, 22, 23, 0, tzinfo=dt.UTC)) == dt.date(2026, 11, 16)
    assert week_start(dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)


def test_rubric_needs_every_criterion_from_1_to_5() -> None:
    criteria = ("accuracy", "policy")

    assert rubric_validate({"accuracy": "4", "policy": 5}, criteria) == {"accuracy": 4, "policy": 5}
    with pytest.raises(ValueError, match="Score policy from 1 to 5"):
        rubric_validate({"accuracy": 4}, criteria)
    with pytest.raises(ValueError, match="Score accuracy from 1 to 5"):
        rubric_validate({"accuracy": 6, "policy": 1}, criteria)
    with pytest.raises(ValueError, match="Score accuracy from 1 to 5"):
        rubric_validate({"accuracy": "3.5", "policy": 1}, criteria)
    with pytest.raises(ValueError, match="Unknown criteria: speed"):
        rubric_validate({"accuracy": 4, "policy": 4, "speed": 1}, criteria)
    assert rubric_mean({"accuracy": 4, "policy": 5, "x": 5}) == 4.6667


def test_aggregation_by_key_against_hand_computed_means() -> None:
    rows = [
        ReviewRow("ana", {"accuracy": 4, "policy": 5}, 80),
        ReviewRow("bob", {"accuracy": 5, "policy": 4}, 90),
        ReviewRow("ana", {"accuracy": 2, "policy": 3}, 61),
    ]

    assert aggregate_reviews(rows, ("accuracy", "policy")) == [
        # ana: review means 4.5 and 2.5 → 3.5; accuracy (4+2)/2; policy (5+3)/2; auto (80+61)/2
        ResultRow("ana", 2, 3.5, {"accuracy": 3.0, "policy": 4.0}, 70.5),
        ResultRow("bob", 1, 4.5, {"accuracy": 5.0, "policy": 4.0}, 90.0),
    ]
