"""Customer and agent text: phrase packs per language, slot filling and noise (typos, order
number styles, signatures, quoted replies)."""
