"""Rendering a contact into a Zendesk ticket or a row of the second helpdesk's CSV, with its
conversation, status, tags and satisfaction as seen on the export date."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from typing import Any

from signaldesk.demo.catalog import Catalog, larger_variant
from signaldesk.demo.clock import DAY, HOUR, MINUTE, Clock
from signaldesk.demo.customers import Customers
from signaldesk.demo.model import Contact
from signaldesk.demo.rand import between, pick
from signaldesk.demo.tags import agent_tags
from signaldesk.demo.text import compose

ZD_USER_BASE = 361_000_000_000
ZD_CHANNELS = (
    "email",
    "web",
    "chat",
    "facebook",
    "instagram",
    "whatsapp",
    "voice",
    "api",
    "social",
)
ZD_CHANNEL_CUM = list(itertools.accumulate((40, 14, 14, 3, 3, 8, 8, 2, 8)))
GROUPS = (
    (360000101, "Support"),
    (360000102, "Returns & Refunds"),
    (360000103, "Escalations"),
    (360000104, "Social & Messaging"),
)
# (name, zendesk id, group id, tag habit, laziness)
AGENTS = (
    ("Maya Jensen", 361000000011, 360000101, 0, 0.10),
    ("Tom Keller", 361000000012, 360000101, 1, 0.35),
    ("Sofia Romero", 361000000013, 360000102, 2, 0.05),
    ("Lukas Brandt", 361000000014, 360000101, 3, 0.20),
    ("Chloé Martin", 361000000015, 360000104, 4, 0.15),
    ("Daan Visser", 361000000016, 360000103, 5, 0.05),
    ("Priya Shah", 361000000017, 360000102, 6, 0.25),
)
QUESTION = frozenset(
    {
        "sizing",
        "stock_availability",
        "preorder",
        "back_in_stock",
        "other",
        "product_instructions",
        "subscription_change",
        "account_issue",
    }
)
LOW = frozenset({"subscription_change", "review", "other", "stock_availability"})
RETURNS = frozenset({"return_request", "refund_status", "exchange_request", "warranty_request"})
CSAT_COMMENTS = {
    "good": ("Quick and helpful, thanks!", "Great service", "", "Sorted, thank you"),
    "bad": ("Took far too long.", "Still no solution", "", "Not helpful at all"),
}


@dataclass
class Rendered:
    source: str  # zendesk | tickets_csv
    ticket_id: str
    language: str
    zendesk: dict[str, Any] | None
    row: list[object] | None
    followup: Contact | None


class TicketRenderer:
    def __init__(
        self, *, rng: random.Random, clock: Clock, catalog: Catalog, customers: Customers
    ) -> None:
        self.rng = rng
        self.clock = clock
        self.catalog = catalog
        self.customers = customers
        self.zd_next = 1001
        self.csv_next = 1
        self.comment_next = 9_100_000_001
        self.requesters: set[int] = set()

    def render(self, c: Contact) -> Rendered:
        rng = self.rng
        cust = self.customers
        if c.marketplace and rng.random() < 0.85:
            channel = "marketplace"
        else:
            channel = pick(rng, ZD_CHANNELS, ZD_CHANNEL_CUM)
        lang = cust.language(c.customer)
        text_lang = "en" if channel == "voice" else lang
        s = self._slots(c, lang)
        who = compose.Person(
            cust.first_name(c.customer), cust.last_name(c.customer), cust.phone(c.customer)
        )
        vip = bool(cust.vip[c.customer])
        angry = rng.random() < (0.35 if c.repeat or c.incident else 0.12)
        typo_rate = rng.choice((0.0, 0.0, 0.02, 0.04, 0.08))
        subject = compose.subject(rng, lang, c.reason, s)
        body = compose.customer_message(
            rng,
            lang=lang,
            reason=c.reason,
            channel=channel,
            s=s,
            who=who,
            angry=angry,
            repeat=c.repeat,
            quoted=c.prior,
            typo_rate=typo_rate,
        )
        agent = rng.choice(AGENTS)
        status, solved = self._status(c.t)
        first_reply = self._first_reply(c.t, channel, vip)
        reply = None
        if status != "new" and first_reply < self.clock.end:
            reply = compose.agent_reply(rng, lang, c.reason, s, who.first, agent[0].split()[0])
        followup = None
        p_repeat = 0.25 if (c.incident or c.reason in ("lost_parcel", "delivery_delay")) else 0.07
        if not c.repeat and rng.random() < p_repeat:
            t2 = c.t + between(rng, DAY, 4 * DAY)
            if t2 < self.clock.end:
                prior = (self.clock.email_header(first_reply), reply) if reply else None
                followup = Contact(
                    t=t2,
                    reason=c.reason,
                    customer=c.customer,
                    order=c.order,
                    line=c.line,
                    shipment=c.shipment,
                    amount=c.amount,
                    code=c.code or rng.choice(("WELCOME10", "SUMMER20", "NEWSLETTER15")),
                    incident=c.incident,
                    repeat=True,
                    marketplace=c.marketplace,
                    prior=prior,
                )
        priority: str | None = "normal"
        if vip or angry or c.incident or c.repeat:
            priority = "urgent" if c.reason == "lost_parcel" or (vip and angry) else "high"
        elif c.reason in LOW:
            priority = "low"
        if rng.random() < 0.28:
            priority = None
        ttype: str | None = "question" if c.reason in QUESTION else "incident"
        if c.incident and rng.random() < 0.3:
            ttype = "problem"
        if rng.random() < 0.25:
            ttype = None
        tags = agent_tags(rng, c.reason, agent[3], agent[4]) if status != "new" else []
        if vip:
            tags.append("vip")
        if lang != "en" and rng.random() < 0.5:
            tags.append(f"lang_{lang}")
        satisfaction, sat_comment = self._csat(status, angry or c.repeat or bool(c.incident))
        if channel == "marketplace" or channel == "social":
            return self._csv_row(
                c,
                channel,
                lang,
                text_lang,
                subject,
                body,
                status,
                priority,
                ttype,
                tags,
                agent,
                satisfaction,
                followup,
                first_reply,
                solved,
            )
        return self._zendesk(
            c,
            channel,
            text_lang,
            subject,
            body,
            status,
            priority,
            ttype,
            tags,
            agent,
            satisfaction,
            sat_comment,
            reply,
            first_reply,
            solved,
            s,
            followup,
        )

    def _slots(self, c: Contact, lang: str) -> compose.Slots:
        rng = self.rng
        line = c.line
        if line is None and c.order is not None and c.order.lines:
            line = rng.choice(c.order.lines)
        if line is not None:
            variant = line.variant
        else:
            variant = rng.choice(self.catalog.products[between(rng, 0, 40)].variants)
        product = self.catalog.products[variant.product]
        bigger = larger_variant(self.catalog, variant)
        s = compose.Slots(
            order_no=c.order.number if c.order is not None else None,
            product=compose.product_phrase(
                rng, product.title, variant.colour, variant.size, variant.sku, lang
            ),
            size=variant.size,
            bigger=bigger.size if bigger else variant.size,
            code=c.code,
            amount=f"{c.amount:.2f}" if c.amount else f"{variant.price:.2f}",
            date=self.clock.date(max(0, c.t - 4 * DAY)).strftime("%d/%m"),
        )
        sh = c.shipment
        if sh is not None:
            s.carrier, s.tracking = sh.carrier, sh.tracking
            s.date = self.clock.date(sh.promised_day * DAY).strftime("%d/%m")
            s.days = max(1, (c.t - (sh.shipped or c.t)) // DAY)
        return s

    def _status(self, t: int) -> tuple[str, int | None]:
        rng, age = self.rng, self.clock.end - t
        if age < DAY:
            return rng.choice(("new", "new", "open", "open", "pending")), None
        if age < 4 * DAY:
            st = rng.choices(("open", "pending", "hold", "solved"), (35, 35, 5, 25))[0]
        else:
            st = rng.choices(("solved", "closed", "open", "pending"), (40, 55, 3, 2))[0]
        solved = (
            t + between(rng, 2 * HOUR, min(age, 6 * DAY)) if st in ("solved", "closed") else None
        )
        return st, solved

    def _first_reply(self, t: int, channel: str, vip: bool) -> int:
        rng = self.rng
        if channel in ("chat", "voice"):
            return t + between(rng, MINUTE, 12 * MINUTE)
        hi = 6 * HOUR if vip else 30 * HOUR
        return t + between(rng, 15 * MINUTE, hi)

    def _csat(self, status: str, unhappy: bool) -> tuple[str, str]:
        rng = self.rng
        if status not in ("solved", "closed"):
            return "unoffered", ""
        bad = 30 if unhappy else 8
        score = rng.choices(("unoffered", "offered", "good", "bad"), (35, 30, 35 - bad // 3, bad))[
            0
        ]
        comment = rng.choice(CSAT_COMMENTS[score]) if score in ("good", "bad") else ""
        return score, comment

    def _zendesk(
        self,
        c: Contact,
        channel: str,
        lang: str,
        subject: str,
        body: str,
        status: str,
        priority: str | None,
        ttype: str | None,
        tags: list[str],
        agent: tuple[str, int, int, int, float],
        satisfaction: str,
        sat_comment: str,
        reply: str | None,
        first_reply: int,
        solved: int | None,
        s: compose.Slots,
        followup: Contact | None,
    ) -> Rendered:
        rng, clock = self.rng, self.clock
        tid = self.zd_next
        self.zd_next += 1
        requester = ZD_USER_BASE + c.customer
        self.requesters.add(c.customer)
        comments = [self._comment(requester, body, True, c.t)]
        last = c.t
        if reply is not None:
            if rng.random() < 0.15:
                note_t = first_reply - between(rng, MINUTE, 10 * MINUTE)
                comments.append(
                    self._comment(agent[1], compose.internal_note(rng, s), False, note_t)
                )
            comments.append(self._comment(agent[1], reply, True, first_reply))
            last = first_reply
            if rng.random() < 0.3:
                t3 = first_reply + between(rng, HOUR, 2 * DAY)
                if t3 < clock.end:
                    fu = rng.choice(compose.PACKS[lang].followups)
                    comments.append(self._comment(requester, fu, True, t3))
                    last = t3
        if solved is not None and solved > last:
            last = solved
        order_field = None
        if c.order is not None and rng.random() < 0.7:
            order_field = rng.choice((f"#{c.order.number}", str(c.order.number)))
        ticket: dict[str, Any] = {
            "id": tid,
            "url": f"https://hearthandthread.zendesk.com/api/v2/tickets/{tid}.json",
            "created_at": clock.utc(c.t),
            "updated_at": clock.utc(min(last, clock.end - 1)),
            "subject": subject,
            "description": body,
            "status": status,
            "priority": priority,
            "type": ttype,
            "tags": tags,
            "via": {"channel": channel},
            "requester_id": requester,
            "assignee_id": agent[1] if status != "new" else None,
            "group_id": agent[2] if status != "new" else None,
            "custom_fields": [{"id": 360001, "value": order_field}],
            "satisfaction_rating": {"score": satisfaction, "comment": sat_comment}
            if satisfaction in ("good", "bad")
            else {"score": satisfaction},
            "comments": comments,
        }
        return Rendered("zendesk", str(tid), lang, ticket, None, followup)

    def _comment(self, author: int, body: str, public: bool, t: int) -> dict[str, Any]:
        cid = self.comment_next
        self.comment_next += 1
        html = "<p>" + body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        html = html.replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"
        return {
            "id": cid,
            "author_id": author,
            "body": body,
            "html_body": html,
            "public": public,
            "created_at": self.clock.utc(t),
        }

    def _csv_row(
        self,
        c: Contact,
        channel: str,
        lang: str,
        text_lang: str,
        subject: str,
        body: str,
        status: str,
        priority: str | None,
        ttype: str | None,
        tags: list[str],
        agent: tuple[str, int, int, int, float],
        satisfaction: str,
        followup: Contact | None,
        first_reply: int,
        solved: int | None,
    ) -> Rendered:
        rng, clock, cust = self.rng, self.clock, self.customers
        tid = f"HD2-{self.csv_next:06d}"
        self.csv_next += 1
        if channel == "marketplace":
            platform = rng.choice(("zalando", "amazon", "bol"))
            email = f"{c.customer * 7919 % 999_983:06x}@relay.{platform}.example"
            name, phone = cust.first_name(c.customer), ""
        else:
            platform = rng.choice(("instagram", "facebook", "tiktok"))
            email = cust.email(c.customer) if rng.random() < 0.3 else ""
            name = rng.choice((cust.name(c.customer), f"@{cust.email(c.customer).split('@')[0]}"))
            phone = ""
        tags = [platform, *tags]
        order_no = ""
        if c.order is not None and rng.random() < 0.8:
            order_no = rng.choice((f"#{c.order.number}", str(c.order.number)))
        sku = c.line.variant.sku if c.line is not None and rng.random() < 0.4 else ""
        updated = solved or (first_reply if status != "new" else c.t)
        row: list[object] = [
            tid,
            clock.iso(c.t),
            channel,
            subject,
            body,
            status,
            priority or "",
            ttype or "",
            clock.iso(min(updated, clock.end - 1)),
            email,
            name,
            phone,
            order_no,
            sku,
            ",".join(tags),
            agent[0] if status != "new" else "",
            "Marketplace" if channel == "marketplace" else "Social",
            text_lang,
            satisfaction if satisfaction in ("good", "bad") else "",
        ]
        return Rendered("tickets_csv", tid, text_lang, None, row, followup)

    def users(self) -> list[dict[str, Any]]:
        cust = self.customers
        out: list[dict[str, Any]] = [
            {
                "id": a[1],
                "name": a[0],
                "email": f"{a[0].split()[0].lower()}@hearthandthread.example",
                "role": "agent",
                "locale": "en-US",
                "default_group_id": a[2],
            }
            for a in AGENTS
        ]
        for i in sorted(self.requesters):
            out.append(
                {
                    "id": ZD_USER_BASE + i,
                    "name": cust.name(i),
                    "email": cust.email(i),
                    "phone": cust.phone(i) or None,
                    "role": "end-user",
                    "locale": cust.language(i),
                    "tags": ["vip"] if cust.vip[i] else [],
                }
            )
        return out


def groups() -> list[dict[str, Any]]:
    return [{"id": gid, "name": name} for gid, name in GROUPS]
