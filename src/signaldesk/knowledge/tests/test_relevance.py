"""Search relevance on a small labelled set: 25 customer questions, each with the article that
answers it (labelled_questions.py). Figures are exact; they change only when the articles, the
tokenizer or the ranking change, and then this test says by how much."""

from __future__ import annotations

import pytest

from signaldesk.core.audit import Actor
from signaldesk.knowledge.selectors import articles_search
from signaldesk.knowledge.services import articles_load
from signaldesk.knowledge.tests.labelled_questions import LABELLED


@pytest.mark.django_db
def test_article_search_hit_at_1_and_at_3() -> None:
    articles_load(actor=Actor.system("test"))
    ranked = [[h.slug for h in articles_search(question, k=3)] for question, _ in LABELLED]
    hit1 = sum(got[:1] == [want] for got, (_, want) in zip(ranked, LABELLED, strict=True))
    hit3 = sum(want in got for got, (_, want) in zip(ranked, LABELLED, strict=True))
    misses_at_1 = [q for got, (q, want) in zip(ranked, LABELLED, strict=True) if got[:1] != [want]]
    assert len(LABELLED) == 25
    # measured: hit@1 = 24/25 (0.96), hit@3 = 25/25 (1.00)
    assert (hit1, hit3) == (24, 25)
    assert misses_at_1 == ["Refund to my credit card how long"]  # promo-codes ranks first
