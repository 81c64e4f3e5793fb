"""A bilingual concept lexicon: words that mean the same thing in any register, German or English.

Rep shorthand, buyer quotes, rule language and manager summaries use different words for the
same idea ("Lieferant", "Dienstleister", "vendor", "provider"; "Chef", "Vorstand", "my wife",
"the CFO"). Each lemma that belongs to a concept adds a ``cue_about_<concept>`` token, and a
``cue_negated_<concept>`` token when a negation stands up to three words before it, so a model
trained on one register can recognise the idea in another. German compounds are covered by
stems matched inside a word ("Budgetfreigabe" holds "budget" and "freigabe").

Patterns are folded lower-case lemmas: ``word`` matches the word, ``stem*`` any word starting
with the stem, ``*part*`` any word containing it (only for stems long enough to be safe inside
compounds); ``!word`` or ``!stem*`` names a false friend the patterns of its concept match but
that means something else ("replace" is no reply, "accountant" no account, "Interessent" no
interest). :data:`FUNCTION_WORDS` are the pronouns, articles, auxiliaries and particles that carry
style, not reason; negations are never among them.
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
    which who whom whose what himself herself itself ourselves themselves yourself yourselves
    basically anyway anyways btw fyi thx dear regard regards cheers
    dies diese dieser dieses diesem diesen jene jener jenes welch welche welcher welches welchem welchen
    deren dessen wer wem wen ihrer ihres seines meines unserer unseres euer eure jedoch allerdings quasi
    irgendwie uebrigens gruss gruesse lg vg mfg servus gruezi moin tschuess
    """.split()
)

