"""Suppliers, products, variants and batch codes of the demo store."""

from __future__ import annotations

import random
from dataclasses import dataclass

APPAREL = (("XS", "S", "M", "L", "XL"), (8, 22, 32, 26, 12))
SHOES = (
    ("36", "37", "38", "39", "40", "41", "42", "43", "44", "45"),
    (4, 8, 12, 14, 13, 12, 12, 11, 8, 6),
)
BED = (("Single", "Double", "King"), (25, 50, 25))
POTS = (("16 cm", "20 cm", "24 cm"), (30, 45, 25))
ONE = (("One Size",), (1,))
TOWEL = (("Hand 50x100", "Bath 70x140", "Sheet 100x150"), (40, 45, 15))

COLOURS = {
    "BLK": "Black",
    "NVY": "Navy",
    "WHT": "White",
    "OAT": "Oatmeal",
    "SGE": "Sage",
    "RST": "Rust",
    "BLU": "Indigo",
    "GRY": "Grey",
    "TER": "Terracotta",
    "SND": "Sand",
}


@dataclass(frozen=True)
class CategorySpec:
    name: str
    code: str
    suppliers: tuple[str, ...]
    sizes: tuple[tuple[str, ...], tuple[int, ...]]
    price: tuple[int, int]
    return_rate: float
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]
    apparel: bool
    count: int


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "Dresses",
        "DRS",
        ("Atelier Lumen", "Nordvik Textiles"),
        APPAREL,
        (49, 139),
        0.22,
        ("Wrap Dress", "Midi Dress", "Slip Dress", "Shirt Dress", "Maxi Dress"),
        ("Linen", "Satin", "Ribbed", "Pleated", "Tiered", "Poplin"),
        True,
        12,
    ),
    CategorySpec(
        "Jeans",
        "JNS",
        ("Denim District",),
        APPAREL,
        (59, 119),
        0.24,
        ("Straight Jeans", "Wide-Leg Jeans", "Slim Jeans", "Mom Jeans"),
        ("Organic", "Stretch", "Vintage Wash", "Raw", "High-Rise"),
        True,
        9,
    ),
    CategorySpec(
        "Knitwear",
        "KNT",
        ("Porto Knit Co.", "Nordvik Textiles"),
        APPAREL,
        (45, 129),
        0.15,
        ("Crew Jumper", "Cardigan", "Roll-Neck", "Knit Vest"),
        ("Merino", "Cashmere-Blend", "Chunky", "Cable", "Cotton"),
        True,
        11,
    ),
    CategorySpec(
        "Outerwear",
        "OUT",
        ("Blue Harbour Outerwear",),
        APPAREL,
        (89, 249),
        0.14,
        ("Trench Coat", "Puffer Jacket", "Rain Jacket", "Wool Coat", "Overshirt"),
        ("Recycled", "Waxed", "Quilted", "Double-Faced", "Packable"),
        True,
        8,
    ),
    CategorySpec(
        "Shoes",
        "SHO",
        ("Stride Footwear",),
        SHOES,
        (69, 179),
        0.17,
        ("Leather Sneakers", "Chelsea Boots", "Loafers", "Sandals", "Ankle Boots"),
        ("Classic", "Suede", "Chunky", "Minimal", "Lug-Sole"),
        True,
        9,
    ),
    CategorySpec(
        "Bedding",
        "BED",
        ("Linea Home",),
        BED,
        (39, 149),
        0.06,
        ("Duvet Cover Set", "Fitted Sheet", "Pillowcase Pair", "Throw"),
        ("Washed Linen", "Percale", "Sateen", "Waffle"),
        False,
        8,
    ),
    CategorySpec(
        "Kitchen",
        "KIT",
        ("Casa Ceramica", "Linea Home"),
        POTS,
        (19, 129),
        0.05,
        ("Stoneware Bowl Set", "Dinner Plate Set", "Casserole", "Serving Platter", "Mug Set"),
        ("Reactive Glaze", "Speckled", "Hand-Thrown", "Matte"),
        False,
        10,
    ),
    CategorySpec(
        "Lighting",
        "LGT",
        ("Lumo Lighting",),
        ONE,
        (35, 189),
        0.07,
        ("Table Lamp", "Pendant Shade", "Floor Lamp", "Wall Sconce"),
        ("Rattan", "Opal Glass", "Ceramic", "Brass", "Pleated"),
        False,
        7,
    ),
    CategorySpec(
        "Bath",
        "BTH",
        ("Bainbridge Bath",),
        TOWEL,
        (12, 69),
        0.06,
        ("Towel", "Bath Mat", "Bathrobe", "Hammam Towel"),
        ("Organic Cotton", "Waffle", "Turkish", "Terry"),
        False,
        7,
    ),
)


