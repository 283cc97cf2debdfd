"""Message content for intake: HTML sanitising, HTML → plain text, subjects and the order numbers
a customer quotes. Pure functions, no database."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Final

import nh3

from signaldesk.triage.text.entities import extract_entities

#: Byte limits on what one inbound message may carry (UTF-8 encoded).
MAX_TEXT_BYTES: Final = 100 * 1024
MAX_HTML_BYTES: Final = 512 * 1024
SUBJECT_MAX_CHARS: Final = 120
#: Order numbers are looked for in the subject plus this much of the text.
ORDER_SCAN_CHARS: Final = 8000

# Remote images are tracking pixels in agents' browsers; attachments carry real images.
_ALLOWED_TAGS: Final = frozenset(nh3.ALLOWED_TAGS) - {"img", "map", "area"}

_BLOCK_TAGS: Final = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
        "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "ul",
    }
)  # fmt: skip


def sanitize_html(raw: str) -> str:
    """Safe-to-render HTML: scripts, styles, event handlers, javascript: links and remote images
    are removed; basic formatting (<b>, <p>, lists, links, tables) is kept."""
    return nh3.clean(raw, tags=set(_ALLOWED_TAGS), link_rel="noopener noreferrer nofollow").strip()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(clean_html: str) -> str:
    """Plain text of (already sanitised) HTML: block elements and <br> become line breaks, runs
    of spaces collapse, at most one blank line is kept between paragraphs."""
    parser = _TextExtractor()
    parser.feed(clean_html)
    parser.close()
    raw = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in raw.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def subject_from(*, subject: str, text: str) -> str:
    """The given subject, else the first non-empty line of the text, cut to 120 characters."""
    candidate = subject.strip()
    if not candidate:
        candidate = next((line.strip() for line in text.splitlines() if line.strip()), "")
    candidate = re.sub(r"\s+", " ", candidate)
    if len(candidate) > SUBJECT_MAX_CHARS:
        candidate = candidate[: SUBJECT_MAX_CHARS - 1].rstrip() + "…"
    return candidate


def order_numbers_in(text: str) -> list[str]:
    """Order numbers quoted in the first ORDER_SCAN_CHARS characters of text (digits;
    marketplace ids keep their dashes), first mention first, without repeats.

    Uses the triage entity extractor, so intake and triage agree on what an order number is
    ("#10023", "order 10023", "Bestellung Nr. 10023", marketplace ids). The cap keeps this call
    cheap inside the request: the extractor's e-mail pattern is quadratic on long unbroken
    tokens (100 KB of one token took ~25 s)."""
    found: list[str] = []
    for order in extract_entities(text[:ORDER_SCAN_CHARS]).order_numbers:
        if order.value not in found:
            found.append(order.value)
    return found


def order_number_candidates(digits: str) -> list[str]:
    """Stored spellings an order quoted as `digits` may have (Shopify names look like "#1001")."""
    return [f"#{digits}", digits]
