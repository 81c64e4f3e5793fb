"""A bilingual concept lexicon: words that mean the same thing in any register, German or English.

Rep shorthand, buyer quotes, rule language and manager summaries use different words for the
same idea ("Lieferant", "Dienstleister", "vendor", "provider"; "Chef", "Vorstand", "my wife",
"the CFO"). Each lemma that belongs to a concept adds a ``cue_about_<concept>`` token, and a
``cue_negated_<concept>`` token when a negation stands up to three words before it, so a model
trained on one register can recognise the idea in another. German compounds are covered by
stems matched inside a word ("Budgetfreigabe" holds "budget" and "freigabe").

Patterns are folded lower-case lemmas: ``word`` matches the word, ``stem*`` any word starting
with the stem, ``*part*`` any word containing it (only for stems long enough to be safe inside
compounds). :data:`FUNCTION_WORDS` are the pronouns, articles, auxiliaries and particles that
carry style, not reason; negations are never among them.
"""

from __future__ import annotations

from functools import lru_cache

NEGATIONS = frozenset(
    "nicht kein keine keinen keiner keinem keines nie niemals nichts niemand ohne weder "
    "not no never nothing none nobody neither nor without cannot n't".split()
)

FUNCTION_WORDS = frozenset(
    """
    i me my mine myself we us our ours you your yours he him his she her hers it its they them their
    this that these those there here a an the be am is are was were been being do does did have has
    had having will would shall should may might must can could 're 's 've 'm 'll 'd wo ca
    and or but so then than as of to in on at by for from with about into onto if because while
    also really just actually well oh yeah hey hi hello please thanks thank sorry um uh
    ich mich mir mein meine meinen meinem meiner wir uns unser unsere du dich dir dein sie ihr ihre
    ihnen ihm ihn er es man seine seinen seinem seiner ihren ihrem unsere unseren unserem euch der die das den dem des ein eine einer einen einem eines
    sein haben werden bin bist ist sind war waren wird wurde wurden hat hatte hätte haette habe
    kann koennen können muss muessen müssen soll sollen will wollen würde wuerde moechte möchte
    und oder aber denn doch ja also halt eben mal wohl nun dann so da dass ob wenn weil als wie
    auf aus bei mit nach von vor zu zum zur im am an in um für fuer über ueber durch
    sich hallo guten tag danke bitte sorry leider eigentlich
    """.split()
)

