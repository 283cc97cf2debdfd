"""Article Markdown to safe HTML: rendered with `markdown`, then sanitised with nh3 (an allow-list
of tags and attributes; links get rel="noopener noreferrer"), so an article body can never carry
script into the help pages or the console."""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "code", "pre",
        "blockquote", "br", "hr", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def article_html(body: str) -> str:
    """Sanitised HTML of a Markdown article body."""
    raw = markdown.markdown(body, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        raw,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
