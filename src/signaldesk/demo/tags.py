"""Messy legacy tags as real agents used them: synonyms, typos, broad buckets."""

from __future__ import annotations

import random

LEGACY_TAGS: dict[str, tuple[str, ...]] = {
    "delivery_delay": (
        "shipping",
        "shiping",
        "delivery_issue",
        "late-delivery",
        "where_is_my_order",
        "wismo",
        "delay",
    ),
    "order_status": ("wismo", "where_is_my_order", "order_status", "shipping", "tracking"),
    "failed_delivery": ("delivery_issue", "shipping", "missed_delivery", "courier"),
    "wrong_address": ("address_change", "shipping", "order_change", "adress"),
    "lost_parcel": ("lost", "shipping", "delivery_issue", "lost_package", "claim"),
    "damaged_parcel": ("damaged", "shipping", "courier", "product_issue"),
    "wrong_item": ("wrong_item", "product_issue", "warehouse_error", "picking"),
    "missing_item": ("missing", "product_issue", "missing_item", "warehouse_error"),
    "damaged_item": ("damaged", "broken", "product_issue", "damage", "quality"),
    "quality_issue": ("quality", "product_issue", "defect", "qa"),
    "sizing": ("sizing", "size", "size_question", "product_question"),
    "fit": ("sizing", "fit", "size", "too_small", "product_issue"),
    "product_instructions": ("product_question", "how_to", "instructions", "general"),
    "expectation_mismatch": ("product_issue", "not_as_described", "return"),
    "return_request": ("return", "returns", "retour", "rma"),
    "refund_status": ("refund", "refunds", "where_is_my_refund", "finance"),
    "exchange_request": ("exchange", "return", "sizing", "swap"),
    "warranty_request": ("warranty", "product_issue", "guarantee"),
    "discount_code": ("discount", "promo", "coupon", "voucher", "promo_code"),
    "payment_issue": ("payment", "billing", "double_charge", "finance"),
    "checkout_problem": ("checkout", "website", "bug", "tech"),
    "account_issue": ("account", "login", "gdpr", "tech"),
    "stock_availability": ("stock", "availability", "product_question", "general"),
    "preorder": ("preorder", "pre-order", "stock"),
    "back_in_stock": ("restock", "stock", "back_in_stock"),
    "substitution": ("substitution", "warehouse_error", "stock"),
    "review": ("review", "feedback", "general"),
    "complaint": ("complaint", "escalation", "angry", "general"),
    "cancellation": ("cancel", "cancellation", "order_change"),
    "subscription_change": ("newsletter", "unsubscribe", "marketing", "general"),
    "other": ("general", "misc", "other", "question"),
}


def agent_tags(rng: random.Random, reason: str, habit: int, lazy: float) -> list[str]:
    """Agent `habit` prefers certain synonyms; lazy agents use broad buckets or nothing."""
    r = rng.random()
    if r < lazy * 0.4:
        return []
    if r < lazy:
        return [rng.choice(("general", "misc", "product_issue", "general"))]
    vocab = LEGACY_TAGS[reason]
    first = vocab[habit % len(vocab)]
    tags = [first]
    if rng.random() < 0.45:
        tags.append(rng.choice(vocab))
    if rng.random() < 0.05:
        tags.append(first)  # the same tag twice, as old exports have
    return tags