@dataclass(frozen=True)
class Variant:
    sku: str
    product: int
    size: str
    size_index: int
    colour: str
    price: float


@dataclass
class Product:
    index: int
    handle: str
    title: str
    category: CategorySpec
    supplier: str
    colours: tuple[str, ...]
    sizes: tuple[str, ...]
    size_weights: tuple[int, ...]
    price: float
    quality: float
    """Baseline share of units with a quality complaint (0.002–0.012)."""
    popularity: float
    launch_day: int = 0
    runs_small: bool = False
    variants: tuple[Variant, ...] = ()

    @property
    def short_name(self) -> str:
        return self.title.split()[-1].lower() if self.category.apparel else self.title.lower()


@dataclass
class Catalog:
    products: list[Product]
    variants: list[Variant]
    by_sku: dict[str, Variant]

    def suppliers(self) -> list[str]:
        return sorted({p.supplier for p in self.products})


def _price(rng: random.Random, lo: int, hi: int) -> float:
    return float(rng.randrange(lo, hi, 5)) + rng.choice((0.95, 0.99, 0.0))


def build_catalog(rng: random.Random, *, new_product_day: int) -> Catalog:
    """~80 products over 9 categories and 10 suppliers. The last product is the mid-period launch
    (a dress that runs small, see incidents.py)."""
    products: list[Product] = []
    titles: set[str] = set()
    for spec in CATEGORIES:
        for _ in range(spec.count):
            title = ""
            while not title or title in titles:
                title = f"{rng.choice(spec.adjectives)} {rng.choice(spec.nouns)}"
            titles.add(title)
            products.append(_product(rng, spec, title, len(products)))
    rng.shuffle(products)
    for rank, p in enumerate(products):
        p.index = rank
        p.popularity = 1.0 / (rank + 3) ** 0.9
    launch = _product(rng, CATEGORIES[0], "Sculpt Ribbed Midi Dress", len(products))
    launch.supplier = "Atelier Lumen"
    launch.launch_day = new_product_day
    launch.runs_small = True
    launch.popularity = products[2].popularity * 1.4
    products.append(launch)
    variants: list[Variant] = []
    for p in products:
        vs: list[Variant] = []
        for code in p.colours:
            for si, size in enumerate(p.sizes):
                size_code = "OS" if size == "One Size" else size.replace(" ", "").upper()[:6]
                sku = f"{p.category.code}-{p.index + 101:03d}-{size_code}-{code}"
                vs.append(Variant(sku, p.index, size, si, COLOURS[code], p.price))
        p.variants = tuple(vs)
        variants.extend(vs)
    return Catalog(products, variants, {v.sku: v for v in variants})


def _product(rng: random.Random, spec: CategorySpec, title: str, index: int) -> Product:
    n_colours = rng.choice((1, 2, 2, 3))
    colours = tuple(rng.sample(sorted(COLOURS), n_colours))
    handle = title.lower().replace(" ", "-").replace(".", "")
    return Product(
        index=index,
        handle=handle,
        title=title,
        category=spec,
        supplier=rng.choice(spec.suppliers),
        colours=colours,
        sizes=spec.sizes[0],
        size_weights=spec.sizes[1],
        price=_price(rng, *spec.price),
        quality=rng.uniform(0.002, 0.012),
        popularity=1.0,
    )


def variant_title(product: Product, variant: Variant) -> str:
    if len(product.sizes) == 1:
        return f"{product.title} - {variant.colour}"
    return f"{product.title} - {variant.size} / {variant.colour}"


def larger_variant(catalog: Catalog, variant: Variant) -> Variant | None:
    """The same product and colour one size up (for exchanges)."""
    product = catalog.products[variant.product]
    for v in product.variants:
        if v.colour == variant.colour and v.size_index == variant.size_index + 1:
            return v
    return None


def smaller_variant(catalog: Catalog, variant: Variant) -> Variant | None:
    product = catalog.products[variant.product]
    for v in product.variants:
        if v.colour == variant.colour and v.size_index == variant.size_index - 1:
            return v
    return None


def batch_code(sku: str, ship_date_ymd: tuple[int, int, int]) -> str:
    """Normal stock: one batch per SKU every ten days (A: 1st–10th, B: 11th–20th, C: rest)."""
    y, m, d = ship_date_ymd
    letter = "A" if d <= 10 else "B" if d <= 20 else "C"
    return f"B-{sku}-{y % 100:02d}{m:02d}{letter}"