CONCEPTS: dict[str, tuple[str, ...]] = {
    "boss": (
        "chef*", "cheffe", "vorgesetzt*", "geschaeftsfuehr*", "gf", "vorstand*", "inhaber*", "eigentuemer*",
        "*leitung*", "*leiter*", "*leiterin*", "prokurist*", "boss*", "ceo", "cfo", "cto", "cio", "coo", "md",
        "owner*", "board", "director*", "vp", "head", "supervisor*", "superior*", "manager*", "management",
        "executive*", "founder*", "gruender*", "president", "praesident*", "aufsichtsrat*", "beirat*", "gesellschafter*",
    ),
    "spouse": ("frau", "ehefrau", "mann", "ehemann", "gattin", "gatte", "partnerin", "wife", "husband", "spouse", "family", "familie"),
    "org_above": (
        "zentrale", "*zentrale*", "hauptsitz*", "konzern*", "mutter*", "holding", "gruppe", "headquarter*", "hq", "corporate",
        "parent", "group", "global", "einkauf*", "procurement", "purchasing", "beschaffung*", "gremium*", "ausschuss*",
        "committee*", "lenkungskreis*", "steering", "betriebsrat*",
    ),
    "decide": (
        "entscheid*", "*entscheid*", "decision*", "decide*", "decides", "approv*", "*freigabe*", "freigeb*", "genehmig*",
        "unterschreib*", "unterschrift*", "sign", "signoff", "sign-off", "zustimm*", "authori*", "befugnis*", "befugt",
        "zustaendig*", "responsib*", "stakeholder*", "entscheider*", "say",
    ),
    "consult": (
        "rueckspr*", "besprech*", "abstimm*", "discuss*", "konsult*", "weiterleit*", "forward*", "durchstell*",
        "verbind*", "verweis*", "refer*", "run", "check", "clear", "absprech*", "fragen", "ask*",
    ),
    "gatekeeper": ("sekretaer*", "assistent*", "assistant*", "empfang*", "zentrale", "reception*", "receptionist*", "gatekeeper*", "vorzimmer*", "pa", "praktikant*", "intern"),
    "money": (
        "budget*", "*budget*", "geld*", "kosten*", "*kosten*", "preis*", "*preis*", "price*", "pricing", "cost*", "teuer*",
        "expensive", "pricey", "cheap*", "guenstig*", "billig*", "afford*", "leisten", "finanz*", "*finanz*", "funding",
        "fund*", "spend*", "spar*", "rabatt*", "discount*", "invest*", "roi", "xxmoney", "euro", "dollar*", "pleite",
        "liquiditaet*", "cash*", "money", "rechnet", "lohnt", "*kuerzung*", "cut*", "umsatzrueckgang", "krise*", "recession",
    ),
    "time_later": (
        "spaeter*", "later", "naechst*", "next", "monat*", "month*", "woche*", "week*", "quartal*", "quarter*", "xxquarter",
        "xxweek", "xxyear", "xxfyear", "xxdate", "jahr*", "year*", "herbst*", "fruehjahr*", "sommer*", "winter*", "autumn",
        "fall", "spring", "summer", "januar", "februar", "maerz", "april", "mai", "juni", "juli", "august", "september",
        "oktober", "november", "dezember", "january", "february", "march", "june", "july", "october", "december",
        "zurueckruf*", "rueckruf*", "callback", "wiedervorlage", "nachfass*", "follow-up", "momentan", "moment", "derzeit",
        "zurzeit", "aktuell", "gerade", "currently", "right", "now", "jetzt", "noch", "wieder", "again",
    ),
    "busy": (
        "busy", "beschaeftigt", "stress*", "zeit", "time", "swamped", "slammed", "overloaded", "ausgelastet", "voll",
        "plate", "priorit*", "urlaub*", "vacation", "holiday*", "messe*", "fair", "umzug*", "umstrukturier*", "reorg*",
        "restruktur*", "restructur*", "fusion*", "merger*", "uebernahme*", "acqui*", "saison*", "season*", "hochsaison",
        "projekt*", "project*", "verschoben", "verschieb*", "postpon*", "hold", "pause*", "aufgeschoben", "delay*",
    ),
    "info": (
        "info*", "*info*", "unterlag*", "material*", "broschuere*", "brochure*", "prospekt*", "katalog*", "catalog*",
        "whitepaper*", "literatur*", "literature", "website", "webseite*", "homepage", "flyer*", "datenblatt*",
        "overview", "ueberblick*", "*ueberblick*", "marktueberblick", "vergleich*", "compar*", "research*", "recherch*",
        "umschau*", "schau*", "look*", "gucken", "browse*", "browsing", "curious", "neugier*", "orientier*",
        "schicken", "zuschicken", "senden", "zusenden", "send", "mail", "e-mail", "email", "shopping",
    ),
    "early": (
        "frueh*", "early", "anfang*", "beginning", "yet", "irgendwann", "someday", "eventually", "zukunft*", "future",
        "langfristig*", "long-term", "planung*", "plan*", "konkret*", "concrete", "ready", "bereit", "phase*", "stage*",
        "idee*", "idea*", "ueberleg*", "gedanke*", "vorerst", "grundsaetzlich",
    ),
    "contact_fail": (
        "erreich*", "unerreichbar", "reach*", "unreachable", "anruf*", "anrufbeantworter", "call*", "ruf*", "telefon*",
        "phone*", "mailbox", "voicemail*", "voice-mail", "rueckmeld*", "respon*", "repl*", "antwort*", "answer*",
        "zurueckgerufen", "melden", "meldet", "gemeldet", "schweig*", "silent", "silence", "ghost*", "abgetaucht",
        "totstell*", "funkstille", "hear", "heard", "pick*", "abheb*", "besetzt", "ooo", "abwesend*", "absent",
        "versuch*", "attempt*", "tried", "try", "outreach", "no-show", "noshow",
    ),
    "need": (
        "bedarf*", "*bedarf*", "need*", "brauch*", "benoetig*", "interess*", "interest*", "nutzen", "mehrwert*", "value*",
        "usecase", "use-case", "sinn*", "relevan*", "want*", "problem*", "pain*", "help*", "hilf*", "useful", "nuetzlich*",
    ),
    "supplier": (
        "anbieter*", "*anbieter*", "lieferant*", "*lieferant*", "dienstleister*", "*dienstleister*", "provider*",
        "vendor*", "supplier*", "agentur*", "agency", "partnerfirma", "firma", "someone", "jemand*", "else", "anderen",
        "ander*", "another", "other", "alternative*", "konkurrenz*", "wettbewerb*", "competitor*", "competition",
    ),
    "incumbent": (
        "bereits", "schon", "already", "existing", "bestehend*", "vorhanden*", "current*", "zufrieden*", "happy",
        "satisfied", "content", "versorgt", "covered", "sorted", "aktuell*", "using", "nutzen", "einsatz*", "einsetz*",
        "inhouse", "in-house", "eigene", "eigenen", "eigenes", "own", "intern*", "selbst", "eigenentwicklung*", "eigenbau", "team",
        "jahrelang", "langjaehrig*", "years", "stammlieferant*", "hauslieferant*", "bewaehrt*",
    ),
    "contract": (
        "vertrag*", "*vertrag*", "vertraeg*", "contract*", "rahmenvertrag*", "framework", "agreement*", "vereinbarung*",
        "laufzeit*", "kuendig*", "renew*", "verlaenger*", "unterschrieben", "signed", "gebunden", "bound", "locked",
        "tied", "vergeben", "awarded", "zuschlag*", "ausschreibung*", "tender*", "bid*", "chose", "chosen", "selected",
        "gewaehlt", "entschieden", "went", "picked", "gone",
    ),
    "profile": (
        "klein*", "small", "tiny", "gross*", "large", "big", "mitarbeiter*", "employee*", "staff", "headcount", "umsatz*",
        "revenue*", "turnover", "branche*", "industry", "industries", "sector*", "segment*", "zielgruppe*", "target*",
        "icp", "profil*", "profile*", "kriteri*", "criteria", "criterion", "voraussetzung*", "anforderung*",
        "requirement*", "mindest*", "minimum", "abnahme*", "volume*", "menge*", "exklusiv*", "exclusiv*", "offering*",
        "sortiment*", "portfolio", "leistungsspektrum", "fit", "passt", "passen", "geeignet", "suitable", "scope",
        "expertise", "erfahrung*", "experience*", "feature*", "funktion*", "integration*", "schnittstelle*",
        "interface*", "on-prem*", "onprem*", "sap", "zertifi*", "certif*", "compliance", "sprache*", "language*",
        "support*",
    ),
    "place": (
        "region*", "regional*", "land", "country", "countries", "deutschland", "germany", "oesterreich", "austria",
        "schweiz", "switzerland", "ausland*", "abroad", "overseas", "international*", "wohnsitz*", "wohnort*",
        "residen*", "resident", "gebiet*", "*gebiet*", "territor*", "area*", "standort*", "location*", "local*", "lokal*",
        "entfernung*", "distance", "km", "miles", "meilen", "weit", "far", "away", "liefergebiet*", "postleitzahl*",
        "plz", "zip", "ort", "city", "stadt", "state", "bundesland*", "eu", "usa", "uk",
    ),
    "private": (
        "privat*", "private", "privatperson*", "consumer*", "verbraucher*", "endkunde*", "b2c", "hobby*", "personal",
        "household", "haushalt*", "einzelperson", "individual",
    ),
    "credit": (
        "bonitaet*", "credit*", "schufa", "wirtschaftsauskunft*", "auskunft*", "auskuenfte", "insolven*", "bankrupt*",
        "zahlungsunfaehig*", "zahlungsausfall*", "rating*", "score*", "einkommen*", "income", "vorerkrank*",
        "versicherbar*", "insurable",
    ),
    "fake": (
        "fake*", "spam*", "test*", "erfunden*", "fiktiv*", "fictitious", "fictional", "bogus", "scherz*", "joke*",
        "prank*", "jux", "quatsch", "nonsense", "gibberish", "unsinn*", "bot", "bots", "dummy", "asdf", "mickey",
        "donald", "phantasie*", "fantasie*", "troll*", "spass*", "witz*",
    ),
    "bad_data": (
        "falsch*", "wrong", "incorrect", "ungueltig*", "invalid*", "nonexist*", "existier*", "exist*", "bounce*",
        "unzustellbar*", "undeliverable", "zustellbar", "anschluss", "disconnected", "fehlerhaft*",
        "unvollstaendig*", "incomplete", "kontaktdat*", "contact", "daten", "data",
        "nummer*", "number*", "adress*", "address*", "e-mail-adresse*", "details",
    ),
    "gone": (
        "ausgeschieden", "verlassen", "left", "verzogen", "moved", "umgezogen", "verstorben", "deceased", "died",
        "tot", "rente", "rentner*", "ruhestand", "retired", "retire*", "gekuendigt", "quit", "longer", "mehr",
        "nachfolger*", "successor", "vorgaenger*", "predecessor", "former", "ehemalig*", "frueher*",
    ),
    "not_buyer": (
        "student*", "studi", "schueler*", "azubi*", "bewerb*", "applicant*", "applying", "job*", "stelle*",
        "praktikum*", "internship*", "makler*", "broker*", "vermittler*", "*vermittler*", "reseller*", "wiederverkaeuf*",
        "zwischenhaendler*", "intermediar*", "agent", "agents", "mitbewerber*", "konkurrent*", "headhunter*",
        "recruiter*", "verkaufen", "verkauft", "sell*", "selling", "akquise", "kaltakquise", "pitch*",
        "forschung*", "thesis", "abschlussarbeit*", "masterarbeit*", "bachelorarbeit*", "homework", "hausarbeit*",
    ),
    "no_request": (
        "angefragt", "anfrag*", "request*", "formular*", "form", "forms", "download*", "heruntergeladen", "registr*",
        "signed", "sign-up", "signup", "einwillig*", "consent*", "opt-in", "optin", "opt-out", "optout", "abgemeldet",
        "unsubscrib*", "gewinnspiel*", "giveaway", "sweepstake*", "visitenkarte*", "kaertchen", "card",
    ),
    "known": (
        "kunde", "kunden", "*kunde", "customer*", "client*", "bestandskund*", "account*", "duplikat*", "dublette*",
        "duplicat*", "dupe*", "doppelt*", "twice", "zweimal", "mehrfach*", "multiple", "pipeline", "opportunit*", "opp",
        "opps", "deal", "kollege*", "kollegin*", "colleague*", "rep", "assigned", "zugewiesen", "zugeordnet", "zustaendigkeit*",
        "crm", "datensatz*", "record*", "eintrag*", "entry", "entries", "lead", "leads", "tochter*", "subsidiar*",
        "affiliate*", "schwester*", "partner", "vertriebspartner*", "haendler*", "dealer*",
    ),
    "recent": (
        "kuerzlich", "neulich", "recently", "recent", "gestern", "yesterday", "vorgestern", "letzt*", "last", "ago",
        "vorhin", "bereits", "schon", "already", "tag*", "day*",
    ),
    "stall": (
        "ueberleg*", "nachdenk*", "think*", "thought", "consider*", "sleep", "mull*", "vielleicht", "maybe", "perhaps",
        "unsicher*", "unsure", "undecided", "unentschlossen*", "zoeger*", "hesita*", "abwarten", "wait*", "mal", "sehen",
        "see", "offer", "angebot*", "offert*", "proposal*", "quote", "kostenvoranschlag*",
    ),
    "status": (
        "disqualif*", "reject*", "abgelehnt", "ablehn*", "lost", "verloren", "unqualif*", "qualif*", "closed*",
        "geschlossen", "siehe", "note*", "notiz*", "log", "telefonat*", "gespraech*", "meeting", "termin*",
        "besprochen", "discussed", "ok", "erledigt", "done", "storniert", "cancel*", "nein", "no", "nope", "dead",
    ),
}


