"""Turning a contact into text: subject, customer message, agent replies and internal notes."""

from __future__ import annotations

import random
from dataclasses import dataclass

from signaldesk.demo.text.en import EN
from signaldesk.demo.text.intl_de_fr import DE, FR
from signaldesk.demo.text.intl_es_nl_it import ES, IT, NL
from signaldesk.demo.text.pack import Pack

PACKS: dict[str, Pack] = {"en": EN, "de": DE, "fr": FR, "es": ES, "nl": NL, "it": IT}
SHORT_CHANNELS = frozenset({"chat", "whatsapp", "facebook", "instagram", "social", "marketplace"})
STORE = "Hearth & Thread"
SUPPORT = f"{STORE} Support <support@hearthandthread.example>"


@dataclass
class Slots:
    order_no: int | None = None
    product: str = "the item"
    size: str = "M"
    bigger: str = "L"
    carrier: str = "the courier"
    tracking: str = ""
    code: str = ""
    amount: str = ""
    date: str = ""
    days: int = 3


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    phone: str


def order_phrase(rng: random.Random, pack: Pack, order_no: int | None) -> str:
    """How the customer writes the order: '#10023', 'order no. 10023', 'Bestellnummer 10023', …
    or no number at all."""
    if order_no is None or rng.random() < 0.18:
        return rng.choice(pack.my_order)
    return rng.choice(pack.order_styles).format(n=order_no)


def product_phrase(
    rng: random.Random, title: str, colour: str, size: str, sku: str, lang: str
) -> str:
    """Products mentioned loosely: full title, lower case, just the noun, with colour, or SKU."""
    noun = " ".join(title.split()[-2:]) if len(title.split()) > 2 else title.split()[-1]
    r = rng.random()
    if r < 0.06:
        return sku
    if lang != "en":
        return title if r < 0.6 else f"{title} ({colour})"
    if r < 0.30:
        return title
    if r < 0.50:
        return title.lower()
    if r < 0.70:
        return noun.lower()
    if r < 0.88:
        return f"{colour.lower()} {noun.lower()}"
    return f"{title} in {size}"


def typos(rng: random.Random, text: str, rate: float) -> str:
    """Character swaps, drops and doubles in a share of words (never in numbers or codes)."""
    if rate <= 0:
        return text
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) < 4 or rng.random() >= rate or not w.isalpha():
            continue
        k = rng.randrange(1, len(w) - 1)
        kind = rng.random()
        if kind < 0.45:
            words[i] = w[: k - 1] + w[k] + w[k - 1] + w[k + 1 :]
        elif kind < 0.8:
            words[i] = w[:k] + w[k + 1 :]
        else:
            words[i] = w[:k] + w[k] + w[k:]
    return " ".join(words)


def _fill(template: str, pack: Pack, rng: random.Random, s: Slots) -> str:
    return template.format(
        order=order_phrase(rng, pack, s.order_no),
        product=s.product,
        size=s.size,
        bigger=s.bigger,
        carrier=s.carrier,
        tracking=s.tracking or "",
        code=s.code or "the code",
        amount=s.amount,
        date=s.date,
        days=s.days,
    )


def subject(rng: random.Random, lang: str, reason: str, s: Slots) -> str:
    pack = PACKS[lang]
    text = _fill(rng.choice(pack.subjects[reason]), pack, rng, s)
    if rng.random() < 0.08:
        text = "Re: " + text
    return text


def customer_message(
    rng: random.Random,
    *,
    lang: str,
    reason: str,
    channel: str,
    s: Slots,
    who: Person,
    angry: bool,
    repeat: bool,
    quoted: tuple[str, str] | None = None,
    typo_rate: float = 0.0,
) -> str:
    """The customer's own words. `quoted` = (when, previous agent reply) for email replies."""
    pack = PACKS[lang]
    body = _fill(rng.choice(pack.bodies[reason]), pack, rng, s)
    if s.order_no is not None and rng.random() < 0.25 and str(s.order_no) not in body:
        body += " " + order_phrase(rng, pack, s.order_no).capitalize()
    if channel == "voice":
        dur = rng.randrange(40, 900)
        mood = "Caller upset." if angry else "Caller calm."
        note = (
            f"Phone call from {who.phone or 'withheld number'} ({dur // 60}m {dur % 60}s). "
            f"{mood} Customer says: {body}"
        )
        return typos(rng, note, typo_rate / 2)
    if channel in SHORT_CHANNELS:
        parts = [body]
        if repeat:
            parts.insert(0, rng.choice(pack.repeat))
        if angry:
            parts.append(rng.choice(pack.angry))
        text = " ".join(parts)
        if rng.random() < 0.35:
            text = text.lower().rstrip(".")
        return typos(rng, text, typo_rate * 1.6)
    parts = [rng.choice(pack.greet)]
    if angry:
        parts.append(rng.choice(pack.angry))
    elif rng.random() < 0.4:
        parts.append(rng.choice(pack.polite))
    if repeat:
        parts.append(rng.choice(pack.repeat))
    parts.append(body)
    if angry and rng.random() < 0.5:
        parts[-1] = parts[-1].upper()
    parts.append(rng.choice(pack.asks))
    head, rest = parts[0], parts[1:]
    text = head + "\n\n" + " ".join(rest)
    text = typos(rng, text, typo_rate)
    if channel == "email" or rng.random() < 0.3:
        text += "\n\n" + rng.choice(pack.signoffs).format(first=who.first, last=who.last)
    if quoted is not None and channel == "email":
        when, prior = quoted
        quoted_lines = "\n".join("> " + line if line else ">" for line in prior.split("\n"))
        text += "\n\n" + pack.wrote.format(when=when, who=SUPPORT) + "\n" + quoted_lines
    return text


