"""Text cleaning for classification, and auto-reply / bounce detection for the e-mail channel.

:func:`clean_for_classification` = HTML → text (stdlib ``html.parser``; Gmail/Apple/Thunderbird
quote containers are dropped, Outlook's reply header becomes a cut marker) → drop quoted reply
history → drop signature → normalise whitespace. Output: non-empty lines joined with ``"\\n"``,
runs of spaces collapsed. If stripping would leave nothing (a bare forward), the quoted text is
kept instead, minus the ``>`` markers and header lines.

Quote cut points (first one wins): "On … wrote:", "Am … schrieb …:", "Le … a écrit :", "El …
escribió:", "Il … ha scritto:", "Op … schreef …:", "Em … escreveu:" (also wrapped over two
lines), "-----Original Message-----" and its translations, "---------- Forwarded message",
Outlook header blocks ("From:/Von:/De:/Da:/Van:" followed by "Sent:/Gesendet:/Envoyé :/
Enviado:/Inviato:/Verzonden:/Date:"), and lines starting with ``>`` (removed wherever they are).

Signature cut points: a ``-- `` line, "Sent from my iPhone" and its translations, "Get Outlook
for …", and a valediction line ("Best regards,", "Mit freundlichen Grüßen", "Cordialement" …)
when at most 6 short lines follow it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape
from html.parser import HTMLParser
from typing import Final

__all__ = [
    "clean_for_classification",
    "html_to_text",
    "is_auto_reply",
    "is_bounce",
    "normalize_whitespace",
    "strip_quoted_reply",
    "strip_signature",
]

_BLOCK_TAGS: Final = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
     "blockquote", "section", "article", "header", "footer", "hr", "pre", "td", "th"}
)  # fmt: skip
_SKIP_TAGS: Final = frozenset({"script", "style", "head", "title", "template"})
_VOID_TAGS: Final = frozenset(
    {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}
)
_QUOTE_CLASSES: Final = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote")
_OUTLOOK_MARKER_IDS: Final = ("divrplyfwdmsg", "appendonsend", "mail-editor-reference-message")
_CUT_MARKER: Final = "-----Original Message-----"


class _TextExtractor(HTMLParser):
    def __init__(self, drop_quotes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.drop_quotes = drop_quotes
        self.parts: list[str] = []
        self.skip_depth = 0

    def _is_quote(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        values = {name: (value or "").lower() for name, value in attrs}
        if tag == "blockquote" and (values.get("type") == "cite" or self.drop_quotes):
            return True
        return any(cls in values.get("class", "") for cls in _QUOTE_CLASSES)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth:
            if tag not in _VOID_TAGS:
                self.skip_depth += 1
            return
        if tag in _SKIP_TAGS or (self.drop_quotes and self._is_quote(tag, attrs)):
            self.skip_depth = 1
            return
        element_id = next((value or "" for name, value in attrs if name == "id"), "").lower()
        if self.drop_quotes and element_id in _OUTLOOK_MARKER_IDS:
            self.parts.append(f"\n{_CUT_MARKER}\n")
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skip_depth and tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


_HTML_RE: Final = re.compile(
    r"<(?:html|body|div|p|br|table|span|blockquote|a|b|strong|font)\b[^>]*>", re.I
)


def html_to_text(html: str, drop_quotes: bool = True) -> str:
    """Visible text of ``html`` with block elements on their own lines."""
    parser = _TextExtractor(drop_quotes)
    parser.feed(html)
    parser.close()
    return unescape("".join(parser.parts))


def normalize_whitespace(text: str) -> str:
    """Unify newlines, drop zero-width characters, collapse spaces, drop blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