# each concept ends with its false friends ("!word", "!stem*"), if it has any
CONCEPTS: dict[str, tuple[str, ...]] = {
    "boss": (
        "chef*", "cheffe", "vorgesetzt*", "geschaeftsfuehr*", "gf", "vorstand*", "inhaber*", "eigentuemer*",
        "*leitung*", "*leiter*", "*leiterin*", "prokurist*", "boss*", "ceo", "cfo", "cto", "cio", "coo", "md",
        "owner*", "board", "director*", "vp", "head", "supervisor*", "superior*", "manager*", "management",
        "executive*", "founder*", "gruender*", "president", "praesident*", "aufsichtsrat*", "beirat*",
        "gesellschafter*", "*geschaeftsfuehr*", "gfin", "gl", "geschaeftsleit*", "*vorstand*", "vorstaend*",
        "vorsitz*", "*vorsitzend*", "*direktor*", "direktion*", "*inhaber*", "*eigentuemer*", "*gesellschafter*",
        "*gruender*", "*praesident*", "unternehmer", "unternehmerin", "abteilungschef*", "bereichschef*",
        "firmenchef*", "seniorchef*", "juniorchef*", "einkaufschef*", "vertriebschef*", "marketingchef*",
        "finanzchef*", "it-chef*", "personalchef*", "fuehrungskraft*", "fuehrungsebene*", "fuehrungsetage*",
        "fuehrungsteam*", "verwaltungsrat*", "patron", "dezernent*", "buergermeister*", "hierarchie*", "cmo", "cso",
        "cro", "cpo", "cxo", "svp", "evp", "gm", "c-level", "clevel", "c-suite", "csuite", "exec", "execs", "mgmt",
        "mgr", "leadership", "chief", "chairman*", "chairwoman*", "chairperson*", "proprietor*", "principal", "vps",
        "shareholder*",
        "!weiterleitung*", "!weiterleiter*", "!directory*",
    ),
    "spouse": (
        "frau", "ehefrau", "mann", "ehemann", "gattin", "gatte", "partnerin", "wife", "husband", "spouse", "family",
        "familie", "gemahlin", "gemahl", "lebensgefaehrt*", "lebenspartner*", "ehepartner*", "ehegatt*", "eheleute",
        "ehepaar*", "verlobt*", "schwiegervater", "schwiegermutter", "sohn", "vater", "bruder", "eltern", "hubby",
        "fiance*", "girlfriend", "boyfriend", "son", "father", "dad", "brother", "mother", "mum", "mom",
    ),
    "org_above": (
        "zentrale", "*zentrale*", "hauptsitz*", "konzern*", "mutter*", "holding", "gruppe", "headquarter*", "hq",
        "corporate", "parent", "group", "global", "einkauf*", "procurement", "purchasing", "beschaffung*",
        "gremium*", "ausschuss*", "committee*", "lenkungskreis*", "steering", "betriebsrat*", "*konzern*",
        "holding*", "unternehmensgruppe*", "firmengruppe*", "*einkauf*", "*einkaeufer*", "*beschaffung*",
        "beschaff*", "zentral*", "hauptverwaltung*", "hauptquartier*", "stammhaus*", "stammsitz*", "firmensitz*",
        "hauptniederlassung*", "dachgesellschaft*", "dachverband*", "*gremium*", "kommission*", "arbeitskreis*",
        "steuerkreis*", "*ausschuss*", "*abteilung*", "fachbereich*", "department*", "dept", "division*", "edv*",
        "informatik*", "jurist*", "legal", "vergabestelle*", "banf", "bestellanforderung*", "gemeinderat*",
        "stadtrat*", "council", "procure*", "purchase", "po", "franchis*", "headoffice", "head-office", "corp",
        "landesgesellschaft*", "steer",
        "central*",
        "!mutterschutz*", "!muttertag*",
    ),
    "decide": (
        "entscheid*", "*entscheid*", "decision*", "decide*", "decides", "approv*", "*freigabe*", "freigeb*",
        "genehmig*", "unterschreib*", "unterschrift*", "sign", "signoff", "sign-off", "zustimm*", "authori*",
        "befugnis*", "befugt", "zustaendig*", "responsib*", "stakeholder*", "entscheider*", "dm", "dms", "em",
        "dmu", "*befugnis*", "zeichnungsberecht*", "*vollmacht*", "prokura", "berechtig*", "freigab*",
        "*genehmigung*", "bewillig*", "absegn*", "abgesegn*", "abnick*", "abgenickt", "durchwink*", "unterzeichn*",
        "signier*", "gegenzeichn*", "*beschluss*", "beschliess*", "beschlossen", "mitbestimm*", "*hoheit*",
        "*verantwort*", "ermaechtig*", "*zustaendig*", "signature*", "signator*", "sign-off*", "greenlight*",
        "veto*", "sponsor*", "accountab*", "permission*", "erlaubnis*", "allow", "endgueltig*", "abzeichn*",
        "final", "befugt*",
    ),
    "consult": (
        "rueckspr*", "besprech*", "abstimm*", "discuss*", "konsult*", "weiterleit*", "forward*", "durchstell*",
        "verbind*", "verweis*", "refer*", "run", "check", "clear", "absprech*", "fragen", "ask*", "*absprache*",
        "abklaer*", "*abklaerung*", "klaeren", "klaerung*", "rueckfrag*", "beratschlag*", "vorleg*", "weiterreich*",
        "weiterverbind*", "eskalier*", "escalat*", "durchsprech*", "einbezieh*", "einbind*", "hinzuzieh*",
        "involv*", "vermitteln", "checken", "consult", "consultation", "loop", "cc", "align*", "sync", "review*",
        "talk", "feedback", "redirect*", "transfer*", "rueckversicher*", "nachfragen", "abgleich*", "abzustimm*",
        "befrag*", "einhol*", "*ruecksprache*", "weitergeben",
        "clarif*", "reden",
        "!forwarder*", "!verbindlich*", "!referen*", "!referral*", "!referat*",
    ),
    "gatekeeper": (
        "sekretaer*", "assistent*", "assistant*", "empfang*", "zentrale", "reception*", "receptionist*",
        "gatekeeper*", "vorzimmer*", "pa", "praktikant*", "*sekretaer*", "sekretariat*", "*assistenz*",
        "*assistent*", "telefonzentrale*", "telefonist*", "telefonvermittlung*", "pforte*", "pfoertner*",
        "rezeption*", "frontdesk", "front-desk", "desk", "switchboard*", "secretar*", "officemanager*",
        "office-manager*", "buerokraft*", "bueroangestellt*", "sachbearbeit*", "aushilfe*", "werkstudent*",
        "trainee*", "clerk*", "abwimmel*", "abgewimmelt", "abblock*", "abgeblockt", "stonewall*", "blockier*",
        "zentralnummer*", "hotline*", "callcenter*", "call-center*", "servicecenter*", "kundenservice*",
        "kundendienst*", "helpdesk*", "portier",
    ),
    "money": (
        "budget*", "*budget*", "geld*", "kosten*", "*kosten*", "preis*", "*preis*", "price*", "pricing", "cost*",
        "teuer*", "expensive", "pricey", "cheap*", "guenstig*", "billig*", "afford*", "leisten", "finanz*",
        "*finanz*", "funding", "fund*", "spend*", "spar*", "rabatt*", "discount*", "invest*", "roi", "xxmoney",
        "euro", "dollar*", "pleite", "liquiditaet*", "cash*", "money", "rechnet", "lohnt", "*kuerzung*", "cut*",
        "umsatzrueckgang", "krise*", "recession", "etat*", "mittel", "haushaltsmittel*", "eigenmittel*",
        "foerdermittel*", "foerderung*", "foerderprogramm*", "zuschuss*", "subvention*", "subsidy", "kapital*",
        "capital", "capex", "opex", "ausgabe*", "ausgeben", "*investition*", "kostspielig*", "unbezahlbar*",
        "bezahl*", "zahlen", "pay", "payment*", "payback", "ueberteuert", "overpric*", "steep", "fee", "*gebuehr*",
        "tarif*", "amortis*", "amortiz*", "rentab*", "rentier*", "profitab*", "wirtschaftlich*", "businesscase*",
        "business-case*", "gratis", "aufbrauch*", "ausschoepf*", "*einspar*", "*sparmassnahm*", "*sparkurs*",
        "*sparprogramm*", "*sparpaket*", "austerity", "kuerzen", "streichen", "tight*", "knapp*", "klamm",
        "financ*", "fiscal*", "eur", "usd", "chf", "gbp", "saving*", "overspend*", "underfund*", "unfunded",
        "downturn", "inflation*", "crisis", "economy", "economic*", "konjunktur*", "wirtschaftslage", "rezession*",
        "*rueckgang*", "umsatzeinbruch*", "auftragseinbruch*", "kurzarbeit*", "zahlungsbereit*", "liquidit*",
        "lohnen", "lohnend*", "rechnen", "kohle", "knete", "geiz*", "stingy", "skonto", "leistbar*", "unleistbar*",
        "leasing*", "ratenzahl*", "darlehen*", "kb", "kaufkraft*", "marge", "margen", "margin",
        "expense*", "unaffordab*",
        "!sparkasse*", "!spare", "!sparing*", "!sparring*", "!fundament*", "!cashier*",
    ),
    "time_later": (
        "spaeter*", "later", "naechst*", "next", "monat*", "month*", "woche*", "week*", "quartal*", "quarter*",
        "xxquarter", "xxweek", "xxyear", "xxfyear", "xxdate", "jahr*", "year*", "herbst*", "fruehjahr*", "sommer*",
        "winter*", "autumn", "fall", "spring", "summer", "januar", "februar", "maerz", "april", "mai", "juni",
        "juli", "august", "september", "oktober", "november", "dezember", "january", "february", "march", "june",
        "july", "october", "december", "zurueckruf*", "rueckruf*", "callback", "wiedervorlage", "nachfass*",
        "follow-up", "momentan", "moment", "derzeit", "zurzeit", "aktuell", "gerade", "currently", "right", "now",
        "jetzt", "noch", "wieder", "again", "demnaechst", "bald", "soon", "upcoming", "nachher", "spaetestens",
        "fruehestens", "kuenftig*", "zukuenftig*", "kommend*", "erst", "nochmal", "nochmals", "erneut", "zeitnah",
        "vorlaeufig*", "zeitpunkt*", "zeitlich*", "derzeitig*", "dzt", "atm", "presently", "gegenwaertig*",
        "geschaeftsjahr*", "folgejahr*", "halbjahr*", "kalenderjahr*", "haushaltsjahr*", "neujahr*", "*quartal*",
        "*monat*", "*woche*", "feiertag*", "weihnacht*", "ostern", "pfingsten", "christmas", "xmas", "easter",
        "*herbst*", "fruehling*", "jaenner", "feber", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "okt",
        "oct", "nov", "dez", "dec", "eoy", "eom", "eoq", "afterward*", "nachhak*", "follow", "followup",
        "follow-up*", "wiederanruf*", "wiedervorlag*", "wv", "circle", "revisit", "reconnect", "nurture*",
        "recontact*", "fy", "late",
        "shortly", "danach", "temporar*",
        "!naechstgelegen*", "!vorwoche*", "!vormonat*", "!jahrzehnt*", "!jahresumsatz*", "!monthly",
    ),
    "busy": (
        "busy", "beschaeftigt", "beschaeftigen", "stress*", "zeit", "time", "swamped", "slammed", "overloaded",
        "ausgelastet", "auslasten", "voll", "plate", "priorit*", "urlaub*", "vacation", "holiday*", "messe*",
        "fair", "umzug*", "umstrukturier*", "reorg*", "restruktur*", "restructur*", "fusion*", "merger*",
        "uebernahme*", "acqui*", "saison*", "season*", "hochsaison", "projekt*", "project*", "verschoben",
        "verschieb*", "postpon*", "hold", "pause*", "aufgeschoben", "delay*", "ueberlast*", "vollauf", "hektik",
        "hektisch*", "hectic", "*zeitmangel*", "*kapazitaet*", "capacity", "bandwidth", "*ressource*", "resourc*",
        "*engpass*", "unterbesetzt*", "understaffed", "short-staffed", "personalmangel*", "krank", "krankheit*",
        "erkrank*", "krankmeldung*", "sick", "elternzeit*", "karenz*", "mutterschutz", "maternity", "paternity",
        "sabbatical*", "ferien*", "*ferien*", "pto", "tradeshow*", "trade-show*", "expo", "konferenz*",
        "conference*", "kongress*", "inventur*", "jahresabschluss*", "*abschlussarbeiten*", "prio", "prios",
        "*prioritaet*", "dringend*", "urgent*", "umbau*", "neuausricht*", "*neuausrichtung*", "transformation*",
        "*umstellung*", "migrat*", "rollout*", "roll-out*", "einfuehrung*", "go-live", "golive", "implementierung*",
        "implementation*", "relocat*", "neubau*", "einstellungsstopp*", "stopp*", "einfrier*", "freeze*",
        "aufschieb*", "vertag*", "zurueckstell*", "suspend*", "defer*", "push", "reschedul*", "backburner",
        "back-burner", "shelve*", "pausier*", "backlog", "workload", "arbeitslast*", "*auslastung*", "ernte*",
        "vorhaben", "firefight*", "overwhelm*", "post-merger", "uebergangsphase*", "personalwechsel*",
        "fuehrungswechsel*", "managementwechsel*", "pandemie*", "pandemic*", "corona*", "covid*", "streik*",
        "strike", "kranken", "krankschreib*", "aussetzen", "overload*", "swamp", "slam",
        "illness", "*priorisier*", "depriorit*", "takeover*", "manpower", "einspannen", "ausbuchen",
        "!messenger*", "!messekontakt*", "!messe-lead*", "!messelead*", "!messe-scan*", "!messebesuch*",
        "!messestand*", "!freezer*",
    ),
    "info": (
        "info*", "*info*", "unterlag*", "material*", "broschuere*", "brochure*", "prospekt*", "katalog*",
        "catalog*", "whitepaper*", "literatur*", "literature", "website", "webseite*", "homepage", "flyer*",
        "datenblatt*", "overview", "ueberblick*", "*ueberblick*", "marktueberblick", "vergleich*", "compar*",
        "research*", "recherch*", "umschau*", "schau*", "look*", "gucken", "browse*", "browsing", "curious",
        "neugier*", "orientier*", "schicken", "zuschicken", "senden", "zusenden", "send", "mail", "e-mail", "email",
        "shopping", "*unterlag*", "dokument*", "document*", "pdf*", "praesentation*", "presentation*", "deck",
        "slide", "webinar*", "newsletter*", "fallstudie*", "casestudy", "referenz*", "reference*", "ebook*",
        "e-book*", "leitfaden*", "checklist*", "studie", "benchmark*", "marktanalys*", "marktsondier*",
        "marktforschung*", "marktrecherch*", "marktstudie*", "sondier*", "*sondierung*", "explor*", "evaluier*",
        "evaluat*", "option", "sammel*", "collect*", "gather*", "kennenlernen", "reinschnupper*", "schnupper*",
        "stoebern", "umseh*", "kucken", "guck*", "anschau*", "anseh*", "nosy", "curiosity", "learn", "insight*",
        "googl*", "datasheet*", "factsheet*", "one-pager", "onepager", "*datenblatt*", "preisliste*", "pricelist*",
        "mailing*", "zuschick*", "zusend*", "uebersend*", "uebermittel*", "schriftlich*", "mailen", "background",
        "hintergrund*", "erkundig*", "nachlesen", "sample*", "video*", "testbericht*", "bewertung*",
        "erfahrungsbericht*",
        "uebersicht",
        "!infosec", "!informatik*", "!browser*", "!sammelpostfach*", "!sammeladresse*",
    ),
    "early": (
        "frueh*", "early", "anfang*", "beginning", "yet", "irgendwann", "someday", "eventually", "zukunft*",
        "future", "langfristig*", "long-term", "planung*", "plan*", "konkret*", "concrete", "ready", "bereit",
        "phase*", "stage*", "idee*", "idea*", "ueberleg*", "gedanke*", "vorerst", "grundsaetzlich", "verfrueht*",
        "verfruehen", "premature*", "vage", "vague*", "unkonkret*", "theoretisch*", "theoretical*", "hypothetisch*",
        "hypothetical*", "brainstorm*", "*phase*", "stadium", "infancy", "roadmap*", "mittelfristig*",
        "perspektivisch*", "longterm", "horizon", "zeithorizont*", "timeline*", "zeitplan*", "zeitrahmen*",
        "unverbindlich*", "non-binding", "nonbinding", "readiness", "bereitschaft", "reif", "unreif*", "mature",
        "maturity", "immature", "spruchreif*", "anfaenglich*", "vorplanung*", "vorueberlegung*", "vision*",
        "wunschliste*", "wishlist", "exploratory", "vorprojekt*", "vorstudie*", "machbarkeitsstudie*", "nascent",
        "horizont",
        "erstmal",
        "!frueher", "!fruehjahr*", "!fruehestens", "!fruehstueck*", "!fruehmorgen*", "!plant", "!planner*",
    ),
    # reaching someone, calling, answering: an event, not a failure ("Reached Ms. Alvarez", "endlich erreicht");
    # under a negation it is one ("nicht erreicht", "no answer")
    "contact": (
        "erreich*", "reach*", "anruf*", "call*", "ruf*", "telefon*", "phone*", "rueckmeld*", "respon*", "repl*",
        "antwort*", "answer*", "zurueckgerufen", "zurueckrufen", "melden", "meldet", "gemeldet", "hear", "heard",
        "pick*", "abheb*", "*anruf*", "tel", "handy", "handynummer*", "festnetz*", "durchwahl*", "klingel*",
        "durchklingel*", "ring", "dial", "nachricht*", "message", "beantwort*", "rueckantwort*", "react*",
        "reagier*", "reaktion*", "availab*", "verfuegbar*", "contactable", "kontaktier*", "kontaktaufnahme*",
        "rangeh*",
        "!replace*", "!replic*", "!responsib*", "!respondent*", "!picklist*", "!picker*", "!available",
    ),
    # words that say the contact failed in themselves
    "contact_fail": (
        "unerreichbar", "unreachable", "anrufbeantworter", "mailbox", "voicemail*", "voice-mail", "schweig*",
        "silent", "silence", "ghost*", "abgetaucht", "totstell*", "funkstille", "besetzt", "besetzen", "ooo",
        "abwesend*", "absent", "versuch*", "attempt*", "tried", "try", "outreach", "no-show", "noshow",
        "*erreichbar*", "vm", "lvm", "sprachbox*", "sprachnachricht*", "hinterlass*", "ignor*", "geghostet",
        "unbeantwortet", "vergeblich*", "erfolglos*", "unsuccessful*", "mehrmals", "zigmal", "x-mal", "nachfass*",
        "nachhak*", "chase*", "autorepl*", "autorespon*", "abwesenheit*", "outofoffice", "out-of-office",
        "unterwegs", "unavailable", "unverfuegbar*", "uncontactable", "kontaktversuch*", "abtauch*", "tauchstation",
        "vanish*", "disappear*", "verschwund*", "verschwind*", "freizeichen", "rueckrufbitte*", "unanswered",
        "unreturned", "untertauch*", "stille", "verreisen",
        "unresponsive", "repeatedly",
    ),
    "need": (
        "bedarf*", "*bedarf*", "need*", "brauch*", "benoetig*", "interess*", "interest*", "nutzen", "mehrwert*",
        "value*", "usecase", "use-case", "sinn*", "relevan*", "want*", "problem*", "pain*", "help*", "hilf*",
        "helfen", "useful", "nuetzlich*", "*interess*", "erforderlich*", "notwendig*", "noetig*", "unnoetig*",
        "necessar*", "necessity", "unnecessar*", "*relevan*", "pointless", "zweck*", "anwendungsfall*",
        "anwendungsszenario*", "einsatzszenario*", "einsatzzweck*", "benefit*", "vorteil*", "advantage*", "worth*",
        "herausforderung*", "challenge*", "beduerfnis*", "desire", "demand*", "thema", "topic", "wunschlos*",
        "kaufabsicht*", "kaufbereit*", "intent", "absicht*", "ni", "unnuetz*", "useless", "solve", "uninterested",
        "disinterested", "appeal*", "attraktiv*", "attractive", "unattraktiv*", "zusatznutzen*", "appetit*",
        "schmerzpunkt*",
        "gebrauchen", "lust", "ueberfluessig*", "nutzlos", "purpose",
        "!interessent*", "!interessenkonflikt*", "!interessenkollision*", "!painter*", "!needle*",
    ),
    "supplier": (
        "anbieter*", "*anbieter*", "lieferant*", "*lieferant*", "dienstleister*", "*dienstleister*", "provider*",
        "vendor*", "supplier*", "agentur*", "agency", "partnerfirma", "firma", "someone", "jemand*", "else",
        "anderen", "ander*", "another", "other", "alternative*", "konkurrenz*", "wettbewerb*", "competitor*",
        "competition", "*agentur*", "*hersteller*", "*konkurrenz*", "*wettbewerb*", "mitbewerber*",
        "marktbegleiter*", "alternativ", "rival*", "consultant*", "consultancy", "*berater*", "beratungsfirma*",
        "beratungshaus*", "*systemhaus*", "integrator*", "freelancer*", "freiberufl*", "contractor*",
        "subunternehm*", "subcontract*", "outsourc*", "auslager*", "fremdfirma*", "extern*", "third-party",
        "thirdparty", "msp", "*zulieferer*", "bezugsquelle*", "different", "dienstleistungsunternehmen*",
        "partnerunternehmen*", "*konkurrent*", "marktfuehrer*", "platzhirsch*", "grosshaendler*", "softwarehaus*",
        "implementierungspartner*", "umsetzungspartner*", "compete",
        "somebody", "manufacturer*", "woanders",
        "!anders", "!andermal",
    ),
    "incumbent": (
        "bereits", "schon", "already", "existing", "bestehend*", "vorhanden*", "current*", "zufrieden*", "happy",
        "satisfied", "versorgt", "versorgen", "covered", "aktuell*", "using", "nutzen", "einsatz*",
        "einsetz*", "inhouse", "in-house", "eigene", "eigenen", "eigenes", "own", "intern*", "selbst",
        "eigenentwicklung*", "eigenbau", "team", "jahrelang", "langjaehrig*", "stammlieferant*", "hauslieferant*",
        "bewaehrt*", "bewaehren", "benutz*", "verwend*", "use", "loesung*", "solution*", "system", "tool*", "excel",
        "exceltabelle*", "excelliste*", "excel-tabelle*", "excel-liste*", "spreadsheet*", "legacy", "altsystem*",
        "bestandssystem*", "bisherig*", "bisher", "gluecklich", "loesen", "eigen", "selber", "selbstgebaut",
        "selbstentwickelt*", "selbstgemacht", "selbstgestrickt", "homegrown", "home-grown", "homebuilt", "diy",
        "build", "partnerschaft*", "relationship", "loyal*", "treu", "jetzig*", "derzeitig*", "install*",
        "implementieren", "switch*", "wechsel*", "umstieg*", "umsteig*", "replace*", "ersetz*", "abloes*",
        "bestandslieferant*", "bestandsloesung*", "bestandspartner*", "bestandsanbieter*", "quo", "stammpartner*",
        "hausagentur*", "hausanbieter*", "incumbent*", "workaround*", "*eigenregie*", "stack", "techstack",
        "platform*", "plattform*", "*bestehend*", "funktionieren", "abdeck*", "eindeck*", "ausstatt*", "equip*",
        "establish*", "etablier*", "satisfy", "cover", "eigenloesung*", "softwareloesung*", "komplettloesung*",
        "aufstellen",
        "!switchboard*", "!internet*", "!internship*", "!international*", "!installateur*", "!installer*",
    ),
    "contract": (
        "vertrag*", "*vertrag*", "vertraeg*", "contract*", "rahmenvertrag*", "framework", "agreement*",
        "vereinbarung*", "laufzeit*", "kuendig*", "renew*", "verlaenger*", "unterschrieben", "unterschreiben",
        "gebunden", "binden", "bound", "locked", "tied", "vergeben", "awarded", "zuschlag*", "ausschreibung*",
        "tender*", "bid*", "chose", "chosen", "selected", "gewaehlt", "picked", "*laufzeit*", "kuendbar*",
        "unkuendbar*", "frist*", "notice", "term", "expire*", "expiry", "expiration", "auslauf*", "*verlaengerung*",
        "commit*", "lock", "tie", "bind", "obligat*", "verpflicht*", "abschliess*", "msa", "sow", "sla", "rfp",
        "rfq", "rfi", "*ausschreibung*", "*vergabe*", "*auftrag*", "award*", "shortlist*", "choose", "select*",
        "opt", "waehl*", "auswahl*", "auswaehl*", "pick", "abonnement*", "subscription*", "license*", "lizenz*",
        "licence*", "ausschreib*", "bieterverfahren*", "beschaffungsverfahren*", "multiyear", "ausstieg*",
        "aussteigen", "autorenew", "befrist*",
        "terminat*",
        "!committee*",
    ),
    "profile": (
        "klein*", "small", "tiny", "gross*", "large", "big", "mitarbeiter*", "employee*", "staff", "headcount",
        "umsatz*", "revenue*", "turnover", "branche*", "industry", "industries", "sector*", "segment*",
        "zielgruppe*", "target*", "icp", "profil*", "profile*", "kriteri*", "criteria", "criterion",
        "voraussetzung*", "anforderung*", "requirement*", "mindest*", "minimum", "abnahme*", "volume*", "menge*",
        "exklusiv*", "exclusiv*", "offering*", "sortiment*", "portfolio", "leistungsspektrum", "fit", "passt",
        "passen", "geeignet", "eignen", "suitable", "scope", "expertise", "erfahrung*", "experience*", "feature*",
        "funktion*", "integration*", "schnittstelle*", "interface*", "on-prem*", "onprem*", "sap", "zertifi*",
        "certif*", "compliance", "sprache*", "language*", "support*", "ma", "fte", "mitarbeitend*", "angestellt*",
        "groess*", "mittelstand*", "mittelstaend*", "kmu", "sme", "smb", "startup*", "start-up*", "enterprise*",
        "einzelunternehm*", "einzelfirma*", "einmann*", "ein-mann*", "solo*", "selbststaendig*", "selbstaendig*",
        "self-employed", "winzig*", "riesig*", "huge", "enormous", "size*", "midsize*", "mid-size*", "midmarket",
        "mid-market", "mittelgross*", "*branche*", "vertical*", "sektor*", "zielmarkt*", "zielkunde*",
        "idealkunde*", "ideal", "*kriteri*", "*voraussetzung*", "*anforderung*", "require", "*abnahme*",
        "stueckzahl*", "*volumen*", "umfang*", "*umfang*", "passend*", "unpassend*", "ungeeignet*", "eignung*",
        "unsuitable", "ineligible", "*funktion*", "*schnittstelle*", "*integration*", "integrat*", "*anbindung*",
        "api", "apis", "kompatib*", "compatib*", "incompatib*", "inkompatib*", "prem", "premise", "cloud*", "saas",
        "hosting*", "gehostet", "datenschutz*", "dsgvo", "gdpr", "iso", "tisax", "englisch*", "english",
        "franzoesisch*", "french", "italienisch*", "italian", "spanisch*", "spanish", "german", "mehrsprachig*",
        "multilingual", "lokalisierung*", "localiz*", "localis*", "nische*", "niche", "b2b", "oeffentlich*",
        "behoerde*", "kommune*", "kommunal*", "gemeinde*", "schule*", "school*", "universit*", "hochschul*", "uni",
        "verein", "non-profit", "nonprofit", "ngo", "charity", "gemeinnuetzig*", "stiftung*", "kirche*", "church*",
        "government*", "gov", "staatlich*", "ministerium*", "krankenhaus*", "klinik*", "hospital*", "*profil*",
        "spezifikation*", "specification*", "zielsegment*", "kundensegment*", "marktsegment*", "handwerksbetrieb*",
        "einzelhaendler*", "freiberufler*", "functionality", "capabilit*", "faehigkeit*", "abdeckung*", "coverage",
        "machbar*", "unterstuetz*", "massiv", "criteri*", "unternehmensgroesse*", "firmengroesse*",
        "betriebsgroesse*", "persona",
        "deutsch", "public", "quantit*", "moq", "workforce", "belegschaft*",
        "!kleinigkeit*", "!grossbuchstab*", "!soloplan",
        "!grossbritannien",
    ),
    "place": (
        "region*", "regional*", "land", "country", "countries", "deutschland", "germany", "oesterreich", "austria",
        "schweiz", "switzerland", "ausland*", "abroad", "overseas", "international*", "wohnsitz*", "wohnort*",
        "residen*", "resident", "gebiet*", "*gebiet*", "territor*", "area*", "standort*", "location*", "local*",
        "lokal*", "entfernung*", "distance", "km", "miles", "meilen", "weit", "far", "liefergebiet*",
        "postleitzahl*", "plz", "zip", "ort", "city", "stadt", "state", "bundesland*", "eu", "usa", "uk",
        "*region*", "dach", "emea", "apac", "latam", "nordamerika", "america*", "amerika*", "asien", "asia*",
        "afrika", "africa", "europa*", "europe*", "ausserhalb", "outside", "inlaend*", "domestic", "nation",
        "landesweit", "bundesweit", "nationwide", "england", "britain", "british", "ireland", "irland",
        "frankreich", "france", "italien", "italy", "spanien", "spain", "niederlande", "netherlands", "holland",
        "belgien", "belgium", "luxemburg", "poland", "tschechien", "daenemark", "denmark", "sweden", "norwegen",
        "norway", "brasilien", "brazil", "china", "indien", "india", "japan", "kanada", "canada", "mexiko",
        "mexico", "australien", "australia", "russland", "russia", "tuerkei", "liechtenstein", "suedtirol", "swiss",
        "schweiz*", "oesterreich*", "zeitzone*", "timezone*", "postcode", "postal", "*standort*", "*niederlassung*",
        "filiale*", "onsite", "on-site", "anfahrt*", "anreise*", "fahrtzeit*", "fahrzeit*", "umkreis*", "radius",
        "kilometer*", "abgelegen*", "laendlich*", "rural", "county", "kanton*", "bezirk*", "landkreis*",
        "auslaendisch*", "foreign*", "laender*", "vorort", "ostdeutschland", "westdeutschland", "norddeutschland",
        "sueddeutschland", "bavaria", "nrw", "romandie", "westschweiz", "deutschschweiz", "nordics", "scandinavia*",
        "skandinavien", "benelux", "nearby", "umgebung", "geograph*", "geografisch*", "kontinent*", "continent*",
        "vor-ort*", "schwed*", "mile", "meile*", "national",
        "weltweit", "worldwide", "deutschland*", "grossbritannien", "polen", "gegend", "town",
    ),
    "private": (
        "privat*", "private", "privatperson*", "consumer*", "verbraucher*", "endkunde*", "b2c", "hobby*",
        "personal", "household", "haushalt*", "einzelperson", "individual", "*verbraucher*", "konsument*",
        "eigenheim*", "eigenbedarf*", "hausbesitzer*", "homeowner*", "wohnung*", "einfamilienhaus*", "apartment*",
        "gewerb*", "commercial*", "laie*", "layperson", "eigengebrauch*", "eigennutzung*", "hausgebrauch",
        "noncommercial", "heimwerker*", "mieter*", "tenant*", "einzelkunde*", "b2c-kunde*", "endnutzer*",
        "enduser*", "einzelnutzer*", "individual*",
    ),
    "credit": (
        "bonitaet*", "credit*", "schufa", "wirtschaftsauskunft*", "auskunft*", "auskuenfte", "insolven*",
        "bankrupt*", "zahlungsunfaehig*", "zahlungsausfall*", "rating*", "score*", "einkommen*", "income",
        "vorerkrank*", "versicherbar*", "insurable", "kredit*", "crif", "ksv", "zek", "inkasso*", "zahlungsmoral",
        "zahlungsverzug*", "zahlungsrueckstand*", "rueckstand*", "schulden*", "verschuld*", "ueberschuld*", "debt*",
        "arrears", "overdue", "unpaid", "*insolvenz*", "konkurs*", "pleite", "bankrott*", "liquidat*", "gehalt",
        "salary*", "verdienst*", "uninsurab*", "unversicherbar*", "risikopruefung*", "vorkasse",
        "zahlungsschwierigkeit*", "negativeintrag*", "schufa-eintrag*", "zahlungsverhalten*", "schuldner*",
        "default", "restschuld*", "underwrit*", "mahnen", "nettoeinkommen*", "bruttoeinkommen*", "jahreseinkommen*",
        "haushaltseinkommen*", "glaeubiger",
        "zahlungsfaehig*", "mahn*",
    ),
    "fake": (
        "fake*", "spam*", "test*", "erfunden*", "erfinden", "fiktiv*", "fictitious", "fictional", "bogus",
        "scherz*", "joke*", "prank*", "jux", "quatsch", "nonsense", "gibberish", "unsinn*", "bot", "bots", "dummy",
        "asdf", "mickey", "donald", "phantasie*", "fantasie*", "troll*", "spass*", "witz*", "gefaelscht*",
        "faelsch*", "junk*", "muell", "datenmuell", "trash", "garbage", "rubbish", "schrott*", "bloedsinn*", "mist",
        "kauderwelsch", "random*", "qwertz", "qwerty", "aaa", "xxx", "abc", "platzhalter*", "placeholder*",
        "mustermann*", "doe", "veraeppel*", "verarsch*", "unserioes*", "betrug*", "betrueg*", "scam*", "fraud*",
        "phishing", "made-up", "madeup", "pseudonym*", "anonym*", "wegwerf*", "trashmail*", "tempmail*",
        "mailinator", "disposable", "zeichensalat", "sinnfrei", "robot*", "scheinfirma*", "briefkastenfirma*",
        "nonsens*", "lol", "haha", "ausdenken",
        "suspicious",
        "!testphase*", "!testversion*", "!testzugang*", "!testzugaeng*", "!testen", "!trolley*", "!wegwerfen",
    ),
    "bad_data": (
        "falsch*", "wrong", "incorrect", "ungueltig*", "invalid*", "nonexist*", "existier*", "exist", "existent*",
        "existence", "bounce*", "unzustellbar*", "undeliverable", "zustellbar", "anschluss", "disconnected",
        "fehlerhaft*", "unvollstaendig*", "incomplete", "kontaktdat*", "daten", "data", "nummer*", "number*",
        "adress*", "address*", "e-mail-adresse*", "details", "inkorrekt*", "fehler*", "error*", "erroneous",
        "tippfehler*", "vertipp*", "gebounced", "ruecklaeufer*", "zustell*", "daemon", "disconnect*", "fehlend*",
        "fehlen", "blank", "empty", "unleserlich*", "unreadable", "illegible", "stammdaten*", "firmendaten*",
        "*kontaktdat*", "*nummer*", "*adresse*", "nr", "domain*", "veraltet*", "veralten", "obsolete", "angabe*",
        "verwechsl*", "mistake*", "irrtum*", "irrtuemlich*", "versehentlich*", "unbekannt*", "unknown",
        "recipient*", "deliverability", "hardbounce", "softbounce", "fax*", "unplausibel*", "implausib*",
        "inexistent*", "nichtexistent*", "mismatch*", "abweich*", "inconsistent*", "widerspruechlich*", "outdate*",
        "leer*", "detail", "typo", "typos",
        "faulty", "empfaenger*", "false",
    ),
    "gone": (
        "ausgeschieden", "verlassen", "left", "verzogen", "umgezogen", "umziehen", "verstorben", "versterben",
        "deceased", "tot", "rente", "rentner*", "ruhestand", "retired", "retire*", "quit", "mehr", "nachfolger*",
        "successor", "vorgaenger*", "predecessor", "former", "ehemalig*", "frueher*", "ausscheid*", "leave",
        "todesfall*", "tod", "verstorb*", "pensionier*", "pension", "*ruhestand*", "rente*", "resign*", "entlass*",
        "redundan*", "ex", "previous*", "elsewhere", "vakant*", "vacant", "vacancy", "unbesetzt", "abgang*",
        "auswander*", "emigrat*", "inaktiv*", "inactive", "aufloes*", "dissolve", "defunct", "stillgelegt*",
        "geschaeftsaufgabe*", "betriebsaufgabe*", "ehemals", "formerly", "vormals", "ex-mitarbeiter*",
        "ex-kollege*", "arbeitgeberwechsel*", "jobwechsel*", "wegzug*", "shutdown", "altersteilzeit*",
        "fruehrente*", "nachfolge*", "uebergabe*", "handover", "austret*", "decease",
        "anymore", "death", "sterben",
    ),
    "not_buyer": (
        "student*", "studi", "schueler*", "azubi*", "bewerb*", "applicant*", "applying", "job*", "stelle",
        "stellenanzeige*", "stellenangebot*", "stellensuch*", "praktikum*", "internship*", "makler*", "broker*",
        "vermittler*", "*vermittler*", "reseller*", "wiederverkaeuf*", "zwischenhaendler*", "intermediar*", "agent",
        "agents", "mitbewerber*", "konkurrent*", "headhunter*", "recruiter*", "verkaufen", "verkauft", "sell*",
        "selling", "akquise", "kaltakquise", "pitch*", "forschung*", "thesis", "abschlussarbeit*", "masterarbeit*",
        "bachelorarbeit*", "homework", "hausarbeit*", "*student*", "studium", "studier*", "auszubildend*",
        "lehrling*", "lehrstelle*", "ausbildung*", "*bewerbung*", "apply", "lebenslauf*", "cv", "karriere*",
        "career*", "arbeitssuch*", "arbeitslos*", "unemployed", "candidate*", "kandidat*", "recruit*",
        "personalvermittl*", "spion*", "ausspion*", "spy*", "verkaeufer*", "vertriebler*", "salesperson",
        "salesman", "saleswoman", "werbung*", "werbe*", "advertis*", "solicit*", "unsolicit*", "journalist*",
        "presse*", "reporter*", "blogger*", "influencer*", "dissertation*", "doktorarbeit*", "seminararbeit*",
        "umfrage*", "survey*", "kooperation*", "cooperation*", "partnerschaftsanfrage*", "lieferantenanfrage*",
        "verkaufsanfrage*", "verkaufsanruf*", "kaltanruf*", "coldcall*", "cold-call*", "salespitch", "akquis*",
        "vertriebsanfrage*", "dienstleistungsangebot*", "lehrer*", "teacher*", "dozent*", "professor*",
        "wissenschaftler*", "researcher*", "scientist*", "doktorand*", "phd", "schulprojekt*", "studienarbeit*",
        "wettbewerbsanalyse*", "konkurrenzanalyse*", "aushorchen", "datenhaendler*", "leadverkaeufer*",
        "listbroker*", "adresshaendler*",
        "!solicitor*",
    ),
    "no_request": (
        "angefragt", "anfrag*", "request*", "formular*", "form", "forms", "download*", "heruntergeladen",
        "registr*", "sign-up", "signup", "einwillig*", "consent*", "opt-in", "optin", "opt-out", "optout",
        "abgemeldet", "unsubscrib*", "gewinnspiel*", "giveaway", "sweepstake*", "visitenkarte*", "kaertchen",
        "card", "*anfrage*", "*formular*", "herunterlad*", "runtergeladen", "runterlad*", "anmeld*", "subscrib*",
        "abonn*", "abmeld*", "austrag*", "*einwillig*", "widerspruch*", "widersprech*", "loesch*", "delete*",
        "deletion", "remove", "removal", "dnc", "robinson*", "sperrliste*", "sperrvermerk*", "blacklist*",
        "blocklist*", "werbesperre*", "werbewiderspruch*", "verlosung*", "raffle*", "preisausschreiben", "badge*",
        "gescannt", "accidental*", "unintentional*", "erinner*", "remember", "recall", "unaware", "newsletter*",
        "teilnehm*", "teilnahme*", "attend*", "participant*", "participat*", "webinar*", "messebesuch*",
        "messekontakt*", "leadscan*", "unangefragt*", "ungefragt*", "unrequested", "unverlangt*", "kaltkontakt*",
        "adressliste*", "leadliste*", "leadmagnet*", "auskunftsersuchen*", "datenauskunft*", "anfordern",
        "einsammel*", "scan", "scanner", "scannen",
        "inquir*", "enquir*",
        "!erinnerung*", "!registry",
    ),
    "known": (
        "kunde", "kunden", "*kunde", "customer*", "client*", "bestandskund*", "account*", "duplikat*", "dublette*",
        "same", "gleich", "derselbe", "selbe",
        "duplicat*", "dupe*", "doppelt*", "twice", "zweimal", "mehrfach*", "multiple", "pipeline", "opportunit*",
        "opp", "opps", "deal", "kollege*", "kollegin*", "colleague*", "rep", "assigned", "zugewiesen", "zugeordnet",
        "zustaendigkeit*", "crm", "datensatz*", "record*", "eintrag*", "entry", "entries", "lead", "leads",
        "tochter*", "subsidiar*", "affiliate*", "schwester*", "partner", "vertriebspartner*", "haendler*",
        "dealer*", "kundin", "kunden*", "stammkund*", "altkund*", "neukund*", "grosskund*", "dup", "dups", "dedup*",
        "identisch*", "identical", "oppty", "sql", "mql", "sal", "assign*", "zuweis*", "zuordn*", "zuteil*",
        "betreu*", "key-account*", "keyaccount*", "*haendler*", "channel*", "distributor*", "reseller*",
        "wiederverkaeuf*", "upsell*", "cross-sell*", "crosssell*", "merge", "zusammenfuehr*", "anlegen",
        "vertragskunde*", "partnerkunde*", "partnerbetreut*", "partnergebiet*", "gebietsverkaeufer*",
        "aussendienst*", "innendienst*", "*opportunit*", "*dublette*", "dublett*", "doppelerfassung*",
        "doppeleintrag*", "doppelanlage*", "kdnr", "konzernkunde*", "erfassen", "doppeln", "doppelung*",
        "doppelanfrage*",
        "coworker*",
        "!accountan*", "!recording*",
    ),
    "recent": (
        "kuerzlich", "neulich", "recently", "recent", "gestern", "yesterday", "vorgestern", "letzt*", "last", "ago",
        "vorhin", "bereits", "schon", "already", "juengst*", "unlaengst", "soeben", "gerade", "neu",
        "new", "newly", "heute", "today", "vergangen*", "vorig*", "vormonat*", "vorjahr*", "vorwoche*", "previous*",
        "lately", "meanwhile", "inzwischen", "mittlerweile", "zwischenzeitlich*", "seither", "zuletzt",
        "neuerdings", "frisch",
        "prior", "meantime",
    ),
    "stall": (
        "ueberleg*", "nachdenk*", "think*", "thought", "consider*", "sleep", "mull*", "vielleicht", "maybe",
        "perhaps", "unsicher*", "unsure", "undecided", "unentschlossen*", "zoeger*", "hesita*", "abwarten", "wait*",
        "mal", "sehen", "see", "offer", "angebot*", "offert*", "proposal*", "quote", "kostenvoranschlag*",
        "*angebot*", "quotation*", "estimate*", "kva", "eventuell*", "evtl", "vllt", "vlt", "moeglicherweise",
        "vermutlich", "wahrscheinlich", "possibly", "probably", "warten", "abwart*", "bedenk*", "concern*",
        "skeptisch*", "skeptical", "sceptical", "zweifel*", "doubt*", "unklar*", "unclear", "noncommittal",
        "hinhalt*", "vertroest*", "hinauszoeger*", "verzoeger*", "ponder*", "abwaeg*", "unentschieden", "pruef*",
        "zurueckmeld*", "ueberdenk*", "durchdenk*", "nachzudenk*", "ueberschlaf*", "reflect*", "zurueckhaltend*",
        "lauwarm*", "lukewarm", "halbherzig*", "objection*", "vorbehalt*", "reservation*", "ggf", "gegebenenfalls",
        "allenfalls", "nachverhandl*", "verhandl*", "negotiat*", "counteroffer*", "feilsch*", "warte", "einwand",
        "einwendung*", "weigh", "stall",
        "uncertain*", "reluctan*", "fence",
        "!considerab*",
    ),
    # not "meeting": "im Meeting", "in a meeting" say someone is busy, not where the note comes from
    "status": (
        "disqualif*", "reject*", "abgelehnt", "ablehn*", "lost", "verloren", "unqualif*", "qualif*", "closed*",
        "geschlossen", "schliessen", "siehe", "note*", "notiz*", "log", "telefonat*", "gespraech*", "termin*", "ok",
        "erledigt", "erledigen", "storniert", "cancel*", "nein", "no", "nope", "dead", "dq", "disq", "nq", "lose",
        "verlier*", "close", "storno*", "stornier*", "archiv*", "vermerk*", "kommentar*", "comment*", "protokoll*",
        "telco", "*gespraech*", "tbd", "sonstig*", "negativ*", "fertig", "finish", "result*", "ergebnis*",
        "outcome*", "grund", "reason*", "verlustgrund*", "absagegrund*", "rueckgabe*", "return*", "recycl*",
        "nofit", "keinfit", "ko", "kill", "drop", "verwerf*", "gecancelt", "abschreib*", "write-off", "abhaken",
        "ablegen", "zurueckgeben", "okay", "folgetermin*", "ersttermin*", "telefontermin*", "misc", "miscellaneous",
        "anmerkung*",
        "!reasonab*", "!notebook*",
        "!terminat*",
    ),
    "decline": (
        "absag*", "ablehn*", "lehnen", "refus*", "declin*", "verweiger*", "verzicht*", "abwink*", "abgewunken",
        "nein", "abbruch*", "abbrech*", "aufleg*", "hang", "abweis*", "zurueckweis*", "stop", "aufhoer*",
        "belaestig*", "annoy*", "irritat*", "angry", "veraerger*", "aergerlich*", "sauer", "unfreundlich*", "rude",
        "pampig*", "unhoeflich*", "hostile", "aggressiv*", "beschwer*", "complain*", "unerwuenscht", "unwanted",
        "unwelcome", "no-go", "nogo", "verbeten", "schroff*", "dismissive*", "kurzangebunden", "desinteressiert*",
        "unmissverstaendlich*", "abfuhr*", "abblitz*", "abservier*", "rausgeworfen", "rejection", "reject",
        "abgeneigt*", "nerven", "verbitten", "nervig*",
        "harass*", "unfriendl*", "upset",
    ),
    "delivery": (
        "lieferzeit*", "lieferfrist*", "liefertermin*", "lieferbar*", "unlieferbar*", "lieferfaehig*",
        "lieferengpass*", "lieferschwierigkeit*", "lieferverzug*", "lieferkapazitaet*", "liefern", "*lieferung*",
        "deliver*", "leadtime", "lead-time", "ship", "versand*", "sold-out", "stock", "lagerbestand*", "vorrat*",
        "backorder*", "produktionskapazitaet*", "machbar*", "umsetzbar*", "feasib*", "infeasib*", "realisierbar*",
        "durchfuehrbar*", "unmachbar*", "unrealistisch*", "unrealistic*", "wartezeit*", "implementierungszeit*",
        "umsetzungszeit*", "bearbeitungszeit*", "*vorlaufzeit*", "turnaround*", "kapazitaetsgrenze*",
        "auftragsbestand*", "produktionsengpass*", "fulfil*", "warteliste*", "waitlist*", "ausverkauf*",
        "shortage*", "lieferkette*",
    ),
    "terms": (
        "agb", "agbs", "t&c", "t&cs", "konditionen", "*bedingung*", "zahlungsziel*", "haftung*", "liability", "nda",
        "dpa", "avv", "klausel*", "clause*", "gewaehrleistung*", "garantie*", "warranty", "guarantee*",
        "rechtlich*", "lawyer*", "attorney*", "anwalt*", "anwaelt*", "policy", "*richtlinie*", "vorkasse",
        "anzahlung*", "prepayment*", "deposit*", "skonto", "zahlungsmodalitaet*", "vertragsklausel*",
        "vertragsentwurf*", "redline*", "vertragspruefung*", "rechtspruefung*", "juristisch*",
        "datenschutzvereinbarung*", "auftragsverarbeitung*", "sicherheitsanforderung*", "infosec",
        "lieferantenbewertung*", "lieferantenfreigabe*", "lieferantenaudit*", "kreditor*", "lieferantenanlage*",
        "zahlungsplan*", "net30", "gerichtsstand*", "exklusivitaet*", "exclusivity", "term", "verbot*", "verbieten",
        "forbid*", "prohibit*", "untersag*", "kondition", "rechtsanwalt*",
        "guideline*", "vorschrift*", "vorgabe*", "confidential*", "upfront", "solicitor*",
    ),
    "compare": (
        "vergleich*", "compar*", "benchmark*", "*gegenangebot*", "*vergleichsangebot*", "alternativangebot*",
        "konkurrenzangebot*", "wettbewerbsangebot*", "einhol*", "abwaeg*", "gegenueberstell*", "versus", "vs",
        "*preisvergleich*", "angebotsvergleich*", "check24", "idealo", "verivox", "auswahlverfahren*",
        "auswahlprozess*", "anbieterauswahl*", "anbietervergleich*", "marktvergleich*", "preisspiegel*",
        "undercut*", "unterbot*", "unterbiet*", "matchen", "pricematch",
        "counteroffer*",
    ),
    "eligible": (
        "eligib*", "ineligib*", "anspruch*", "teilnahmeberecht*", "foerderfaehig*", "foerderberecht*", "zulass*",
        "exclud*", "exclusion*", "*ausschluss*", "minderjaehrig*", "volljaehrig*", "underage", "alter",
        "altersgrenze*", "antragsberecht*", "antragsteller*", "entitle*", "*berechtigung*", "zugangsvoraussetzung*",
        "mindestalter*", "staatsangehoerig*", "citizenship*", "aufenthalts*", "residency", "visum*",
        "arbeitserlaubnis*", "genehmigungspflicht*", "lizenzpflicht*", "konzession*", "ausschliessen",
        "berechtigen", "rechtsanspruch*", "leistungsanspruch*", "foerderanspruch*",
        "age",
    ),
}


