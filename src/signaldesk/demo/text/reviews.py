# ruff: noqa: E501  (phrase data: one template per line reads better than wrapped strings)
"""Review titles and bodies by situation."""

from __future__ import annotations

import random

REVIEWS: dict[str, tuple[tuple[str, str], ...]] = {
    "great": (("Love it", "Exactly as pictured, great quality. Would buy again."),
              ("Perfect", "Fits perfectly and the fabric feels lovely."),
              ("Beautiful", "Even nicer in real life. Fast delivery too."),
              ("Super", "Tolle Qualität, sehr zufrieden!"),
              ("Parfait", "Très belle qualité, je recommande.")),
    "ok": (("Nice but", "Nice enough, colour slightly different from the photos."),
           ("Good", "Good value, delivery took a bit long."),
           ("Okay", "Decent quality for the price.")),
    "poor": (("Disappointed", "Quality not what I expected for the price."),
             ("Meh", "Started pilling after two washes."),
             ("Not great", "Stitching came loose quickly.")),
    "damaged": (("Arrived broken", "Arrived cracked, packaging had no protection at all."),
                ("Damaged", "Second one I ordered and again it came chipped. Poor packing."),
                ("Broken", "Mine was broken in the box. Kaputt angekommen."),
                ("Cracked", "Cracked on arrival. Replacement also cracked.")),
    "small": (("Runs small", "Runs small! Order at least one size up."),
              ("Too tight", "Lovely fabric but it runs really small, had to exchange for a bigger size."),
              ("Size up", "Beautiful dress but sizing is off, runs a full size small."),
              ("Fällt klein aus", "Schönes Kleid, aber fällt eine Nummer zu klein aus.")),
    "fit": (("Fit", "Sizing was a bit off for me, had to return."),
            ("Not my size", "Check the size guide, it's not quite true to size.")),
}  # fmt: skip


def review_text(rng: random.Random, kind: str) -> tuple[str, str]:
    return rng.choice(REVIEWS[kind])
