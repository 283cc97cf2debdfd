"""Facts of one audience → the Markdown of the weekly note (Django-free, deterministic).

Every number printed comes from the facts as stored (see note.numbers for the check); text that
came from customers or the catalogue is escaped for Markdown, and the HTML rendering sanitises
again (insights.rendering)."""

from __future__ import annotations

import datetime as dt
import re

from signaldesk.insights.note.facts import AUDIENCE_LABELS, NoteFacts, ReasonFact

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md(text: str) -> str:
    """Escape Markdown (and raw HTML) in text from data, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def money(amount: int, currency: str) -> str:
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount:,}" if symbol else f"{amount:,} {currency}"


def long_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%b %Y}"


def short_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%b}"


def change_phrase(change: int | None, current: int, previous: int, what: str = "") -> str:
    suffix = f" on {what}" if what else ""
    if change is None:
        return "nothing the week before" if current else "none this week or the week before"
    if change == 0:
        return f"flat{suffix}"
    return f"{'up' if change > 0 else 'down'} {abs(change)}%{suffix}"


def _short_change(r: ReasonFact) -> str:
    if r.change_pct is None:
        return "new" if r.contacts else "–"
    return f"{r.change_pct:+d}%" if r.change_pct else "0%"


def keywords_text(keywords: tuple[str, ...], n: int = 4) -> str:
    """Distinct keywords: a word already inside a chosen phrase is skipped."""
    chosen: list[str] = []
    for kw in keywords:
        if not any(kw in c.split() or kw == c for c in chosen):
            chosen.append(kw)
    return ", ".join(chosen[:n])


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _summary(f: NoteFacts) -> list[str]:
    rate = (
        f" ({f.per_1000_orders} per {f.per_orders:,} orders)"
        if f.per_1000_orders is not None
        else ""
    )
    lines = [
        f"**In short.** {f.contacts:,} customer contacts this week, "
        f"{change_phrase(f.change_pct, f.contacts, f.prev_contacts, 'the week before')}{rate}."
    ]
    if f.audience == "leadership":
        lines.append(
            f"Issues cost {money(f.cost_total, f.currency)} in refunds, replacements and "
            f"discounts ({change_phrase(f.cost_change_pct, f.cost_total, f.prev_cost_total)})."
        )
    else:
        lines.append(
            f"Reasons your teams own: {f.counts.get('area_contacts', 0):,} contacts, "
            f"{money(f.counts.get('area_cost', 0), f.currency)} in refunds, replacements and "
            "discounts."
        )
    n_spikes, n_new = f.counts.get("spikes", 0), f.counts.get("new_themes", 0)
    attention = []
    if n_spikes:
        attention.append(_plural(n_spikes, "spike needs", "spikes need") + " attention")
    if n_new:
        attention.append(_plural(n_new, "new theme", "new themes") + " appeared")
    lines.append(("; ".join(attention) + ".").capitalize() if attention else "No spikes.")
    return [" ".join(lines)]


def _reasons(f: NoteFacts) -> list[str]:
    out = ["## Top contact reasons", ""]
    if not f.reasons:
        return [*out, "No contacts with a reason your teams own this week.", ""]
    out += [
        f"| Reason | Owner | Contacts | vs week before | per {f.per_orders:,} orders | Cost |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in f.reasons:
        rate = "–" if r.per_1000_orders is None else f"{r.per_1000_orders}"
        out.append(
            f"| {md(r.label)} | {md(r.owner_team)} | {r.contacts:,} | {_short_change(r)} | "
            f"{rate} | {money(r.cost, f.currency)} |"
        )
    return [*out, ""]


def _spikes(f: NoteFacts) -> list[str]:
    out = ["## Spikes", ""]
    if not f.spikes:
        return [*out, "No spikes in this area this week.", ""]
    for s in f.spikes:
        what = md(s.explanation) or (
            f"{s.observed:,} contacts against {s.expected} expected ({s.ratio}×)."
        )
        out.append(
            f"- **{md(s.label)}** ({s.severity}, since {short_date(s.onset)}; owner "
            f"{md(s.owner_team)}): {what}"
        )
    return [*out, ""]


def _themes(f: NoteFacts) -> list[str]:
    out = ["## New and growing themes", ""]
    if not f.themes:
        return [*out, "No new or growing themes in this area.", ""]
    for t in f.themes:
        if t.new:
            trend = "new: none in the window before"
        elif t.growth_pct is not None:
            trend = f"{change_phrase(t.growth_pct, t.recent, t.previous)} ({t.previous:,} before)"
        else:
            trend = f"{t.previous:,} in the window before"
        about = f" — mostly {md(t.reason_label)}" if t.reason_label else ""
        if t.language not in ("", "en", "und"):
            about += f" ({md(t.language)})"
        quote = f" “{md(t.quote)}”" if t.quote else ""
        out.append(
            f"- **{md(keywords_text(t.keywords))}**{about}: {t.recent:,} tickets in the last "
            f"{f.theme_window_days} days, {trend}.{quote}"
        )
    return [*out, ""]


def _cost(f: NoteFacts) -> list[str]:
    out = ["## Cost of issues", ""]
    costly = sorted((r for r in f.reasons if r.cost > 0), key=lambda r: (-r.cost, r.reason))[:3]
    total = f.cost_total if f.audience == "leadership" else f.counts.get("area_cost", 0)
    scope = "across the store" if f.audience == "leadership" else "for the reasons shown"
    out.append(
        f"Refunds, replacements and discounts on contacted orders {scope}: "
        f"{money(total, f.currency)} this week."
    )
    if costly:
        out.append("")
        for r in costly:
            out.append(
                f"- {md(r.label)}: {money(r.cost, f.currency)} "
                f"(week before {money(r.prev_cost, f.currency)})"
            )
    return [*out, ""]


def _actions(f: NoteFacts) -> list[str]:
    out = ["## Actions and their measured impact", ""]
    if not f.actions:
        return [*out, "No root-cause actions tracked in this area.", ""]
    for a in f.actions:
        verdict = md(a.verdict) if a.verdict else "impact not measured yet."
        status = a.status.replace("_", " ")
        out.append(f"- **{md(a.title)}** ({md(a.owner_team)}, {status}): {verdict}")
    return [*out, ""]


def _next(f: NoteFacts) -> list[str]:
    out = ["## Recommended next actions", ""]
    if not f.next_actions:
        return [*out, "Nothing needs a new action this week.", ""]
    for n in f.next_actions:
        out.append(f"- **{md(n.owner_team.title())}**: {md(n.text)} _{md(n.why)}_")
    return [*out, ""]


def render_note(f: NoteFacts) -> str:
    """The note's Markdown for its audience."""
    title = AUDIENCE_LABELS.get(f.audience, f.audience.title())
    lines = [
        f"# {title} insight note — week of {long_date(f.week_start)}",
        "",
        f"*{short_date(f.week_start)} – {long_date(f.week_end)}. Drafted from SignalDesk data.*",
        "",
        *_summary(f),
        "",
        *_reasons(f),
        *_spikes(f),
        *_themes(f),
        *_cost(f),
        *_actions(f),
        *_next(f),
    ]
    if f.caveats:
        lines += ["## About the data", ""] + [f"- {md(c)}" for c in f.caveats] + [""]
    return "\n".join(lines).rstrip() + "\n"
