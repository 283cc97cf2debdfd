"""Suggested owner team and action type for a signal (reason and segment dimension).

The segment dimension decides first when it points at a part of the business (a carrier is
operations, a discount code is ecommerce); otherwise the reason's ``owner_team`` in the active
taxonomy (its ``supplier`` team maps to operations, which owns supplier quality here), and
finally the static map below."""

from __future__ import annotations

from signaldesk.actions.models import ActionType, OwnerTeam

DIMENSION_OWNER: dict[str, str] = {
    "carrier": OwnerTeam.OPERATIONS,
    "carrier_region": OwnerTeam.OPERATIONS,
    "carrier+region": OwnerTeam.OPERATIONS,
    "warehouse": OwnerTeam.OPERATIONS,
    "batch": OwnerTeam.OPERATIONS,
    "supplier": OwnerTeam.OPERATIONS,
    "discount_code": OwnerTeam.ECOMMERCE,
    "source": OwnerTeam.ECOMMERCE,
    "campaign": OwnerTeam.LIFECYCLE,
}

REASON_OWNER: dict[str, str] = {
    "sizing": OwnerTeam.MERCHANDISING,
    "fit": OwnerTeam.PRODUCT,
    "expectation_mismatch": OwnerTeam.MERCHANDISING,
    "quality_issue": OwnerTeam.PRODUCT,
    "damaged_item": OwnerTeam.OPERATIONS,
    "checkout_problem": OwnerTeam.ECOMMERCE,
    "discount_code": OwnerTeam.ECOMMERCE,
    "payment_issue": OwnerTeam.FINANCE,
    "refund_status": OwnerTeam.FINANCE,
    "order_status": OwnerTeam.LIFECYCLE,
}

REASON_TYPE: dict[str, str] = {
    "sizing": ActionType.SIZING_GUIDE,
    "fit": ActionType.SIZING_GUIDE,
    "expectation_mismatch": ActionType.PRODUCT_PAGE,
    "product_instructions": ActionType.FAQ,
    "quality_issue": ActionType.SUPPLIER,
    "warranty_request": ActionType.SUPPLIER,
    "damaged_item": ActionType.PACKAGING,
    "damaged_parcel": ActionType.PACKAGING,
    "delivery_delay": ActionType.FULFILMENT,
    "failed_delivery": ActionType.FULFILMENT,
    "lost_parcel": ActionType.FULFILMENT,
    "wrong_item": ActionType.FULFILMENT,
    "missing_item": ActionType.FULFILMENT,
    "checkout_problem": ActionType.CHECKOUT_FIX,
    "payment_issue": ActionType.CHECKOUT_FIX,
    "discount_code": ActionType.CHECKOUT_FIX,
    "order_status": ActionType.LIFECYCLE_MESSAGE,
    "return_request": ActionType.RETURN_POLICY,
    "refund_status": ActionType.RETURN_POLICY,
    "exchange_request": ActionType.RETURN_POLICY,
}

DIMENSION_TYPE: dict[str, str] = {
    "carrier": ActionType.FULFILMENT,
    "carrier+region": ActionType.FULFILMENT,
    "warehouse": ActionType.FULFILMENT,
    "batch": ActionType.SUPPLIER,
    "supplier": ActionType.SUPPLIER,
    "campaign": ActionType.PAUSE_PROMOTION,
}

_TAXONOMY_TEAM = {"supplier": OwnerTeam.OPERATIONS}


def _taxonomy_owner(reason: str) -> str | None:
    from signaldesk.taxonomy.models import ContactReason

    team = (
        ContactReason.objects.filter(version__is_active=True, reason_id=reason)
        .values_list("owner_team", flat=True)
        .first()
    )
    if team is None:
        return None
    team = _TAXONOMY_TEAM.get(team, team)
    return team if team in OwnerTeam.values else None


def suggest_owner(*, reason: str, dimension: str = "") -> str:
    """The owner team for a signal of ``reason`` on a segment of ``dimension``."""
    if dimension in DIMENSION_OWNER:
        return DIMENSION_OWNER[dimension]
    return _taxonomy_owner(reason) or REASON_OWNER.get(reason, OwnerTeam.OPERATIONS)


def suggest_type(*, reason: str, dimension: str = "") -> str:
    if dimension in DIMENSION_TYPE:
        return DIMENSION_TYPE[dimension]
    return REASON_TYPE.get(reason, ActionType.FAQ)
