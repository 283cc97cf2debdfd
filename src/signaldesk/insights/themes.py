"""Themes for the weekly note and the batch report: the inbound texts of a period, cleaned of
greetings and sign-offs and clustered per language with signals.stats.themes; or the themes the
signals package stored (ThemeRun) when it has a run for the week."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q

from signaldesk.insights.note.facts import ThemeFact, pct_change
from signaldesk.insights.reasons import ReasonInfo, reason_of

THEME_WINDOW_DAYS = 7
THEME_HISTORY_DAYS = 56
THEME_MAX_TEXTS = 4000
NEW_THEME_MIN = 3  # a theme with no ticket in the window before and at least this many now
GROWING_MIN = 5  # a growing theme has at least this many tickets now ...
GROWING_RATIO = 1.5  # ... and this many times the window before
QUOTE_CHARS = 160
MIN_LANGUAGE_TEXTS = 30  # languages with fewer texts are not clustered
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"\+?\d[\d ()-]{7,}\d")
# Greetings, sign-offs and politeness that every message shares: left in, they become the
# strongest keywords and themes split by greeting instead of by problem.
_FILLER = re.compile(
    r"\b(?:hello|hi|hey|dear|team|thanks?|thank you|many thanks|cheers|best|regards|kind regards|"
    r"good (?:morning|afternoon|evening)|sorry to bother you|appreciate|quick (?:reply|answer)|"
    r"following up(?: again)?|sent from my \w+|on \w{3},.*$|bonjour|merci|cordialement|madame|"
    r"monsieur|hallo|guten tag|danke|viele grüße|liebe grüße|hola|gracias|ciao|grazie|"
    r"phone call from|caller \w+|customer says)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TicketText:
    ticket_id: int
    day: dt.date
    reason: str
    text: str
    language: str = ""


def ticket_texts(*, since: dt.date, until: dt.date, limit: int) -> list[TicketText]:
    """Subject + first inbound message of the newest ``limit`` tickets created in the days."""
    from signaldesk.signals.rollups import day_bounds
    from signaldesk.signals.services import local_day
    from signaldesk.tickets.models import Direction, Message, Ticket

    start, _ = day_bounds(since)
    _, end = day_bounds(until)
    tickets = list(
        Ticket.objects.filter(created_at__gte=start, created_at__lt=end, merged_into__isnull=True)
        .order_by("-created_at", "-id")
        .values_list("id", "created_at", "contact_reason", "subject", "language")[:limit]
    )
    first: dict[int, str] = {}
    ids = [t[0] for t in tickets]
    for chunk in range(0, len(ids), 900):
        for tid, body in (
            Message.objects.filter(ticket_id__in=ids[chunk : chunk + 900])
            .filter(Q(direction=Direction.INBOUND))
            .order_by("ticket_id", "created_at", "id")
            .values_list("ticket_id", "body_text")
        ):
            first.setdefault(tid, body)
    out = []
    for tid, created, reason, subject, language in reversed(tickets):
        text = " ".join(f"{subject} {first.get(tid, '')}".split())
        if text:
            out.append(TicketText(tid, local_day(created), reason, text, language or ""))
    return out


# The theme core's TF-IDF drops English stop words only; these are the commonest of the other
# languages the demo store (and most EU stores) write in.
_STOP_WORDS_TEXT = """ich sie nicht und ist das die der den dem ein eine mein meine meiner von
    mit mir bitte
    können noch schon auf für wurde habe hat es zu je vous ma mon que est le la les de des du un
    une et pas ai il elle nous en au pour ce qui ik jullie een mijn maar niet het de van al heb
    kunnen nog is dat te el la los las mi que ha de en y no es un una por para me lo il mio non
    ho di che è un una per sono ma"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())


def clean_for_themes(text: str) -> str:
    """The text without greetings, sign-offs and non-English stop words (what clustering
    should not group by)."""
    words = _FILLER.sub(" ", text).split()
    return " ".join(w for w in words if w.lower().strip(".,!?;:") not in STOP_WORDS) or text


