"""Keyword tables for :mod:`signaldesk.triage.text.risk` (regex fragments, case-insensitive).

Each fragment is wrapped in word-boundary guards and matched case-insensitively. An entry is a
pattern (default weight of its kind) or ``(pattern, weight)``. Add a language by adding a key;
add words by appending fragments – keep them specific enough to be worth an escalation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from signaldesk.triage.text.risk import RiskKind

# fmt: off
Entry = str | tuple[str, float]

DEFAULT_WEIGHT: Final[dict[RiskKind, float]] = {
    "legal_threat": 1.0, "chargeback": 0.8, "safety_health": 1.0, "anger": 0.5,
    "cancel_threat": 0.6, "public_threat": 0.6,
}

PATTERNS: Final[dict[RiskKind, dict[str, tuple[Entry, ...]]]] = {
    "legal_threat": {
        "en": (
            r"lawyers?", r"attorneys?", r"solicitors?", r"legal (?:action|steps|proceedings|"
            r"matter|advice|team|department|claim)", r"su(?:e|ing) (?:you|your|the|them|this|u)",
            r"(?:i'?ll|will|going to|gonna|to) sue", r"(?:small claims )?court(?! shoes?)",
            r"small claims",
            r"trading standards", r"consumer (?:protection|rights|council|ombudsman)",
            r"ombudsman", r"better business bureau", r"\bbbb", r"lawsuit", r"litigation",
        ),
        "de": (
            r"\w*anw[aä]lt\w*", r"rechtliche schritte", r"klage (?:einreichen|erheben)",
            r"eine klage", r"sammelklage", r"verklag\w*", r"vor gericht", r"gerichtlich\w*",
            r"gerichtsverfahren", r"verbraucherzentrale", r"verbraucherschutz\w*",
            r"schlichtungsstelle",
            r"inkasso", r"mahnverfahren",
        ),
        "fr": (
            r"avocats?", r"poursuites?(?: judiciaires)?", r"tribunal", r"porter plainte",
            r"plainte", r"action en justice", r"en justice", r"mise en demeure", r"dgccrf",
            r"(?:association|protection) (?:de|des) consommateurs", r"m[ée]diateur",
        ),
        "es": (
            r"abogad[oa]s?", r"demandar\w*", r"tribunal(?:es)?", r"juzgados?",
            r"acciones legales", r"v[ií]a judicial", r"denuncia\w*", r"\bocu\b",
            r"hoja de reclamaciones", r"(?:protecci[oó]n|defensa) (?:al|del) consumidor",
        ),
        "it": (
            r"avvocat[oi]", r"tribunale", r"denuncia\w*", r"azioni? legali?", r"vie legali",
            r"giudice di pace", r"associazion[ei] (?:dei |di )?consumatori", r"querela",
        ),
        "nl": (
            r"advoca(?:at|ten)", r"rechter", r"rechtszaak", r"juridische stappen",
            r"aanklagen", r"geschillencommissie", r"consumentenbond", r"\bacm\b", r"deurwaarder",
        ),
    },
    "chargeback": {
        "en": (
            r"charge[- ]?backs?", r"dispute (?:the |this )?(?:charge|payment|transaction)",
            r"dispute[^.!?\n]{0,30}(?:with|through|via) (?:my |the )?(?:bank|paypal|credit card|"
            r"card (?:company|issuer|provider)|amex|visa|mastercard|klarna)",
            r"(?:paypal|bank|card) (?:dispute|claim)",
            r"(?:open|file|raise) a (?:dispute|claim) (?:with|on|through) (?:my |the )?(?:bank|"
            r"paypal|card)", r"reverse (?:the |this |my )?(?:payment|charge|transaction)",
            r"(?:call|contact|ask) (?:my|the) (?:bank|credit card company)",
            r"stop (?:the )?payment", r"credit card company",
        ),
        "de": (
            r"r[üu]ckbuchung\w*", r"r[üu]cklastschrift\w*", r"lastschrift (?:zur[üu]ck\w*|"
            r"widerrufen)", r"zahlung (?:zur[üu]ckbuchen|zur[üu]ckholen|stornieren lassen)",
            r"k[äa]uferschutz", r"(?:meine|meiner) bank (?:kontaktieren|einschalten|informieren)",
            r"paypal[- ]?(?:konflikt|fall)",
        ),
        "fr": (
            r"r[ée]trofacturation", r"opposition (?:sur|aupr[èe]s de) (?:ma|la) (?:carte|banque)",
            r"faire opposition", r"contester (?:le|ce|mon) (?:paiement|pr[ée]l[èe]vement|d[ée]bit)",
            r"litige (?:avec|sur|via|aupr[èe]s de) paypal", r"ouvrir un litige",
        ),
        "es": (
            r"contracargos?", r"disputa (?:con|en|a trav[ée]s de) (?:mi banco|paypal|la tarjeta)",
            r"reclamaci[oó]n (?:en|con|a) paypal", r"anular el (?:pago|cargo)",
            r"devoluci[oó]n del cargo", r"(?:llamar|contactar) a mi banco",
        ),
        "it": (
            r"storno (?:dell'addebito|del pagamento)", r"stornare il pagamento",
            r"contesta(?:re|zione) (?:l'addebito|il pagamento|con paypal|su paypal)",
            r"(?:chiamare|contattare) la mia banca", r"aprire una contestazione",
        ),
        "nl": (
            r"terugboek\w*", r"storneren", r"betaling (?:terugdraaien|betwisten)",
            r"(?:geschil|claim) (?:bij|via) (?:mijn bank|paypal|de creditcard)",
            r"mijn bank (?:inschakelen|bellen|contacteren)",
        ),
    },
    "safety_health": {
        "en": (
            r"injur(?:y|ies|ed|ing)", r"hurt (?:myself|himself|herself|themselves|him|her)",
            r"cut (?:myself|himself|herself|(?:my|his|her) (?:finger|hand|foot|leg|lip|mouth))",
            r"(?:child|kid|son|daughter|baby|toddler) (?:was |got |is )?(?:hurt|injured|burnt|"
            r"burned|cut)", r"burn(?:s|ed|t)?(?!\s*orange)", r"rash(?!\s*(?:guard|vest|top))",
            r"allergic reactions?", r"anaphyla\w*", r"chok(?:e|ed|ing)(?: hazard)?",
            r"(?:caught|on) fire",
            r"fire(?![- ](?:tv|stick|tablet|hd|red|pit|starter|extinguisher|blanket|resistant|"
            r"retardant|proof|place))", r"smoke(?!\s*(?:gr[ae]y|glass|colou?r|blue|tint|detector))",
            r"smoking(?! jacket)", r"(?:started|was|is|it) smoking",
            r"electric(?:al)? shock", r"electrocut\w*", r"sparks?(?:ed|ing)?", r"overheat\w*",
            r"(?:plug|cable|wire|charger|socket|battery|adapter)s? (?:has |had |was |got )?melt\w*",
            r"explod\w*", r"explosion", r"sharp edges?", r"bleed\w*", r"blood(?! orange)",
            r"hospital", r"a&e", r"emergency room", ("doctor", 0.6),
            r"poison\w*", r"toxic", r"swallow(?:ed)?", r"vomit\w*", r"mou?ldy?",
            ("blisters?", 0.5), ("unsafe", 0.8), ("dangerous", 0.8),
        ),
        "de": (
            r"verletz\w*", r"verbrenn\w*", r"verbrannt\w*", r"ausschlag", r"allergische reaktion",
            r"erstick\w*", r"feuer", r"brand(?:gefahr)?", r"rauch(?:t|te|entwicklung)?",
            r"qualm\w*",
            r"stromschlag", r"scharfe kanten?", r"krankenhaus", r"notaufnahme", ("arzt", 0.6),
            r"blut(?:et|ete|ung|ig)?", r"giftig", r"vergift\w*", r"[üu]berhitz\w*",
            r"explodiert", r"verschluckt", r"schimmel\w*", ("gef[äa]hrlich", 0.8),
        ),
        "fr": (
            r"bless(?:é|e|ée|és|ure|ures)", r"br[ûu]l(?:é|e|ée|ure|ures)",
            r"[ée]ruption cutan[ée]e",
            r"rougeurs", r"r[ée]action allergique", r"[ée]touff\w*", r"feu", r"incendie",
            r"fum[ée]e", r"d[ée]charge [ée]lectrique", r"[ée]lectrocut\w*", r"bords? tranchants?",
            r"h[ôo]pital", r"urgences", ("m[ée]decin", 0.6), r"toxique", r"intoxication",
            r"surchauff\w*", r"explos\w*", r"aval[ée]", r"moisi\w*",
            ("dangereu(?:x|se)", 0.8),
        ),
        "es": (
            r"herid[oa]s?", r"lesi[oó]n(?:es)?", r"quemadura\w*", r"quemad[oa]",
            r"sarpullido", r"erupci[oó]n", r"reacci[oó]n al[ée]rgica", r"asfixia\w*",
            r"atragant\w*", r"fuego", r"incendio", r"humo", r"descarga el[ée]ctrica",
            r"bordes? afilados?", r"hospital", r"urgencias", ("m[ée]dico", 0.6),
            r"t[óo]xico", r"intoxicaci[oó]n", r"sobrecalent\w*",
            r"explot\w*", r"trag[óo]", r"moho", ("peligros[oa]", 0.8),
        ),
        "it": (
            r"ferit[oa]", r"ferite", r"ustion\w*", r"bruciat\w*", r"eruzione cutanea",
            r"irritazione", r"reazione allergica", r"soffoca\w*", r"fuoco", r"incendio",
            r"fumo", r"scossa elettrica", r"bord[oi] taglient[ei]", r"ospedale",
            r"pronto soccorso", ("medico", 0.6), r"tossic[oa]", r"intossicazione",
            r"surriscald\w*", r"esplo\w*", r"ingoiat\w*", r"muffa",
            ("pericolos[oa]", 0.8),
        ),
        "nl": (
            r"gewond", r"verwond\w*", r"verbrand\w*", r"brandwond\w*", r"uitslag",
            r"allergische reactie", r"verstik\w*", r"vuur", r"brand", r"rook", r"rookt",
            r"elektrische schok", r"scherpe randen?", r"ziekenhuis", r"spoedeisende hulp",
            ("dokter", 0.6), r"giftig", r"vergiftig\w*", r"oververhit\w*",
            r"ontplof\w*", r"ingeslikt", r"schimmel", ("gevaarlijk", 0.8),
        ),
    },
    "anger": {
        "en": (
            r"worst", r"disgust\w*", r"disgrace\w*", r"never again", r"unacceptable",
            r"ridiculous", r"outrage\w*", r"appalling", r"pathetic", r"incompetent",
            r"useless", r"scam(?:mers?)?", r"rip[- ]?off", r"furious", r"livid", r"fed up",
            r"sick and tired", r"what a joke", (r"f[u*@#]c?k\w*", 0.6), (r"shit\w*", 0.6),
            ("bullshit", 0.6), (r"crap\w*", 0.6), ("wtf", 0.6), ("damn", 0.6),
            ("pissed(?: off)?", 0.6), r"shambles", r"joke of a",
        ),
        "de": (
            r"frechheit", r"unversch[äa]mt\w*", r"sauerei", r"skandal\w*", r"betr[üu]g\w*",
            r"abzocke\w*", r"katastroph\w*", r"schlechteste\w*", r"nie wieder", r"unfassbar",
            r"inakzeptabel", r"verarsch\w*", r"w[üu]tend", r"l[äa]cherlich", r"zumutung",
            (r"schei(?:ß|ss)\w*", 0.6),
        ),
        "fr": (
            r"inadmissible", r"scandal\w*", r"honteu(?:x|se)", r"inacceptable", r"arnaque\w*",
            r"escro\w*", r"lamentable", r"pire", r"plus jamais", r"ras le bol", r"furieu\w*",
            r"ridicule", r"d[ée]go[ûu]t\w*", ("merde", 0.6), ("putain", 0.6),
        ),
        "es": (
            r"verg[üu]enza", r"inaceptable", r"estafa\w*", r"timo", r"ladrones", r"p[ée]sim\w*",
            r"peor", r"nunca m[áa]s", r"hart[oa]", r"indignante", r"vergonzos\w*",
            r"furios[oa]", r"rid[íi]cul\w*", r"asqueros\w*", ("mierda", 0.6),
        ),
        "it": (
            r"vergogn\w*", r"inaccettabil\w*", r"truffa(?:tori|tore)?", r"ladri", r"pessim\w*",
            r"peggior\w*", r"mai pi[ùu]", r"schif(?:o|os[oaie])", r"furios[oa]", r"ridicol\w*",
            r"incompetenti", r"assurd\w*", (r"cazz\w*", 0.6),
        ),
        "nl": (
            r"schandalig", r"schande", r"belachelijk", r"onacceptabel", r"oplicht\w*",
            r"waardeloos", r"slechtste", r"nooit meer", r"woedend", r"walgelijk",
            (r"kut\w*", 0.6), (r"klote\w*", 0.6),
        ),
    },
    "cancel_threat": {
        "en": (
            r"never (?:be )?(?:order|ordering|buy|buying|shop|shopping|purchas\w+|us\w+) "
            r"(?:\w+ ){0,3}again", r"(?:won'?t|will not|wont) (?:be )?(?:order|buy|shop|"
            r"purchas|us)\w* (?:\w+ ){0,3}(?:again|anymore|any more)",
            r"(?:cancel|close|delete|terminate) my (?:account|subscription|membership)",
            r"(?:take|taking) my (?:business|money|custom) elsewhere",
            r"(?:shop|shopping|buy|order) (?:elsewhere|somewhere else)",
            r"(?:lost|losing) (?:a )?(?:loyal )?customer",
            r"last time i(?:'ll)? (?:order|buy|shop)",
        ),
        "de": (
            r"nie (?:wieder|mehr) (?:\w+ ){0,3}(?:bestell\w*|kauf\w*)",
            r"(?:bestell|kauf)\w* (?:ich )?(?:\w+ ){0,3}nie (?:wieder|mehr)",
            r"(?:konto|kundenkonto|account|abo|abonnement|mitgliedschaft) "
            r"(?:l[öo]schen|k[üu]ndigen|schlie(?:ß|ss)en)",
            r"(?:k[üu]ndige|l[öo]sche) (?:mein|mein(?:en|e)) \w+", r"kunden? verloren",
            r"woanders (?:bestellen|kaufen)",
        ),
        "fr": (
            r"plus jamais (?:\w+ ){0,3}(?:command\w*|achet\w*|ach[èe]te\w*|chez vous)",
            r"ne (?:vous )?(?:commanderai|ach[èe]terai|commande|ach[èe]te)\w* plus",
            r"(?:supprimer|fermer|cl[ôo]turer|r[ée]silier) (?:mon|votre) (?:compte|abonnement)",
            r"perdu (?:un|une) client\w*", r"(?:aller|acheter) ailleurs",
        ),
        "es": (
            r"nunca m[áa]s (?:\w+ ){0,3}(?:compr\w*|ped\w*)",
            r"no (?:vuelvo|volver[ée]) a (?:comprar|pedir)",
            r"(?:cancelar|eliminar|cerrar|borrar|dar de baja) (?:mi|la) (?:cuenta|suscripci[oó]n)",
            r"perdido (?:un|a un) cliente", r"comprar en otro sitio",
        ),
        "it": (
            r"mai pi[ùu] (?:\w+ ){0,3}(?:ordin\w*|compr\w*|acquist\w*)",
            r"non (?:ordiner[òo]|comprer[òo]|acquister[òo]) pi[ùu]",
            r"(?:chiudere|cancellare|eliminare|disdire) (?:il mio|l'|l’)(?:account|abbonamento)",
            r"perso un cliente", r"comprare altrove",
        ),
        "nl": (
            r"nooit (?:meer|weer) (?:\w+ ){0,3}(?:bestel\w*|koop\w*|kopen)",
            r"(?:account|abonnement|lidmaatschap) (?:opzeggen|verwijderen|opheffen)",
            r"(?:zeg|verwijder) (?:mijn|het) (?:account|abonnement)", r"klant kwijt",
            r"ergens anders (?:bestellen|kopen)",
        ),
    },
    "public_threat": {
        "en": (
            r"(?:post|share|put|write|tweet)\w* (?:this |it |about (?:this|it|you) )?on "
            r"(?:social media|facebook|twitter|instagram|tiktok|reddit|youtube|x)",
            r"(?:leave|write|post|give)\w* (?:you |them )?(?:a|an|my) "
            r"(?:(?:bad|negative|terrible|honest|scathing|1|one)[- ]?(?:star )?)?review",
            r"(?:bad|negative|1[- ]star|one[- ]star) reviews?", ("trustpilot", 0.5),
            r"google reviews?", r"yelp", r"watchdog", r"go(?:ing)? public", r"the press",
            r"journalists?", r"tell (?:all |everyone|everybody)\w*", r"go(?:es)? viral",
        ),
        "de": (
            r"(?:teile|poste|ver[öo]ffentliche|stelle) (?:\w+ ){0,3}(?:auf|in) (?:facebook|"
            r"instagram|twitter|tiktok|den sozialen (?:medien|netzwerken))",
            r"(?:in den |auf )?sozialen (?:medien|netzwerken) (?:\w+ ){0,2}(?:teilen|posten|"
            r"ver[öo]ffentlichen|stellen)", r"(?:schlechte|negative) bewertung\w*",
            r"bewertung (?:schreiben|abgeben|hinterlassen)", r"[öo]ffentlich machen",
            r"(?:an )?die presse", r"shitstorm",
        ),
        "fr": (
            r"(?:publier|partager|poster|mettre) (?:\w+ ){0,3}sur (?:les )?(?:r[ée]seaux sociaux|"
            r"facebook|instagram|twitter|tiktok)", r"(?:mauvais|n[ée]gatif) avis",
            r"avis n[ée]gatif", r"laisser un avis", r"rendre public", r"la presse",
            r"journalistes?", r"avis v[ée]rifi[ée]s",
        ),
        "es": (
            r"(?:publicar|compartir|subir)\w* (?:\w+ ){0,3}en (?:las )?(?:redes sociales|"
            r"facebook|instagram|twitter|tiktok)",
            r"(?:mala|negativa) (?:rese[ñn]a|opini[oó]n|valoraci[oó]n)",
            r"(?:rese[ñn]a|opini[oó]n|valoraci[oó]n) negativa",
            r"dejar una (?:rese[ñn]a|opini[oó]n)", r"hacer(?:lo)? p[úu]blico", r"la prensa",
        ),
        "it": (
            r"(?:pubblicar|condivider|postar)\w* (?:\w+ ){0,3}(?:sui social|su facebook|"
            r"su instagram|su tiktok)", r"recensione negativa", r"pessima recensione",
            r"lasciare una recensione", r"rendere pubblico", r"la stampa", r"ai giornali",
        ),
        "nl": (
            r"(?:posten|delen|zetten|plaatsen) (?:\w+ ){0,3}op (?:sociale media|facebook|"
            r"instagram|twitter|tiktok)", r"op (?:sociale media|facebook|instagram|tiktok) "
            r"(?:zetten|posten|delen|plaatsen)", r"(?:slechte|negatieve) (?:recensie|review|"
            r"beoordeling)", r"(?:recensie|review) (?:schrijven|achterlaten|plaatsen)",
            r"openbaar maken", r"de pers", r"kiyoh",
        ),
    },
}

#: Patterns that are ordinary words in another supported language; used only when the
#: detected language is their own (never for "und").
LOCAL_ONLY: Final = frozenset(
    {r"brand", r"brand(?:gefahr)?", r"rook", r"feu", r"fumo", r"peor", r"pire", r"timo",
     r"presse", r"humo", r"fuego", r"erupci[oó]n", r"hart[oa]", r"ladri", r"fondu",
     r"rechter", r"mai pi[ùu]", r"blut(?:et|ete|ung|ig)?", r"moho", r"\bocu\b", r"\bacm\b",
     r"urgences", r"urgencias", r"storneren", r"(?:an )?die presse", r"la presse", r"la prensa",
     r"la stampa", r"de pers"}
)

#: English patterns that are ordinary words in the ticket's language ("court" = short in French,
#: "worst" = sausage in Dutch).
EN_EXCLUDED: Final[dict[str, frozenset[str]]] = {
    "fr": frozenset({r"(?:small claims )?court(?! shoes?)"}),
    "nl": frozenset({r"worst"}),
}
# fmt: on