def _compile():
    exact: dict[str, list[str]] = {}
    prefixes: list[tuple[str, str]] = []
    infixes: list[tuple[str, str]] = []
    for concept, patterns in CONCEPTS.items():
        for pattern in patterns:
            if pattern.startswith("*") and pattern.endswith("*"):
                infixes.append((pattern.strip("*"), concept))
            elif pattern.endswith("*"):
                prefixes.append((pattern[:-1], concept))
            else:
                exact.setdefault(pattern, []).append(concept)
    return exact, tuple(prefixes), tuple(infixes)


_EXACT, _PREFIXES, _INFIXES = _compile()


@lru_cache(maxsize=200_000)
def word_concepts(lemma: str) -> tuple[str, ...]:
    """The concepts a folded lower-case lemma belongs to.

    >>> word_concepts("budgetfreigabe")
    ('decide', 'money')
    >>> word_concepts("dienstleister")
    ('supplier',)
    """
    found = set(_EXACT.get(lemma, ()))
    found.update(concept for stem, concept in _PREFIXES if lemma.startswith(stem))
    if len(lemma) > 6:
        found.update(concept for part, concept in _INFIXES if part in lemma)
    return tuple(sorted(found))


def concept_tokens(tokens: list[str], scope: int = 3) -> list[str]:
    """``cue_about_<concept>`` tokens for the lemmas of a note, ``cue_negated_<concept>`` under a negation.

    >>> concept_tokens(["kein", "budget", "beim", "lieferant"])
    ['cue_about_money', 'cue_about_supplier', 'cue_negated_money', 'cue_negated_supplier']
    """
    found: set[str] = set()
    last_negation = -scope - 1
    for i, token in enumerate(tokens):
        if token in NEGATIONS:
            last_negation = i
            continue
        for concept in word_concepts(token):
            found.add(f"cue_about_{concept}")
            if i - last_negation <= scope:
                found.add(f"cue_negated_{concept}")
    return sorted(found)


def content_tokens(tokens: list[str]) -> list[str]:
    """The tokens without :data:`FUNCTION_WORDS` (negations always stay).

    >>> content_tokens(["ich", "sein", "nicht", "der", "entscheider"])
    ['nicht', 'entscheider']
    """
    return [t for t in tokens if t not in FUNCTION_WORDS]
