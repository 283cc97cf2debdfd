"""Plain records passed between the generator stages."""

from __future__ import annotations

from dataclasses import dataclass, field

from signaldesk.demo.catalog import Variant


@dataclass(slots=True)
class Line:
    variant: Variant
    qty: int
    price: float
    batch: str = ""


@dataclass(slots=True)
class Shipment:
    tracking: str
    carrier: str
    method: str
    warehouse: str
    region: str
    status: str
    shipped: int | None
    promised_day: int
    delivered: int | None
    lines: list[Line]
    late: bool = False
    problem: str = ""  # lost | damaged | failed_delivery | ""


@dataclass(slots=True)
class Order:
    number: int
    customer: int
    t: int
    source: str
    campaign: str
    code: str
    pct: float
    lines: list[Line]
    method: str
    shipping_fee: float
    region: str
    cancelled: bool = False
    refunded: float = 0.0
    shipments: list[Shipment] = field(default_factory=list)

    gross: float = 0.0
    discount: float = 0.0
    subtotal: float = 0.0
    total: float = 0.0

    def price(self) -> None:
        """Compute the money fields once lines, code and shipping fee are final."""
        self.gross = round(sum(line.price * line.qty for line in self.lines), 2)
        self.discount = round(self.gross * self.pct, 2)
        self.subtotal = round(self.gross - self.discount, 2)
        self.total = round(self.subtotal + self.shipping_fee, 2)


@dataclass(slots=True)
class Contact:
    """A reason for a customer to write, decided when the order is generated and rendered into
    a ticket when its time comes."""

    t: int
    reason: str
    customer: int
    order: Order | None = None
    line: Line | None = None
    shipment: Shipment | None = None
    amount: float = 0.0
    code: str = ""
    incident: str = ""
    repeat: bool = False
    marketplace: bool = False
    prior: tuple[str, str] | None = None
    """(when, text) of the agent's earlier answer, quoted when a repeat contact is an email."""
