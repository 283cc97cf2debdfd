"""A customer's value segment: VIP, high value or standard, from loyalty tier, lifetime value and
the number of orders in the last 365 days. Thresholds live in settings (SIGNALDESK_VIP_* and
SIGNALDESK_HIGH_VALUE_*, docs/workflow.md); `customer_value` itself is a plain function.

VIP: a tier in SIGNALDESK_VIP_TIERS, or lifetime value ≥ SIGNALDESK_VIP_LIFETIME_VALUE, or at
least SIGNALDESK_VIP_ORDERS_365D orders in 365 days. High value (when not VIP): lifetime value ≥
SIGNALDESK_HIGH_VALUE_LIFETIME_VALUE or at least SIGNALDESK_HIGH_VALUE_ORDERS_365D orders.
Everyone else is standard. The reasons name every threshold that was met."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

VIP = "vip"
HIGH_VALUE = "high_value"
STANDARD = "standard"
SEGMENTS = (VIP, HIGH_VALUE, STANDARD)


@dataclass(frozen=True)
class ValueThresholds:
    vip_tiers: frozenset[str] = frozenset({"vip", "gold"})
    vip_lifetime_value: Decimal = Decimal("1000")
    vip_orders_365d: int = 12
    high_lifetime_value: Decimal = Decimal("400")
    high_orders_365d: int = 5


@dataclass(frozen=True)
class CustomerValue:
    segment: str
    reasons: tuple[str, ...] = ()

    @property
    def is_vip(self) -> bool:
        return self.segment == VIP

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


def value_thresholds() -> ValueThresholds:
    """The thresholds configured in settings (defaults as in ValueThresholds)."""
    from django.conf import settings

    default = ValueThresholds()
    tiers = getattr(settings, "SIGNALDESK_VIP_TIERS", None)
    return ValueThresholds(
        vip_tiers=frozenset(tiers) if tiers is not None else default.vip_tiers,
        vip_lifetime_value=Decimal(
            str(getattr(settings, "SIGNALDESK_VIP_LIFETIME_VALUE", default.vip_lifetime_value))
        ),
        vip_orders_365d=int(getattr(settings, "SIGNALDESK_VIP_ORDERS_365D", 12)),
        high_lifetime_value=Decimal(
            str(getattr(settings, "SIGNALDESK_HIGH_VALUE_LIFETIME_VALUE", "400"))
        ),
        high_orders_365d=int(getattr(settings, "SIGNALDESK_HIGH_VALUE_ORDERS_365D", 5)),
    )


def customer_value(
    *,
    tier: str,
    lifetime_value: Decimal | None,
    orders_365d: int,
    thresholds: ValueThresholds,
) -> CustomerValue:
    value = lifetime_value if lifetime_value is not None else Decimal("0")
    vip: list[str] = []
    if tier in thresholds.vip_tiers:
        vip.append(f"tier {tier}")
    if value >= thresholds.vip_lifetime_value:
        vip.append(f"lifetime value {value} ≥ {thresholds.vip_lifetime_value}")
    if orders_365d >= thresholds.vip_orders_365d:
        vip.append(f"{orders_365d} orders in 365 days ≥ {thresholds.vip_orders_365d}")
    if vip:
        return CustomerValue(VIP, tuple(vip))
    high: list[str] = []
    if value >= thresholds.high_lifetime_value:
        high.append(f"lifetime value {value} ≥ {thresholds.high_lifetime_value}")
    if orders_365d >= thresholds.high_orders_365d:
        high.append(f"{orders_365d} orders in 365 days ≥ {thresholds.high_orders_365d}")
    if high:
        return CustomerValue(HIGH_VALUE, tuple(high))
    return CustomerValue(STANDARD)