def _compile():
    """Patterns indexed for look-up: exact words, prefixes and infixes, each by their text."""
    exact: dict[str, list[str]] = {}
    prefixes: dict[str, list[str]] = {}
    infixes: dict[str, list[str]] = {}
    for concept, patterns in CONCEPTS.items():
        for pattern in patterns:
            if pattern.startswith("!"):
                continue
            if pattern.startswith("*") and pattern.endswith("*"):
                infixes.setdefault(pattern.strip("*"), []).append(concept)
            elif pattern.endswith("*"):
                prefixes.setdefault(pattern[:-1], []).append(concept)
            else:
                exact.setdefault(pattern, []).append(concept)
    return exact, prefixes, sorted({len(p) for p in prefixes}), infixes, sorted({len(p) for p in infixes})


_EXACT, _PREFIXES, _PREFIX_LENGTHS, _INFIXES, _INFIX_LENGTHS = _compile()
_FALSE_FRIENDS = {
    concept: tuple(p[1:] for p in patterns if p.startswith("!")) for concept, patterns in CONCEPTS.items()
}


def _false_friend(lemma: str, concept: str) -> bool:
    """Whether ``lemma`` is listed as ``!word`` or ``!stem*`` under ``concept``: matched, yet another idea."""
    return any(lemma.startswith(p[:-1]) if p.endswith("*") else lemma == p for p in _FALSE_FRIENDS[concept])

