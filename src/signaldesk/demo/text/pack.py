"""The shape of one language's phrase pack."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pack:
    code: str
    greet: tuple[str, ...]
    polite: tuple[str, ...]
    angry: tuple[str, ...]
    subjects: dict[str, tuple[str, ...]]
    bodies: dict[str, tuple[str, ...]]
    asks: tuple[str, ...]
    signoffs: tuple[str, ...]
    my_order: tuple[str, ...]
    order_styles: tuple[str, ...]
    """Ways to write an order number, '{n}' is the bare number."""
    repeat: tuple[str, ...]
    followups: tuple[str, ...]
    wrote: str
    """Quoted-reply header: '{when}' and '{who}'."""