AGENT_LINES: dict[str, tuple[str, ...]] = {
    "delivery": (
        "I've checked {order} with {carrier} and the parcel is on its way; the carrier reports a "
        "delay in your area and expects to deliver within the next 2–3 working days.",
        "Sorry for the wait. Tracking {tracking} shows the parcel is still moving; if it hasn't "
        "arrived by Friday we'll send a replacement straight away.",
    ),
    "damage": (
        "I'm so sorry the {product} arrived like that. Could you send us a photo of the item and "
        "the box? We'll send a replacement or refund, whichever you prefer.",
        "Thanks for the photos. I've arranged a free replacement, you don't need to send the "
        "damaged item back.",
    ),
    "size": (
        "Thanks for letting us know. Our size guide is on the product page; for the {product} we "
        "suggest going one size up. I've set up a free exchange for you.",
        "Sorry the fit isn't right. You can exchange it for free within 30 days from your "
        "account, or I can create the exchange for you now.",
    ),
    "returns": (
        "I've created a free return label for {order}; you'll get it by email in a few minutes. "
        "Refunds are processed within 5 working days after the parcel reaches us.",
        "Your return reached our warehouse and the refund of €{amount} has been approved; it can "
        "take 3–5 days to show on your statement.",
    ),
    "promo": (
        "Sorry about that. We're aware of an issue with {code} in the app; I've applied the "
        "discount to {order} manually and refunded the difference.",
        "I've checked and the payment was only captured once; the second amount is a "
        "pre-authorisation that drops off within a few days.",
    ),
    "generic": (
        "Thanks for reaching out. I've looked into this for you and updated your request.",
        "Thanks for your message! I've passed this on to the right team and will update you soon.",
    ),
}
FAMILY = {
    "delivery_delay": "delivery", "order_status": "delivery", "failed_delivery": "delivery",
    "lost_parcel": "delivery", "wrong_address": "delivery", "damaged_parcel": "damage",
    "damaged_item": "damage", "quality_issue": "damage", "wrong_item": "damage",
    "missing_item": "damage", "warranty_request": "damage", "sizing": "size", "fit": "size",
    "exchange_request": "size", "return_request": "returns", "refund_status": "returns",
    "discount_code": "promo", "payment_issue": "promo", "checkout_problem": "promo",
}  # fmt: skip
AGENT_GREET = {"en": "Hi {first},", "de": "Hallo {first},", "fr": "Bonjour {first},"}
AGENT_SIGN = {
    "en": "Kind regards,\n{agent}\n{store} Customer Care",
    "de": "Viele Grüße\n{agent}\n{store} Kundenservice",
    "fr": "Bien cordialement,\n{agent}\nService client {store}",
}
NOTES = (
    "Checked with {carrier}: parcel at depot, no scan since {date}. Escalated to ops.",
    "Customer is VIP, please handle with priority.",
    "Refund approved by lead.",
    "Possible batch issue, linked to other tickets about the {product}.",
    "Asked customer for photos. Waiting.",
    "Same issue reported three times this week, flagged to product team.",
    "Macro 'Return label' sent.",
)


def agent_reply(
    rng: random.Random, lang: str, reason: str, s: Slots, first: str, agent: str
) -> str:
    line = rng.choice(AGENT_LINES[FAMILY.get(reason, "generic")])
    reply_lang = "en"  # a small shop: agents answer in English
    body = line.format(
        order=f"order #{s.order_no}" if s.order_no else "your order",
        carrier=s.carrier,
        tracking=s.tracking or "your tracking number",
        product=s.product,
        code=s.code or "the code",
        amount=s.amount or "the amount",
    )
    greet = AGENT_GREET[reply_lang].format(first=first)
    sign = AGENT_SIGN[reply_lang].format(agent=agent, store=STORE)
    return f"{greet}\n\n{body}\n\n{sign}"


def internal_note(rng: random.Random, s: Slots) -> str:
    return rng.choice(NOTES).format(carrier=s.carrier, date=s.date or "Monday", product=s.product)
