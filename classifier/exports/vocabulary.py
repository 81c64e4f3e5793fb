"""The words that export reading matches against, in English and German: one place to extend.

Header synonyms per column role (with weights), words that rule a header out, name endings,
lead-source values, status values that mean a rejection or not, converted-column names and
false-like values. Headers and values are compared after :func:`normalize_header` and
:func:`norm_value` (case, umlauts, punctuation, CRM prefixes folded).
"""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_PREFIX = re.compile(r"^(?:deal|lead|organi[sz]ation|person|activity|note|product|contact)\s+-\s+", re.I)
def normalize_header(label: object) -> str:
    """Normalise a header label for matching: prefixes dropped, camelCase split, case and umlauts folded."""
    text = unicodedata.normalize("NFKC", str(label)).replace("\ufeff", "").strip().strip("\"'").strip()
    text = re.sub(r"^\(do not modify\)\s*", "", text, flags=re.I)
    text = _PREFIX.sub("", text)
    text = re.sub(r"^(?:lead|contact|opportunity|account|deal)\s*:\s*", "", text, flags=re.I)
    text = re.sub(r"__c$", "", text, flags=re.I)
    text = re.sub(r"(?<=[a-zäöü0-9])(?=[A-ZÄÖÜ])|(?<=[A-ZÄÖÜ])(?=[A-ZÄÖÜ][a-zäöü])", " ", text)
    text = re.sub(r"[-_./:()\[\]#*]+", " ", text).casefold().translate(_FOLD)
    return " ".join(text.split())


def norm_value(value: str) -> str:
    """Fold a cell value for vocabulary look-ups: case, umlauts, punctuation."""
    return " ".join(re.sub(r"[\W_]+", " ", str(value).casefold().translate(_FOLD)).split())