KIN = frozenset("frau mann partnerin sohn vater bruder son father dad brother mother mum mom".split())
"""Words that are family only when they are someone's: "meine Frau", "my father" are; "die Frau am
Telefon", "junger Mann", "der Name des Mannes" are anybody. Their ``spouse`` concept needs one of
:data:`POSSESSIVES` in the two words before them."""

POSSESSIVES = frozenset("mein unser dein euer sein ihr my our his her their your".split())
"""Possessives as lemmas (:data:`classifier.lemmas.POSSESSIVE_LEMMAS` gives every German form its own)."""

PARTNERS = frozenset(("partner",))
"""Words that name a person close to the buyer after a singular owner ("mein Partner", "my
partner", "his partner": someone who decides with them, a ``spouse``) and a business partner
otherwise ("unser Partner", "partner territory": a ``known`` account)."""

SINGULAR_OWNERS = frozenset("mein dein my his her".split())  # not "sein": it is also the verb ("ist Partner")
OWNED = KIN | PARTNERS


def owned_concepts(tokens: list[str], i: int) -> tuple[str, ...] | None:
    """The concepts of ``tokens[i]`` where the words before it decide them, else ``None``.

    A :data:`KIN` word without a possessive in the two words before it has none; a word of
    :data:`PARTNERS` after a singular owner is ``spouse``.

    >>> owned_concepts(["der", "mann", "am", "telefon"], 1), owned_concepts(["mein", "frau"], 1)
    ((), None)
    >>> owned_concepts(["mit", "mein", "partner"], 2), owned_concepts(["unser", "partner"], 1)
    (('spouse',), None)
    """
    token, before = tokens[i], tokens[max(0, i - 2) : i]
    if token in KIN:
        return () if POSSESSIVES.isdisjoint(before) else None
    if token in PARTNERS and not SINGULAR_OWNERS.isdisjoint(before):
        return ("spouse",)
    return None


