"""Curated cue phrases (German and English) matched by spaCy's PhraseMatcher.

A match adds one extra token (``cue_<name>``) to the note's model input. The cues are hints,
not rules: the linear model learns from data how much each one counts, next to the words.
Phrases are written naturally; they go through the same normalisation as notes.
"""

CUES: dict[str, list[str]] = {
    "authority": [
        "nicht der Entscheider", "nicht Entscheider", "kein Entscheider", "nicht der Entscheidungsträger",
        "kein Entscheidungsträger", "Chef entscheidet", "Geschäftsführer entscheidet", "muss intern abstimmen",
        "entscheidet die Zentrale", "Konzern entscheidet", "Einkauf entscheidet", "nicht zuständig",
        "kein DM", "nicht DM", "not the decision maker", "not a decision maker", "not DM", "no authority",
        "boss decides", "needs approval", "decision is made by", "HQ decides", "not the right person",
        "referred me to", "verwiesen an", "can't sign", "cannot sign",
    ],
    "money": [
        "kein Budget", "keine Budget", "Budget gestrichen", "Budget eingefroren", "zu teuer", "kein Geld",
        "no budget", "budget frozen", "budget cut", "too expensive", "can't afford", "cannot afford",
        "price too high", "Preis zu hoch", "Budget aufgebraucht", "budget spent",
    ],
    "not_money": [
        "kein Budgetproblem", "nicht am Budget", "Budget ist nicht das Problem", "nicht das Budget",
        "not a budget problem", "not about budget", "budget is not the issue", "budget is not the problem",
    ],
    "early": [
        "nur informieren", "nur Informationen", "Informationen sammeln", "Marktüberblick", "Überblick verschaffen",
        "frühe Phase", "sehr früh", "kein konkretes Projekt", "noch kein Projekt", "erst am Anfang",
        "just looking", "only looking", "collecting information", "gathering info", "early stage", "very early",
        "no concrete project", "no project yet", "just researching", "market overview",
    ],
    "later": [
        "später nochmal", "zurückrufen", "nicht jetzt", "derzeit nicht", "andere Prioritäten", "verschoben",
        "Vertrag läuft bis", "nach der Umstrukturierung", "call back", "not now", "not right now",
        "other priorities", "postponed", "contract runs until", "reach out again", "follow up in",
    ],
    "no_contact": [
        "nicht erreicht", "nicht erreichbar", "keine Rückmeldung", "keine Antwort", "Mailbox", "Anrufbeantworter",
        "geht nicht ran", "no answer", "no response", "no reply", "voicemail", "ghosted", "not reachable",
        "never picks up", "did not respond",
    ],
    "no_need": [
        "kein Bedarf", "keinen Bedarf", "kein Interesse", "no need", "not interested", "no interest",
        "no use case", "kein Use Case", "sehen keinen Mehrwert", "don't see the value",
    ],
    "has_tool": [
        "nutzen bereits", "haben bereits", "im Einsatz", "Eigenentwicklung", "bestehende Lösung", "gerade verlängert",
        "already using", "already use", "in-house", "existing solution", "just renewed", "signed with",
        "went with", "happy with their current",
    ],
    "profile": [
        "zu klein", "zu groß", "Privatperson", "privat", "B2C", "falsche Branche", "nicht unsere Zielgruppe",
        "too small", "too big", "private person", "wrong industry", "outside our ICP", "not our target",
    ],
    "junk": [
        "Fake", "Spam", "Student", "Studentin", "Bewerber", "Bewerbung", "Wettbewerber", "Mitbewerber",
        "Nummer existiert nicht", "nicht mehr im Unternehmen", "nicht mehr bei", "unzustellbar", "bounced",
        "fake", "spam", "student", "job seeker", "applicant", "competitor", "number does not exist",
        "no longer with", "left the company", "invalid email", "wrong number",
    ],
    "known": [
        "Duplikat", "Dublette", "doppelt", "Bestandskunde", "bereits Kunde", "schon Kunde", "offene Opportunity",
        "duplicate", "existing customer", "already a customer", "already customer", "open opportunity",
        "already in pipeline",
    ],
}