# role -> "weight: synonym, synonym; weight: ..." (normalised form; German folded ä->ae, ß->ss)
SYNONYM_SPECS = {
    "note": """
        1.0: reason, rejection reason, disqualification reason, disqualified reason, unqualified reason,
             lost reason, loss reason, reason for loss, reason lost, reason for disqualification,
             hs lead disqualification reason, ablehnungsgrund, absagegrund, disqualifizierungsgrund,
             disqualifikationsgrund, verlustgrund, grund der ablehnung, grund, begruendung;
        0.75: note, notes, note body, content, comment, comments, description, hs note body, notiz, notizen,
             kommentar, kommentare, bemerkung, bemerkungen, anmerkung, anmerkungen, beschreibung, inhalt;
        0.6: details, text, summary, feedback, remarks, freitext, info, hinweis""",
    "id": """
        1.0: id, record id, hs object id, object id, datensatz id, record;
        0.95: lead id, contact id, deal id, opportunity id, leadid, contactid, opportunityid, lead nr,
             kontakt id, nr, nummer, zcrm id;
        0.6: key, external id, crm id""",
    "date": """
        1.0: rejected on, rejection date, disqualified on, disqualified date, lost time, lost date, date lost,
             closed on, close date, closedate, deal closed on, date entered disqualified, abgelehnt am,
             ablehnungsdatum, disqualifiziert am, verloren am, verlustdatum, abschlussdatum, schlusstermin;
        0.9: hs timestamp, add time, datum, date, timestamp;
        0.7: modified, last modified, last modified date, lastmodifieddate, hs lastmodifieddate, modified on,
             modifiedon, modified time, updated, updated at, last updated, geaendert am, aenderungsdatum,
             zuletzt geaendert, letzte aktivitaet, last activity, last activity date;
        0.6: created, create date, createdate, created date, created on, createdon, created time, created at,
             erstellt am, erstelldatum, erstellungsdatum, erstellungszeit""",
    "owner": """
        1.0: owner, lead owner, contact owner, deal owner, opportunity owner, record owner, sales rep, rep,
             assigned to, assigned user, user, sdr, bdr, account executive, hubspot owner id, owner id, ownerid,
             owneridname, owner name, besitzer, inhaber, lead inhaber, leadinhaber, kontaktinhaber,
             opportunity inhaber, verkaufschance inhaber, verantwortlich, verantwortlicher, zustaendig,
             bearbeiter, vertriebsmitarbeiter, vertriebler, berater, zugewiesen an;
        0.5: created by, creator, erstellt von""",
    "source": """
        1.0: lead source, leadsource, leadsourcecode, source, original source, latest source, source channel,
             source origin, channel, campaign, campaign name, source campaign, primary campaign source,
             utm source, utm campaign, hs analytics source, hs lead source, lead quelle, leadquelle, quelle,
             herkunft, kanal, kampagne, kampagnenname, ursprungskampagne, akquisekanal;
        0.6: origin, medium, utm medium""",
    "status": """
        1.0: status reason, statusreason, statusgrund, statuscode, statuscodename, lead status, leadstatus,
             hs lead status, deal status;
        0.95: status, stage, lead stage, stage name, disposition, hs pipeline stage, statecode, statecodename,
             phase, verkaufsphase;
        0.6: outcome, result, ergebnis, lifecycle stage, lifecyclestage, lebenszyklusphase""",
}
NEGATIVE_SPECS = {
    "note": "email, e mail, title, subject, company, name, betreff, firma, status, source, date, id, owner",
    "id": "owner id, account id, company id, campaign id, parent id, person id, organization id, user id, "
    "org id, owner, account, campaign, parent",
    "date": "birth date, expected close date, next activity date, due date, faelligkeitsdatum, birthday, "
    "modified by, created by, geaendert von, erstellt von, expected, next, converted, konvertiert, "
    "konvertierungsdatum",
    "owner": "last modified by, modified by, geaendert von, manager, owner email",
    "source": "data source, import source",
    "status": "rating, bewertung, campaign, email",
}
SUFFIXES = {
    "note": ("grund", "notiz", "kommentar", "beschreibung", "bemerkung", "reason", "notes", "note"),
    "date": ("datum", "date", "zeitpunkt"),
    "owner": ("inhaber", "besitzer", "owner"),
    "source": ("quelle", "source"),
    "status": ("status",),
}
SOURCE_VALUES = """web, website, web form, webformular, trade show, messe, event, referral, empfehlung, partner,
    paid search, organic search, cold call, kaltakquise, linkedin, webinar, purchased list, email, e mail,
    phone inquiry, advertisement, anzeige, direct traffic, social media, offline sources, other, sonstige,
    newsletter, google, google ads, adwords, seminar, conference, konferenz, inbound, outbound, website form"""
REJECTION_WORDS = """unqualified, disqualified, closed not converted, not converted, lost, closed lost, deal lost,
    junk lead, junk, not qualified, bad timing, cannot contact, can t contact, unable to contact, bad fit,
    no longer interested, not interested, rejected, declined, canceled, cancelled, closed disqualified,
    verloren, disqualifiziert, nicht qualifiziert, unqualifiziert, abgelehnt, kein interesse, abgesagt,
    geschlossen nicht konvertiert, nicht konvertiert, storniert, nicht erreichbar, verloren gegangen"""
OTHER_WORDS = """open, new, working, contacted, attempted to contact, in progress, connected, open deal, converted,
    qualified, closed converted, won, closed won, deal won, sales qualified lead, marketing qualified lead, sql,
    mql, nurturing, open not contacted, working contacted, gewonnen, offen, neu, in bearbeitung, qualifiziert,
    konvertiert, kontaktiert, geschlossen konvertiert, abgeschlossen gewonnen, in arbeit, aktiv, active"""
REJECTION_STATUSES = frozenset(norm_value(v) for v in REJECTION_WORDS.split(","))
OTHER_STATUSES = frozenset(norm_value(v) for v in OTHER_WORDS.split(","))
STATUS_VOCAB = REJECTION_STATUSES | OTHER_STATUSES
CONVERTED_HEADERS = {"converted date", "converted on", "date converted", "is converted", "converted",
              "konvertiert am", "konvertierungsdatum", "konvertiert"}
FALSE_VALUES = {"", "false", "0", "no", "nein", "falsch", "n"}