_ATTRIBUTION_RE: Final = re.compile(
    r"^(?:On\s.{0,200}\swrote|Am\s.{0,200}\sschrieb.{0,120}|Le\s.{0,200}\sa\s[ée]crit|"
    r"El\s.{0,200}\sescribi[óo]|Il\s.{0,200}\sha\sscritto|Op\s.{0,200}\sschreef.{0,120}|"
    r"Em\s.{0,200}\sescreveu|Den\s.{0,200}\sskrev.{0,120}|W\sdniu\s.{0,200}\spisze)\s?:\s*$",
    re.IGNORECASE,
)
_SEPARATOR_RE: Final = re.compile(
    r"^\s*-{2,}\s*(?:Original Message|Urspr[üu]ngliche Nachricht|Message d['’]origine|"
    r"Mensaje original|Messaggio originale|Oorspronkelijk bericht|Forwarded message|"
    r"Weitergeleitete Nachricht|Message transf[ée]r[ée]|Mensaje reenviado|"
    r"Messaggio inoltrato|Doorgestuurd bericht)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_FROM_RE: Final = re.compile(r"^\s*\*?(?:From|Von|De|Da|Van|Från|Od)\s?:\*?\s+\S", re.I)
_HEADER_NEXT_RE: Final = re.compile(
    r"^\s*\*?(?:Sent|Gesendet|Envoy[ée]|Enviado|Inviato|Verzonden|Date|Datum|Skickat|"
    r"Wys[łl]ano|To|An|À|Para|A|Aan)\s?:", re.I
)  # fmt: skip
_UNDERSCORE_RULE_RE: Final = re.compile(r"^\s*_{10,}\s*$")


def _quote_cut(lines: list[str]) -> tuple[int, int] | None:
    """(first line of the quote header, first line after it) or None."""
    for index, line in enumerate(lines):
        joined = line if index + 1 >= len(lines) else f"{line} {lines[index + 1]}"
        if _ATTRIBUTION_RE.match(line.strip()):
            return index, index + 1
        if line.strip().startswith(("On ", "Am ", "Le ", "El ", "Il ", "Op ", "Em ")) and (
            _ATTRIBUTION_RE.match(joined.strip())
        ):
            return index, index + 2
        if _SEPARATOR_RE.match(line) or line.strip() == _CUT_MARKER:
            return index, index + 1
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if _UNDERSCORE_RULE_RE.match(line) and _HEADER_FROM_RE.match(next_line):
            return index, index + 1
        if _HEADER_FROM_RE.match(line) and any(
            _HEADER_NEXT_RE.match(following) for following in lines[index + 1 : index + 5]
        ):
            return index, index
    return None


def strip_quoted_reply(text: str) -> str:
    """Remove quoted history; if nothing would remain, de-quote instead of dropping."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _quote_cut(lines)
    head = lines if cut is None else lines[: cut[0]]
    kept = [line for line in head if not line.lstrip().startswith(">")]
    if any(line.strip() for line in kept):
        return "\n".join(kept)
    tail = lines if cut is None else lines[cut[1] :]
    dequoted = [re.sub(r"^\s*(?:>\s?)+", "", line) for line in tail]
    body = [line for line in dequoted if not _HEADER_FROM_RE.match(line)]
    body = [line for line in body if not _HEADER_NEXT_RE.match(line)]
    body = [
        line
        for line in body
        if not re.match(
            r"^\s*(?:Subject|Betreff|Objet|Asunto|"
            r"Oggetto|Onderwerp)\s?:",
            line,
            re.I,
        )
    ]
    return "\n".join(body)


_DEVICE_SIGNATURE_RE: Final = re.compile(
    r"^\s*(?:Sent from (?:my |Mail for |Yahoo|Outlook)|Get Outlook for|Von meinem \S+ gesendet|"
    r"Gesendet von meinem|Envoy[ée] (?:de|depuis) mon|Enviado desde mi|Inviato da(?:l mio)?\s|"
    r"Verstuurd (?:vanaf|met) mijn|Sent via |Sent with )",
    re.IGNORECASE,
)
_VALEDICTION_RE: Final = re.compile(
    r"^\s*(?:(?:best|kind|warm|many)\s+(?:regards|wishes|thanks)|regards|best|thanks(?:\s+again)?|"
    r"thank you|cheers|sincerely|yours(?:\s+(?:sincerely|faithfully|truly))?|"
    r"(?:mit\s+)?(?:freundlichen|besten|herzlichen|vielen|liebe|viele|beste)\s+gr[üu](?:ß|ss)en?|"
    r"mfg|lg|vg|gru(?:ß|ss)|(?:bien\s+)?cordialement|bien\s+[àa]\s+vous|salutations|"
    r"(?:un\s+)?saludos?(?:\s+cordiales)?|atentamente|(?:cordiali|distinti)\s+saluti|saluti|"
    r"met\s+vriendelijke\s+groet(?:en)?|(?:hartelijke\s+)?groet(?:en|jes)?|mvg)[\s,.!]*$",
    re.IGNORECASE,
)
_MAX_SIGNATURE_LINES: Final = 6


def strip_signature(text: str) -> str:
    """Drop the signature block (see module docstring)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() in ("--", "-- ", "—") or _DEVICE_SIGNATURE_RE.match(line):
            lines = lines[:index]
            break
    content = [i for i, line in enumerate(lines) if line.strip()]
    for position, index in enumerate(content):
        if position == 0 or not _VALEDICTION_RE.match(lines[index]):
            continue
        following = [lines[i] for i in content[position + 1 :]]
        if len(following) <= _MAX_SIGNATURE_LINES and all(len(f) <= 60 for f in following):
            return "\n".join(lines[:index])
    return "\n".join(lines)


def clean_for_classification(text: str) -> str:
    """HTML → text, strip quoted history and signature, normalise whitespace."""
    if _HTML_RE.search(text):
        text = html_to_text(text)
    text = text.replace("\u00a0", " ")
    text = strip_quoted_reply(text)
    text = strip_signature(text)
    return normalize_whitespace(text)


# --- auto replies and bounces ----------------------------------------------------------------

_AUTO_SUBJECT_RE: Final = re.compile(
    r"\b(?:out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|"
    r"away from (?:the )?office|on vacation|on holiday|abwesenheits(?:notiz|nachricht)|"
    r"automatische antwort|nicht im b[üu]ro|r[ée]ponse automatique|absence du bureau|"
    r"absent(?:e)? du bureau|respuesta autom[áa]tica|fuera de la oficina|"
    r"risposta automatica|fuori (?:sede|ufficio)|automatisch antwoord|afwezig(?:heid)?|"
    r"out-of-office)\b",
    re.IGNORECASE,
)
_AUTO_BODY_RE: Final = re.compile(
    r"\b(?:i am|i'm|i will be) (?:currently )?(?:out of (?:the )?office|away|on (?:annual )?leave)|"
    r"this is an auto(?:mated|matic)(?:ally generated)? (?:reply|response|message)|"
    r"ich bin (?:derzeit |bis .{0,30})?(?:nicht im b[üu]ro|abwesend|im urlaub)|"
    r"je suis (?:actuellement )?absent|estoy fuera de la oficina|sono (?:attualmente )?fuori|"
    r"ik ben (?:momenteel )?afwezig",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT_RE: Final = re.compile(
    r"\b(?:undeliverable|undelivered mail|delivery status notification|"
    r"mail delivery (?:failed|failure|subsystem)|returned mail|delivery failure|"
    r"failure notice|delivery has failed|could not be delivered|unzustellbar|"
    r"nicht zustellbar|non remis|non distribuable|no se puede entregar|"
    r"no entregado|non recapitabile|mancato recapito|onbestelbaar|niet afgeleverd)",
    re.IGNORECASE,
)
_BOUNCE_SENDER_RE: Final = re.compile(r"\b(?:mailer-daemon|postmaster)@|^mailer-daemon\b", re.I)
_BOUNCE_BODY_RE: Final = re.compile(
    r"(?:delivery to the following recipients? failed|message could not be delivered|"
    r"address couldn['’]t be found|recipient address rejected|user unknown|"
    r"mailbox (?:unavailable|not found|full)|550[ -]5\.1\.1|status: 5\.\d\.\d)",
    re.IGNORECASE,
)


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    if not headers:
        return ""
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return str(value).strip().lower()
    return ""


def is_auto_reply(subject: str, headers: Mapping[str, str] | None, body: str) -> bool:
    """True for out-of-office/autoresponder mail (RFC 3834 headers, subject or opening lines).

    Bounces usually match too (they carry ``Auto-Submitted``): call :func:`is_bounce` first.
    """
    auto_submitted = _header(headers, "Auto-Submitted")
    if auto_submitted and auto_submitted != "no":
        return True
    if _header(headers, "X-Autoreply") or _header(headers, "X-Autorespond"):
        return True
    if _header(headers, "X-Autogenerated") == "reply":
        return True
    if _header(headers, "Precedence") in ("bulk", "auto_reply", "junk"):
        return True
    if _AUTO_SUBJECT_RE.search(subject):
        return True
    return bool(_AUTO_BODY_RE.search(body[:500]))


def is_bounce(subject: str, headers: Mapping[str, str] | None, body: str, sender: str = "") -> bool:
    """True for delivery-failure reports (mailer-daemon, DSN content type, bounce subjects)."""
    if _BOUNCE_SENDER_RE.search(sender) or _BOUNCE_SENDER_RE.search(_header(headers, "From")):
        return True
    if _header(headers, "X-Failed-Recipients"):
        return True
    content_type = _header(headers, "Content-Type")
    if "multipart/report" in content_type and "delivery-status" in content_type:
        return True
    if _BOUNCE_SUBJECT_RE.search(subject):
        return True
    return bool(_BOUNCE_BODY_RE.search(body[:2000])) and not subject.lower().startswith("re:")