def redact_quote(text: str) -> str:
    text = _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def is_moving(recent: int, previous: int) -> tuple[bool, bool]:
    """(new, growing) by the note's thresholds."""
    new = previous == 0 and recent >= NEW_THEME_MIN
    growing = previous > 0 and recent >= GROWING_MIN and recent >= GROWING_RATIO * previous
    return new, growing


def theme_facts(
    texts: list[TicketText],
    *,
    as_of: dt.date,
    window_days: int,
    info: dict[str, ReasonInfo],
    only_moving: bool = True,
    seed: int = 0,
) -> list[ThemeFact]:
    """Themes of the texts, clustered per language (a language needs MIN_LANGUAGE_TEXTS texts;
    TF-IDF would otherwise group by language, not by problem); with ``only_moving`` just the
    new and growing ones. Largest recent count first."""
    by_language: dict[str, list[TicketText]] = defaultdict(list)
    for t in texts:
        by_language[t.language or "und"].append(t)
    out: list[ThemeFact] = []
    for language in sorted(by_language):
        group = by_language[language]
        if len(group) >= MIN_LANGUAGE_TEXTS:
            out += _cluster(group, language, as_of, window_days, info, only_moving, seed)
    out.sort(key=lambda t: (-t.recent, -t.size, t.keywords))
    return out


def _cluster(
    texts: list[TicketText],
    language: str,
    as_of: dt.date,
    window_days: int,
    info: dict[str, ReasonInfo],
    only_moving: bool,
    seed: int,
) -> list[ThemeFact]:
    from signaldesk.signals.stats.themes import ThemeConfig, discover_themes

    origin = min(t.day for t in texts)
    k_max = max(2, min(10, len(texts) // 40))
    result = discover_themes(
        [clean_for_themes(t.text) for t in texts],
        [(t.day - origin).days for t in texts],
        [t.reason or "none" for t in texts],
        as_of=(as_of - origin).days,
        config=ThemeConfig(window_days=window_days, k_range=(2, k_max), seed=seed),
    )
    out = []
    for th in result.themes:
        new, growing = is_moving(th.recent_count, th.previous_count)
        if only_moving and not (new or growing):
            continue
        reasons = Counter(texts[i].reason for i in th.member_indices if texts[i].reason)
        top = reasons.most_common(1)[0][0] if reasons else ""
        ri = reason_of(info, top) if top else ReasonInfo("", "operations")
        quote = texts[th.representative_indices[0]].text if th.representative_indices else ""
        out.append(
            ThemeFact(
                keywords=th.keywords[:6],
                size=th.size,
                recent=th.recent_count,
                previous=th.previous_count,
                growth_pct=pct_change(th.recent_count, th.previous_count),
                new=new,
                quote=redact_quote(quote),
                reason=top,
                reason_label=ri.label,
                owner_team=ri.owner_team,
                language=language,
            )
        )
    return out


def stored_theme_facts(
    ws: dt.date, we: dt.date, info: dict[str, ReasonInfo]
) -> tuple[list[ThemeFact], int] | None:
    """New and growing themes of the signals package's latest theme run made during the week
    (signals.themes_service), with the run's window; None when no such run exists."""
    from signaldesk.signals.models import Theme, ThemeRun

    run = ThemeRun.objects.filter(as_of__gte=ws, as_of__lte=we).order_by("-as_of", "-id").first()
    if run is None:
        return None
    out = []
    for th in Theme.objects.filter(run=run).order_by("-recent_count", "id")[:200]:
        new, growing = is_moving(th.recent_count, th.previous_count)
        if not (new or growing):
            continue
        reason = "" if th.scope == "unexplained" else th.scope
        ri = reason_of(info, reason) if reason else ReasonInfo("", "operations")
        quotes = th.quotes or []
        quote = str(quotes[0].get("text", "")) if quotes and isinstance(quotes[0], dict) else ""
        out.append(
            ThemeFact(
                keywords=tuple(str(k) for k in th.keywords[:6]),
                size=th.size,
                recent=th.recent_count,
                previous=th.previous_count,
                growth_pct=pct_change(th.recent_count, th.previous_count),
                new=new,
                quote=redact_quote(quote),
                reason=reason,
                reason_label=ri.label,
                owner_team=ri.owner_team,
            )
        )
    return out, run.window_days
