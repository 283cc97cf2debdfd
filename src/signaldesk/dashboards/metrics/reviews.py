"""Review themes: a small keyword lexicon (English, German, French, Dutch, Spanish, Italian
stems) that tags a review with the issue themes it mentions. Deterministic and cheap enough to
run inside the daily rollup; the clustering in signals.stats.themes is for discovery, this is
for counting the known themes over time."""

from __future__ import annotations

import re

THEMES: dict[str, tuple[str, ...]] = {
    "damaged": (
        "broke",
        "broken",
        "crack",
        "damage",
        "shatter",
        "kaputt",
        "beschädigt",
        "cassé",
        "endommag",
        "kapot",
        "roto",
        "rotto",
        "dented",
        "chipped",
    ),
    "sizing": (
        "too small",
        "too large",
        "too big",
        "runs small",
        "runs large",
        "size",
        "fit",
        "tight",
        "zu klein",
        "zu groß",
        "taille",
        "maat",
        "talla",
        "taglia",
    ),
    "quality": (
        "quality",
        "cheap",
        "flimsy",
        "fell apart",
        "qualität",
        "qualité",
        "kwaliteit",
        "calidad",
        "qualità",
        "thin",
        "pilling",
        "faded",
    ),
    "delivery": (
        "late",
        "delay",
        "arrived after",
        "took weeks",
        "never arrived",
        "courier",
        "verspät",
        "retard",
        "vertraag",
        "retras",
        "ritard",
        "shipping",
    ),
    "not_as_described": (
        "not as described",
        "different from",
        "colour",
        "color",
        "looks nothing",
        "anders als",
        "pas comme",
        "niet zoals",
        "no como",
    ),
    "wrong_item": (
        "wrong item",
        "wrong size sent",
        "wrong colour",
        "falsch",
        "mauvais",
        "verkeerd",
        "equivocado",
        "sbagliato",
    ),
    "value": (
        "price",
        "expensive",
        "overpriced",
        "value for money",
        "teuer",
        "cher",
        "duur",
        "caro",
    ),
}
_PATTERNS = {
    theme: re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    for theme, words in THEMES.items()
}


def review_themes(text: str) -> list[str]:
    """The themes a review text mentions, in THEMES order."""
    return [theme for theme, pattern in _PATTERNS.items() if pattern.search(text)]