@lru_cache(maxsize=50_000)
def word_concepts(lemma: str) -> tuple[str, ...]:
    """The concepts a folded lower-case lemma belongs to.

    >>> word_concepts("budgetfreigabe")
    ('decide', 'money')
    >>> word_concepts("dienstleister")
    ('supplier',)
    """
    found = set(_EXACT.get(lemma, ()))
    n = len(lemma)
    for k in _PREFIX_LENGTHS:
        if k > n:
            break
        found.update(_PREFIXES.get(lemma[:k], ()))
    if n > 6:
        for k in _INFIX_LENGTHS:
            if k > n:
                break
            for i in range(n - k + 1):
                found.update(_INFIXES.get(lemma[i : i + k], ()))
    return tuple(sorted(c for c in found if not _false_friend(lemma, c)))


def concept_tokens(tokens: list[str], scope: int = 3) -> list[str]:
    """``cue_about_<concept>`` tokens for the lemmas of a note, ``cue_negated_<concept>`` under a negation.

    A :data:`KIN` word counts only when it is someone's, a partner may be one (:func:`owned_concepts`).

    >>> concept_tokens(["kein", "budget", "beim", "lieferant"])
    ['cue_about_money', 'cue_about_supplier', 'cue_negated_money', 'cue_negated_supplier']
    """
    return sorted(concept_words(tokens, scope))


def concept_words(tokens: list[str], scope: int = 3) -> dict[str, list[str]]:
    """Each concept token of :func:`concept_tokens` with the words of the note that fired it, in order.

    >>> concept_words(["kein", "budget", "beim", "lieferant"])["cue_about_money"]
    ['budget']
    """
    found: dict[str, list[str]] = {}
    last_negation = -scope - 1
    for i, token in enumerate(tokens):
        if token in NEGATIONS:
            last_negation = i
            continue
        owned = owned_concepts(tokens, i) if token in OWNED else None
        for concept in word_concepts(token) if owned is None else owned:
            names = [f"cue_about_{concept}"] + ([f"cue_negated_{concept}"] if i - last_negation <= scope else [])
            for name in names:
                words = found.setdefault(name, [])
                if token not in words:
                    words.append(token)
    return found


def content_tokens(tokens: list[str]) -> list[str]:
    """The tokens without :data:`FUNCTION_WORDS` (negations always stay).

    >>> content_tokens(["ich", "sein", "nicht", "der", "entscheider"])
    ['nicht', 'entscheider']
    """
    return [t for t in tokens if t not in FUNCTION_WORDS]
