"""The customer pool: names, languages, addresses, loyalty and VIP flags. Stored as numpy arrays;
emails and phones are derived from the index so nothing per-customer is kept as text."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LANGS = ("en", "de", "fr", "es", "nl", "it")
LANG_WEIGHTS = (0.58, 0.13, 0.09, 0.07, 0.09, 0.04)

FIRST = {
    "en": (
        "Anna",
        "Emma",
        "Olivia",
        "Sophie",
        "Grace",
        "Chloe",
        "Ella",
        "Lucy",
        "Hannah",
        "Mia",
        "James",
        "Jack",
        "Liam",
        "Noah",
        "Oliver",
        "Daniel",
        "Ryan",
        "Sean",
        "Aoife",
        "Niamh",
        "Sarah",
        "Laura",
        "Kate",
        "Megan",
        "Tom",
        "Ben",
    ),
    "de": (
        "Lena",
        "Lea",
        "Marie",
        "Julia",
        "Katharina",
        "Sabine",
        "Jonas",
        "Lukas",
        "Felix",
        "Stefan",
        "Anja",
        "Mareike",
        "Tobias",
        "Ursula",
        "Jana",
        "Nina",
    ),
    "fr": (
        "Camille",
        "Léa",
        "Manon",
        "Chloé",
        "Inès",
        "Juliette",
        "Élodie",
        "Lucas",
        "Hugo",
        "Théo",
        "Nicolas",
        "Margaux",
        "Pauline",
        "Aurélie",
    ),
    "es": (
        "Lucía",
        "María",
        "Paula",
        "Carmen",
        "Alba",
        "Sofía",
        "Javier",
        "Pablo",
        "Diego",
        "Marta",
        "Elena",
        "Raquel",
    ),
    "nl": (
        "Sanne",
        "Femke",
        "Lotte",
        "Anouk",
        "Eva",
        "Fleur",
        "Daan",
        "Sem",
        "Bram",
        "Joost",
        "Marloes",
        "Iris",
        "Thijs",
    ),
    "it": (
        "Giulia",
        "Chiara",
        "Francesca",
        "Sara",
        "Martina",
        "Alessia",
        "Marco",
        "Luca",
        "Matteo",
        "Elisa",
        "Federica",
    ),
}
LAST = {
    "en": (
        "Murphy",
        "Kelly",
        "Byrne",
        "Walsh",
        "Smith",
        "Brown",
        "Taylor",
        "Wilson",
        "Evans",
        "Clarke",
        "Hughes",
        "Walker",
        "Green",
        "Hall",
        "Wright",
        "Doyle",
        "Ryan",
        "Lynch",
    ),
    "de": (
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Hoffmann",
        "Koch",
        "Richter",
        "Wolf",
    ),
    "fr": (
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Lefèvre",
        "Garnier",
    ),
    "es": (
        "García",
        "Fernández",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Ruiz",
        "Díaz",
        "Moreno",
    ),
    "nl": (
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
    ),
    "it": (
        "Rossi",
        "Russo",
        "Ferrari",
        "Esposito",
        "Bianchi",
        "Romano",
        "Colombo",
        "Ricci",
        "Marino",
        "Greco",
    ),
}

# (city, province, country, region, weight, phone prefix)
CITIES: dict[str, tuple[tuple[str, str, str, str, int], ...]] = {
    "en": (
        ("Dublin", "Dublin", "IE", "West", 30),
        ("Cork", "Cork", "IE", "West", 10),
        ("Galway", "Galway", "IE", "West", 6),
        ("Amsterdam", "Noord-Holland", "NL", "North", 12),
        ("Copenhagen", "Hovedstaden", "DK", "North", 8),
        ("Stockholm", "Stockholm", "SE", "North", 8),
        ("Berlin", "Berlin", "DE", "East", 8),
        ("Vienna", "Wien", "AT", "East", 5),
        ("Lisbon", "Lisboa", "PT", "South", 6),
        ("Palma", "Illes Balears", "ES", "Islands", 4),
        ("Valletta", "Malta", "MT", "Islands", 3),
    ),
    "de": (
        ("Berlin", "Berlin", "DE", "East", 20),
        ("Hamburg", "Hamburg", "DE", "North", 16),
        ("München", "Bayern", "DE", "South", 18),
        ("Köln", "Nordrhein-Westfalen", "DE", "West", 14),
        ("Leipzig", "Sachsen", "DE", "East", 8),
        ("Dresden", "Sachsen", "DE", "East", 6),
        ("Wien", "Wien", "AT", "East", 12),
        ("Graz", "Steiermark", "AT", "East", 4),
        ("Sylt", "Schleswig-Holstein", "DE", "Islands", 2),
    ),
    "fr": (
        ("Paris", "Île-de-France", "FR", "West", 30),
        ("Lyon", "Auvergne-Rhône-Alpes", "FR", "South", 14),
        ("Marseille", "Provence-Alpes-Côte d'Azur", "FR", "South", 12),
        ("Nantes", "Pays de la Loire", "FR", "West", 8),
        ("Lille", "Hauts-de-France", "FR", "North", 8),
        ("Bruxelles", "Bruxelles", "BE", "West", 12),
        ("Ajaccio", "Corse", "FR", "Islands", 3),
    ),
    "es": (
        ("Madrid", "Madrid", "ES", "South", 30),
        ("Barcelona", "Barcelona", "ES", "South", 25),
        ("Valencia", "Valencia", "ES", "South", 12),
        ("Sevilla", "Sevilla", "ES", "South", 10),
        ("Las Palmas", "Las Palmas", "ES", "Islands", 6),
        ("Palma", "Illes Balears", "ES", "Islands", 6),
    ),
    "nl": (
        ("Amsterdam", "Noord-Holland", "NL", "North", 25),
        ("Rotterdam", "Zuid-Holland", "NL", "West", 18),
        ("Utrecht", "Utrecht", "NL", "North", 14),
        ("Groningen", "Groningen", "NL", "North", 8),
        ("Eindhoven", "Noord-Brabant", "NL", "South", 10),
        ("Antwerpen", "Antwerpen", "BE", "West", 12),
        ("Gent", "Oost-Vlaanderen", "BE", "West", 8),
        ("Texel", "Noord-Holland", "NL", "Islands", 2),
    ),
    "it": (
        ("Milano", "Lombardia", "IT", "South", 30),
        ("Roma", "Lazio", "IT", "South", 25),
        ("Torino", "Piemonte", "IT", "South", 12),
        ("Bologna", "Emilia-Romagna", "IT", "South", 10),
        ("Palermo", "Sicilia", "IT", "Islands", 8),
        ("Cagliari", "Sardegna", "IT", "Islands", 5),
    ),
}
PHONE_PREFIX = {
    "IE": "+353 8",
    "NL": "+31 6",
    "DK": "+45 ",
    "SE": "+46 7",
    "DE": "+49 15",
    "AT": "+43 66",
    "PT": "+351 9",
    "ES": "+34 6",
    "MT": "+356 79",
    "FR": "+33 6",
    "BE": "+32 47",
    "IT": "+39 3",
}
DOMAINS = (
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "hotmail.com",
    "gmx.de",
    "web.de",
    "orange.fr",
    "live.nl",
    "libero.it",
    "proton.me",
    "hotmail.fr",
)
CITY_TABLE = [(lang, c) for lang in LANGS for c in CITIES[lang]]


@dataclass
class Customers:
    """Columns over customer indices 0..n-1 (plain lists: per-item access is the hot path)."""

    lang: list[int]  # index into LANGS
    first: list[int]
    last: list[int]
    city: list[int]  # index into CITY_TABLE
    domain: list[int]
    style: list[int]  # email style 0..3
    marketing: list[bool]
    vip: list[bool]
    has_phone: list[bool]
    spent: list[float]  # filled while orders are generated
    orders: list[int]

    @property
    def size(self) -> int:
        return len(self.lang)

    def language(self, i: int) -> str:
        return LANGS[self.lang[i]]

    def first_name(self, i: int) -> str:
        return FIRST[LANGS[self.lang[i]]][self.first[i]]

    def last_name(self, i: int) -> str:
        return LAST[LANGS[self.lang[i]]][self.last[i]]

    def name(self, i: int) -> str:
        return f"{self.first_name(i)} {self.last_name(i)}"

    def address(self, i: int) -> tuple[str, str, str, str]:
        city, province, country, region, _ = CITY_TABLE[self.city[i]][1]
        return city, province, country, region

    def email(self, i: int) -> str:
        lang = LANGS[self.lang[i]]
        first = FIRST_ASCII[lang][self.first[i]]
        last = LAST_ASCII[lang][self.last[i]]
        style = self.style[i]
        local = (
            f"{first}.{last}{i}",
            f"{first}{last[:1]}{i}",
            f"{first[:1]}.{last}.{i}",
            f"{last}.{first}{i}",
        )[style]
        return f"{local}@{DOMAINS[self.domain[i]]}"

    def phone(self, i: int) -> str:
        if not self.has_phone[i]:
            return ""
        prefix = PHONE_PREFIX[self.address(i)[2]]
        return f"{prefix}{(i * 7_919_423 + 1_234_567) % 10_000_000:07d}"


def _ascii(text: str) -> str:
    table = str.maketrans("äöüéèàíóúñçëÉÎÎî", "aoueeaiounceEIIi")
    return text.lower().translate(table).replace("ß", "ss").replace("'", "")


FIRST_ASCII = {k: tuple(_ascii(x) for x in v) for k, v in FIRST.items()}
LAST_ASCII = {k: tuple(_ascii(x).replace(" ", "") for x in v) for k, v in LAST.items()}


def build_customers(np_rng: np.random.Generator, n: int) -> Customers:
    lang = np_rng.choice(len(LANGS), size=n, p=np.array(LANG_WEIGHTS) / sum(LANG_WEIGHTS))
    first = np.empty(n, dtype=np.int16)
    last = np.empty(n, dtype=np.int16)
    city = np.empty(n, dtype=np.int16)
    for li, code in enumerate(LANGS):
        mask = lang == li
        k = int(mask.sum())
        first[mask] = np_rng.integers(0, len(FIRST[code]), size=k)
        last[mask] = np_rng.integers(0, len(LAST[code]), size=k)
        offset = sum(len(CITIES[c]) for c in LANGS[:li])
        w = np.array([c[4] for c in CITIES[code]], dtype=float)
        city[mask] = offset + np_rng.choice(len(w), size=k, p=w / w.sum())
    # Customers with low indices buy most often (see orders.pick_customer); a few of them are VIP.
    vip = np.zeros(n, dtype=bool)
    head = max(20, n // 50)
    vip[:head] = np_rng.random(head) < 0.12
    return Customers(
        lang=lang.tolist(),
        first=first.tolist(),
        last=last.tolist(),
        city=city.tolist(),
        domain=np_rng.integers(0, len(DOMAINS), size=n).tolist(),
        style=np_rng.integers(0, 4, size=n).tolist(),
        marketing=(np_rng.random(n) < 0.55).tolist(),
        vip=vip.tolist(),
        has_phone=(np_rng.random(n) < 0.7).tolist(),
        spent=[0.0] * n,
        orders=[0] * n,
    )


def loyalty_tier(spent: float, orders: int) -> str:
    if spent >= 600 or orders >= 6:
        return "gold"
    if spent >= 250 or orders >= 3:
        return "silver"
    return "bronze"
