"""Versioned articles: every edit is a new version, only the published one is served, and
rendering sanitises whatever the Markdown holds."""

from __future__ import annotations

import pytest

from signaldesk.core.audit import Actor
from signaldesk.core.errors import ValidationError
from signaldesk.knowledge.models import Article, ArticleStatus
from signaldesk.knowledge.render import article_html
from signaldesk.knowledge.selectors import article_versions, articles_search
from signaldesk.knowledge.services import article_version_create, article_version_publish

ACTOR = Actor.system("test")
pytestmark = pytest.mark.django_db


def test_a_draft_edit_is_kept_but_not_served_until_published() -> None:
    article_version_create(
        slug="gift-cards", title="Gift cards", body="Gift cards never expire.",
        reason_ids=["payment_issue"], actor=ACTOR, publish=True,
    )  # fmt: skip
    article_version_create(
        slug="gift-cards", title="Gift cards", body="Gift cards are valid for three years.",
        reason_ids=["payment_issue"], actor=ACTOR, publish=False, note="legal review",
    )  # fmt: skip
    served = Article.objects.get(slug="gift-cards")
    assert (served.version, served.body, served.status) == (
        1, "Gift cards never expire.", ArticleStatus.PUBLISHED,
    )  # fmt: skip
    assert [h.passage.text for h in articles_search("do gift cards expire")] == [
        "Gift cards never expire."
    ]
    assert [(v.number, v.published_at is not None, v.note) for v in article_versions(
        slug="gift-cards")] == [(2, False, "legal review"), (1, True, "")]  # fmt: skip
    article_version_publish(article=served, number=2, actor=ACTOR)
    assert [h.passage.text for h in articles_search("gift cards valid years")] == [
        "Gift cards are valid for three years."
    ]
    assert Article.objects.get(slug="gift-cards").version == 2


def test_a_new_article_saved_as_draft_is_not_searchable() -> None:
    article_version_create(
        slug="paypal", title="PayPal", body="We accept PayPal.", reason_ids=[], actor=ACTOR,
        publish=False,
    )  # fmt: skip
    assert (Article.objects.get().status, articles_search("paypal")) == (ArticleStatus.DRAFT, [])


def test_publishing_a_missing_version_is_refused() -> None:
    version = article_version_create(
        slug="x", title="X", body="Body.", reason_ids=[], actor=ACTOR, publish=False
    )
    with pytest.raises(ValidationError):
        article_version_publish(article=version.article, number=9, actor=ACTOR)


def test_rendering_keeps_markdown_and_drops_script() -> None:
    body = (
        "# Title\n\nSome **bold** [link](https://example.com) and "
        "[bad](javascript:alert(1)).\n\n<script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(1)">\n'
    )
    assert article_html(body) == (
        "<h1>Title</h1>\n"
        '<p>Some <strong>bold</strong> <a href="https://example.com" rel="noopener noreferrer">'
        'link</a> and <a rel="noopener noreferrer">bad</a>.</p>\n\n\n<p></p>'
    )
