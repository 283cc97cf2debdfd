"""Theme discovery in the app: gather feedback texts, cluster them with signals.stats.themes,
store Theme rows; propose a taxonomy entry from a theme as a draft taxonomy version.

Texts of the last ``2 x window_days`` days (recent window vs the previous one gives growth):

- tickets (source ``ticket``, or ``chat`` for chat transcripts): subject + first customer
  message. Tickets the taxonomy explains poorly (no reason, ``other``, or confidence below
  ``LOW_CONFIDENCE``) go to the scope ``unexplained`` (clustered from ``MIN_SCOPE_TEXTS``
  texts); every reason with at least ``MIN_REASON_TEXTS`` confidently classified tickets is
  also clustered on its own into 2–4 themes (themes *within* a reason, e.g. two different
  sizing problems).
- product reviews of 1–3 stars (``review``) and return reasons (``return``) join ``unexplained``
  (they carry no contact reason).
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from signaldesk.core.audit import Actor, audit_record
from signaldesk.core.errors import ValidationError
from signaldesk.signals.models import Theme, ThemeRun
from signaldesk.signals.rollups import day_bounds
from signaldesk.signals.stats.themes import ThemeConfig, discover_themes

logger = logging.getLogger(__name__)

UNEXPLAINED = "unexplained"
LOW_CONFIDENCE = 0.5
MIN_SCOPE_TEXTS = 12
MIN_REASON_TEXTS = 40  # a reason is split into themes only with this many confident texts
MIN_THEME_TEXTS = 5
MAX_SCOPE_TEXTS = 800  # most recent first: keeps one run bounded on large stores
TEXT_CHARS = 400


@dataclass(frozen=True)
class FeedbackText:
    text: str
    kind: str  # ticket | chat | review | return
    object_id: int
    day: int  # ordinal
    scope: str
    sku: str
    customer_id: int | None
    vip: bool


def _tickets(start: dt.datetime, end: dt.datetime) -> list[FeedbackText]:
    from signaldesk.tickets.models import Direction, Message, Ticket

    first_msg = Message.objects.filter(ticket=OuterRef("pk"), direction=Direction.INBOUND).order_by(
        "created_at", "id"
    )
    rows = (
        Ticket.objects.filter(created_at__gte=start, created_at__lt=end, merged_into__isnull=True)
        .annotate(first_text=Subquery(first_msg.values("body_text")[:1]))
        .values_list(
            "pk", "subject", "first_text", "channel", "contact_reason", "reason_confidence",
            "created_at", "enrichment__sku", "customer_id", "customer__loyalty_tier",
        )
        .order_by("-created_at", "-pk")
    )  # fmt: skip
    out = []
    for pk, subject, body, channel, reason, conf, created, sku, cust, tier in rows.iterator(2000):
        text = " ".join(p for p in (subject or "", (body or "")[:TEXT_CHARS]) if p).strip()
        if not text:
            continue
        poor = not reason or reason == "other" or (conf is not None and conf < LOW_CONFIDENCE)
        out.append(
            FeedbackText(
                text=text, kind="chat" if channel == "chat" else "ticket", object_id=pk,
                day=timezone.localtime(created).date().toordinal(),
                scope=UNEXPLAINED if poor else reason, sku=sku or "", customer_id=cust,
                vip=tier == "vip",
            )
        )  # fmt: skip
    return out


def _reviews_and_returns(start: dt.datetime, end: dt.datetime) -> list[FeedbackText]:
    from signaldesk.commerce.models import Return, Review

    out = []
    reviews = (
        Review.objects.filter(created_at__gte=start, created_at__lt=end, rating__lte=3)
        .values_list("pk", "title", "body", "created_at", "sku", "customer_id")
        .order_by("-created_at", "-pk")
    )
    for pk, title, body, created, sku, cust in reviews.iterator(2000):
        text = " ".join(p for p in (title, body[:TEXT_CHARS]) if p).strip()
        if text:
            day = timezone.localtime(created).date().toordinal()
            out.append(FeedbackText(text, "review", pk, day, UNEXPLAINED, sku, cust, False))
    returns = (
        Return.objects.filter(requested_at__gte=start, requested_at__lt=end)
        .exclude(reason_text="")
        .values_list("pk", "reason_text", "requested_at", "sku", "order__customer_id")
        .order_by("-requested_at", "-pk")
    )
    for pk, text, created, sku, cust in returns.iterator(2000):
        day = timezone.localtime(created).date().toordinal()
        out.append(
            FeedbackText(text[:TEXT_CHARS], "return", pk, day, UNEXPLAINED, sku, cust, False)
        )
    return out


def _label(keywords: tuple[str, ...]) -> str:
    words: list[str] = []
    for kw in keywords:
        if not any(kw in w or w in kw for w in words):
            words.append(kw)
        if len(words) == 3:
            break
    return " / ".join(words) or "(no keywords)"


def _theme_rows(run: ThemeRun, scope: str, items: list[FeedbackText], as_of: int) -> list[Theme]:
    # At most one theme per MIN_THEME_TEXTS texts: silhouette favours many tiny clusters on
    # small sets, which are anecdotes rather than themes.
    per_theme = MIN_THEME_TEXTS if scope == UNEXPLAINED else 4 * MIN_THEME_TEXTS
    k_max = max(2, min(8 if scope == UNEXPLAINED else 4, len(items) // per_theme))
    cfg = ThemeConfig(k_range=(2, k_max), window_days=run.window_days, seed=0)
    result = discover_themes(
        [i.text for i in items], [i.day for i in items], [i.kind for i in items],
        as_of=as_of, config=cfg,
    )  # fmt: skip
    rows = []
    for th in result.themes:
        members = [items[i] for i in th.member_indices]
        skus = Counter(m.sku for m in members if m.sku)
        top: list[tuple[str, float]] = [
            (sku, round(n / len(members), 4)) for sku, n in skus.most_common(3)
        ]
        customers = {m.customer_id for m in members if m.customer_id is not None}
        vips = {m.customer_id for m in members if m.customer_id is not None and m.vip}
        quotes = [
            {"text": items[i].text, "kind": items[i].kind, "id": items[i].object_id}
            for i in th.representative_indices
        ]
        rows.append(
            Theme(
                run=run, scope=scope, label=_label(th.keywords), keywords=list(th.keywords),
                size=th.size, recent_count=th.recent_count, previous_count=th.previous_count,
                growth=th.growth, sources=dict(th.sources), quotes=quotes,
                top_skus=[list(t) for t in top],
                sku_concentration=top[0][1] if top else 0.0, customers=len(customers),
                vip_share=round(len(vips) / len(customers), 4) if customers else 0.0,
                ticket_ids=[m.object_id for m in members if m.kind in ("ticket", "chat")],
            )
        )  # fmt: skip
    return rows


def themes_discover(
    *,
    as_of: dt.date,
    actor: Actor,
    window_days: int = 28,
    min_texts: int = MIN_SCOPE_TEXTS,
    min_reason: int = MIN_REASON_TEXTS,
) -> ThemeRun:
    """Cluster the feedback of the ``2 x window_days`` days up to ``as_of`` (inclusive) per
    scope and store one ThemeRun with its themes (one transaction)."""
    t0 = time.perf_counter()
    start, _ = day_bounds(as_of - dt.timedelta(days=2 * window_days - 1))
    _, end = day_bounds(as_of)
    items = _tickets(start, end) + _reviews_and_returns(start, end)
    by_scope: dict[str, list[FeedbackText]] = {}
    for item in items:
        by_scope.setdefault(item.scope, []).append(item)
    with transaction.atomic():
        run = ThemeRun.objects.create(
            as_of=as_of, window_days=window_days, n_texts=0, n_themes=0, created_at=timezone.now()
        )
        rows: list[Theme] = []
        n_texts = 0
        for scope in sorted(by_scope):
            scoped = by_scope[scope][:MAX_SCOPE_TEXTS]
            if len(scoped) < (min_texts if scope == UNEXPLAINED else max(min_texts, min_reason)):
                continue
            n_texts += len(scoped)
            rows.extend(_theme_rows(run, scope, scoped, as_of.toordinal()))
        Theme.objects.bulk_create(rows)
        run.n_texts, run.n_themes = n_texts, len(rows)
        run.seconds = round(time.perf_counter() - t0, 3)
        run.save(update_fields=["n_texts", "n_themes", "seconds"])
        audit_record(
            actor=actor,
            action="signals.themes_discovered",
            obj=run,
            after={"as_of": as_of, "texts": n_texts, "themes": len(rows)},
        )
    logger.info("signals.themes", extra={"as_of": str(as_of), "themes": len(rows)})
    return run


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    slug = slug if slug[:1].isalpha() else f"theme_{slug}"
    return slug[:60]


@dataclass(frozen=True)
class ReasonProposal:
    reason_id: str
    name: str
    group: str = ""  # "": the group of the theme's reason, else "other"
    owner_team: str = "operations"


def theme_proposal(theme: Theme) -> ReasonProposal:
    """Default id/name/group for a new reason from a theme's top keywords."""
    words = [w for w in theme.label.split(" / ") if w][:2]
    name = " ".join(words).capitalize() or "New theme"
    return ReasonProposal(reason_id=_slug("_".join(words) or "new_theme"), name=name)


