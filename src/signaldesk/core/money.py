"""Money as Decimal with a currency. Parsing is strict: bad input raises ValueError."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"


def parse_decimal(raw: str | None, *, default: Decimal | None = None) -> Decimal | None:
    """Parse '12.50', '1,234.50', '12,50' (decimal comma) or '' (-> default)."""
    if raw is None:
        return default
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    for symbol in ("€", "$", "£"):
        text = text.replace(symbol, "")
    if not text:
        return default
    if "," in text and "." in text:
        text = (
            text.replace(",", "")
            if text.rfind(".") > text.rfind(",")
            else text.replace(".", "").replace(",", ".")
        )
    elif "," in text:
        head, _, tail = text.rpartition(",")
        text = f"{head.replace(',', '')}.{tail}" if len(tail) != 3 else text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {raw!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a finite number: {raw!r}")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
