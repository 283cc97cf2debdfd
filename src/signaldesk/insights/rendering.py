"""Markdown → sanitised HTML for notes shown in the console (markdown + nh3)."""

from __future__ import annotations

import markdown as md
import nh3

TAGS = {
    "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "hr", "br",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def note_html(body_md: str) -> str:
    """HTML safe to mark safe in a template: raw HTML in the Markdown is dropped by nh3."""
    html = md.markdown(
        body_md,
        extensions=["tables", "sane_lists"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