def theme_propose_reason(
    *, theme: Theme, actor: Actor, proposal: ReasonProposal | None = None
) -> Theme:
    """Create a draft (inactive) taxonomy version that adds one reason built from the theme,
    through taxonomy.services.taxonomy_load_text; leads review and activate it there."""
    from signaldesk.taxonomy.models import TaxonomyVersion
    from signaldesk.taxonomy.schema import MIN_EXAMPLES, dump_taxonomy, parse_taxonomy
    from signaldesk.taxonomy.services import taxonomy_load_text

    prop = proposal or theme_proposal(theme)
    base = TaxonomyVersion.objects.filter(is_active=True).first()
    if base is None:
        raise ValidationError("Load a taxonomy before proposing a reason.")
    doc = copy.deepcopy(parse_taxonomy(base.source_yaml, source=base.source_name).doc)
    if any(r["id"] == prop.reason_id for r in doc["reasons"]):
        raise ValidationError(f"The taxonomy already has a reason {prop.reason_id!r}.")
    scope_group = next((r["group"] for r in doc["reasons"] if r["id"] == theme.scope), "other")
    examples = list(dict.fromkeys(q["text"][:200] for q in theme.quotes))
    examples += [f"Customer mentions {kw}" for kw in theme.keywords]
    if len(examples) < MIN_EXAMPLES:
        raise ValidationError("The theme has too few quotes and keywords to propose a reason.")
    reason = {
        "id": prop.reason_id, "name": prop.name, "group": prop.group or scope_group,
        "description": f"Proposed from theme '{theme.label}' ({theme.size} texts, "
        f"keywords: {', '.join(theme.keywords[:5])}).",
        "examples": examples[:6], "aliases": [], "required_context": ["order"],
        "response": {"macro": f"{prop.reason_id}_reply"[:60],
                     "template": "Hi {customer_name}, thank you for telling us. We are on it."},
        "auto_action": {"allowed": False, "action": "", "limit": None},
        "owner_team": prop.owner_team, "review_cadence": "weekly", "ticket_type": "general",
        "priority": "normal",
    }  # fmt: skip
    other = next(i for i, r in enumerate(doc["reasons"]) if r["id"] == "other")
    doc["reasons"].insert(other, reason)
    with transaction.atomic():
        version = taxonomy_load_text(
            text=dump_taxonomy(doc),
            source=f"{base.label}+{prop.reason_id}.yaml",
            actor=actor,
            activate=False,
            notes=f"Draft: new reason {prop.reason_id!r} proposed from theme {theme.pk}",
            parent=base,
        )
        theme.proposed_version = version
        theme.save(update_fields=["proposed_version"])
        audit_record(
            actor=actor,
            action="signals.theme_reason_proposed",
            obj=theme,
            after={"reason_id": prop.reason_id, "version": version.label},
        )
    return theme
