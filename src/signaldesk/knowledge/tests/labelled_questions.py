"""A small labelled set: customer questions as they are typed into the help page, each with the
article that answers it. Used by the relevance test and bench/knowledge_relevance.py."""

from __future__ import annotations

LABELLED: tuple[tuple[str, str], ...] = (
    ("How many days do I have to return my jeans?", "returns-policy"),
    ("Is a return free if the shoes are too small?", "returns-policy"),
    ("Can I exchange my dress for a bigger size?", "returns-policy"),
    ("Do the tags need to be on the item to return it?", "returns-policy"),
    ("How much does it cost to return something I don't like?", "returns-policy"),
    ("Where do I get a return label?", "returns-policy"),
    ("When do I get my money back after returning?", "refunds"),
    ("My refund is not on my bank statement yet", "refunds"),
    ("Refund to my credit card how long", "refunds"),
    ("Why has my refund not been issued yet?", "refunds"),
    ("The mug arrived broken", "damaged-items"),
    ("Item was damaged in the parcel, do I send it back?", "damaged-items"),
    ("How long after delivery can I report damage?", "damaged-items"),
    ("My parcel is late", "delivery"),
    ("How long does standard shipping take?", "delivery"),
    ("Do you offer next day express delivery?", "delivery"),
    ("The tracking has not changed for a week, is my parcel lost?", "delivery"),
    ("Where is my order? It should have arrived by now", "delivery"),
    ("Can I combine two discount codes?", "promo-codes"),
    ("My promo code does not work at checkout", "promo-codes"),
    ("I forgot to enter my code, can you apply it after the order?", "promo-codes"),
    ("When does the voucher code expire?", "promo-codes"),
    ("My lamp stopped working after 6 months", "warranty"),
    ("Does the warranty cover accidental damage?", "warranty"),
    ("How do I make a warranty claim?", "warranty"),
)
