"""Words around the reason that name none: frames, contacts, verdicts, greetings, sign-offs, signatures, stamps, emoji.

A note reaches the model as its reason alone. "Lead rejected, reason: kein Budget. Danke & Gruß
(JK 14.03.)" and "kein Budget" are the same note to it: such words occur under every reason, yet
the corpus's ``other`` notes are often nothing else, so they pulled weakly worded notes towards
``other`` (README, "Frames before the reason"). Every function is a pure ``str -> str`` on a
masked note (:func:`classifier.normalize.mask`), cheap on notes without such words; a note that
is nothing but such words stays as it is.
"""

from __future__ import annotations

import re

from classifier.lexicon import word_concepts
from classifier.normalize import fold

# Words of a frame that CRMs, workflows and reps put before the reason ("Lead rejected, reason:",
# "Ablehnungsgrund:", "Kunde sagt:"): they name the kind of field or who spoke, never the reason.
_FRAME_WORDS = frozenset("""
    lead leads mql sql sal opp opportunity deal rejected rejection reject declined disqualified disqualification dq
    lost closed unqualified reason reasons why for of the note notes comment comments remark remarks info infos
    detail details feedback sales sdr bdr status update summary description outcome result other misc
    abgelehnt ablehnung ablehnungsgrund absage absagegrund abgesagt disqualifiziert disqualifizierung verloren
    verlustgrund grund gründe gruende begründung begruendung warum kommentar kommentare notiz notizen anmerkung
    anmerkungen bemerkung bemerkungen rückmeldung rueckmeldung vertrieb vertriebs ergebnis zusammenfassung
    beschreibung sonstiges sonstige andere des der vom von zum für fuer xxperson""".split())
# Who spoke, only together with that they spoke: "customer" alone can be the reason (an existing customer).
_SPEAKERS = "customer client prospect buyer contact kunde kundin interessent interessentin ansprechpartner ansprechpartnerin".split()
_SPOKE = ("said says wrote writes replied answered quote feedback response reply sagt sagte meint meinte schreibt schrieb "
          "antwortet antwort zitat aussage").split()
_SPEAKER_WORDS = ["kundenfeedback", "kundenaussage", "kundenantwort", "kundenzitat", "kundenrückmeldung", "kundenrueckmeldung"]


def _either(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_FRAME_UNIT = (
    rf"(?:(?:{_either(_SPEAKERS)})\s+(?:{_either(_SPOKE)})|(?:lt\.?|laut)\s+(?:{_either(_SPEAKERS)})|"
    rf"nicht\s+qualifiziert|not\s+qualified|{_either(_SPEAKER_WORDS)}|{_either(_FRAME_WORDS)})\b"
)
# An optional stamp (date placeholder, initials) stays; the frame after it goes, up to ':' or a dash
# ("Lead rejected, reason:") or up to a "because" ("Rejected by sales because", "abgelehnt, weil").
_STAMP = r"(?P<stamp>(?:xx(?:date|week|quarter|year|number)\b\s*[/,:-]?\s*)?(?:[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{0,2}\s*[-:/]\s+)?)"
_FRAME = re.compile(
    rf"{_STAMP}{_FRAME_UNIT}(?:[\s,/&.()]+{_FRAME_UNIT}){{0,5}}"
    r"(?:\s*(?::|\s[-–—>|]+)\s*|(?:\s+by\s+[\w-]+)?\s*,?\s+(?:because|since|as|due\s+to|weil|da|denn|wegen)\s+)(?=\S)",
    re.I,
)
_PUNCT = ":,-.;!?()\"'/|>–—„“”‚‘’"  # stripped off a word before it is looked up
# A frame has one of these among the first four words of a note (after a stamp such as "xxdate KE -"):
# looking that up first (:func:`_first_words`) keeps the cost on notes without a frame near a microsecond.
_FIRST_WORDS = _FRAME_WORDS | set(_SPEAKERS) | set(_SPEAKER_WORDS) | {"lt", "laut", "nicht", "not"}

# A verdict after the reason ("no budget - rejected", "#reject", "(closed lost)") names no reason either.
_VERDICTS = frozenset("rejected rejection reject declined disqualified dq lost closed unqualified abgelehnt ablehnung abgesagt "
                      "disqualifiziert verloren".split())
_VERDICT_COMPANIONS = _VERDICTS | {"lead", "leads", "mql", "sql", "status", "sales", "vertrieb", "by", "vom", "von"}
_TRAILING_FRAME = re.compile(r"(?:\s*[-–—/,;|(]|\s(?=#))[\s#]*((?:[\w]+[\s/-]*){1,4}?)\)?[.!]*\s*$")

# What may follow a frame without being a reason of its own: "Feedback: none" means no answer.
_NO_ANSWER = re.compile(r"[\W_]*(?:(?:none|no|nothing|nil|nope|keine?s?|nichts|nix|n/?a|tbd|unknown|unbekannt)[\W_]*)?", re.I)


def _first_words(text: str) -> list[str]:
    """The first four words of ``text``, lower-cased, without punctuation: a rule's regex runs only when
    one of them is among the words it can start with (a cheap gate)."""
    return [word.strip(_PUNCT) for word in text[:60].lower().split(None, 4)[:4]]


def _strip_verdict(text: str) -> str:
    """``text`` without a verdict after the reason, unless the verdict is all there is."""
    last = text[-30:].rsplit(None, 1)[-1:] if text else []
    if not last or last[0].strip(_PUNCT + "#").lower().rpartition("-")[2].rpartition("/")[2] not in _VERDICTS:
        return text
    match = _TRAILING_FRAME.search(text, max(0, len(text) - 50))
    if match is None:
        return text
    words = re.split(r"[\s/-]+", match[1].strip(" /-").lower())
    if not all(word in _VERDICT_COMPANIONS for word in words) or not any(ch.isalnum() for ch in text[: match.start()]):
        return text
    return text[: match.start()].rstrip()


def strip_frame(text: str) -> str:
    """Drop a leading frame such as "Lead rejected, reason:" or "Kunde sagt:", and a closing verdict such as "#reject".

    A frame names the field or who spoke, not the reason, and notes come with and without
    one; without this step "Reject reason: no budget" is read as a non-reason. A stamp before
    the frame stays. A note that is only a frame ("Lead rejected"), or a frame answered by
    "none" ("Feedback: none", which says something), is left as it is; so is a verdict with
    other words after the separator ("Competitor - lost deal").

    >>> strip_frame("Lead rejected, reason: kein Budget")
    'kein Budget'
    >>> strip_frame("Vom Vertrieb abgelehnt, weil kein Budget")
    'kein Budget'
    >>> [strip_frame(t) for t in ["no budget #reject", "kein Bedarf - Lead abgelehnt", "went with a competitor (closed lost)"]]
    ['no budget', 'kein Bedarf', 'went with a competitor']
    >>> strip_frame("xxdate KE - Kunde sagt: \\"wir haben schon einen Anbieter\\"")
    'xxdate KE - "wir haben schon einen Anbieter"'
    >>> [strip_frame(t) for t in ["Lead rejected", "Reason: -", "Feedback: none", "Status: customer - existing account"]]
    ['Lead rejected', 'Reason: -', 'Feedback: none', 'customer - existing account']
    """
    text = _strip_verdict(text)
    return _strip_leading_frame(text, _first_words(text))


def _strip_leading_frame(text: str, first: list[str]) -> str:
    if _FIRST_WORDS.isdisjoint(first):
        return text
    for _ in range(3):  # "Lead rejected - Reason: ..." is two frames
        match = _FRAME.match(text)
        if match is None or _NO_ANSWER.fullmatch(text[match.end():]):
            return text
        text = match["stamp"] + text[match.end():]
    return text


# Who was spoken to and when, before the reason: "Spoke to Anna Brandt on xxdate,", "Telefonat mit xxperson am
# xxdate:", "xxperson meinte gestern,". Names (``xxperson``, a capitalised word) and dates name no reason.
_CONTACTED = ("spoke speaking talked talking chatted met meeting call called calling phone phoned rang emailed e-mailed conversation "
              "convo discussion discussed telefonat telefoniert tel tel. telko gespräch gespraech gesprochen anruf angerufen termin "
              "rücksprache ruecksprache erstgespräch erstgespraech").split()
# Not _SPOKE: after a pronoun, "answered" or "replied" is news ("She answered, said ..." : someone picked up).
_SPEAKING = ("said says mentioned wrote explained told meinte meint sagte sagt erzählte erzaehlte erklärte erklaerte "
             "schrieb schreibt").split()
_PRONOUNS = "xxperson he she they er sie".split()
_WHO_WORD = (r"(?:xxperson|(?-i:[A-ZÄÖÜ])[\w.'-]*|the|their|his|her|him|them|our|a|an|contact|prospect|dem|der|den|die|ihm|ihr|ihnen|"
             r"einem|einer|and|und|&)")
_WHEN = (r"(?:\s*,?\s*\(?\s*(?:on|am|vom|at|um)?\s*(?:xxdate|xxweek|today|yesterday|this\s+morning|heute(?:\s+(?:früh|morgen))?|"
         r"gestern|vorhin)\s*\)?)?")
_CONTACT = re.compile(
    rf"{_STAMP}(?:(?:{_either(_CONTACTED)})(?:\s+(?:phone\s+)?call)?(?:\s+(?:to|with|w/|mit|m\.|bei))?(?P<who>(?:\s+{_WHO_WORD}){{0,4}}?)"
    rf"|mit(?P<who2>(?:\s+{_WHO_WORD}){{1,4}}?)\s+(?:telefoniert|gesprochen)"
    rf"|(?:{_either(_PRONOUNS)}){_WHEN}\s+(?:{_either(_SPEAKING)})(?:\s+me)?"
    rf"|(?:according\s+to|as\s+per|per|laut|lt\.?)(?P<who3>(?:\s+{_WHO_WORD}){{1,4}}?))"
    rf"{_WHEN}(?:\s*(?:[:,;]|\.(?=\s)|\s[-–—]+)|\s+(?:that|dass)\b)\s*(?=\S)",
    re.I,
)
_CONTACT_FIRST = frozenset(_CONTACTED) | set(_PRONOUNS) | {"mit", "according", "as", "per", "laut", "lt"}


def strip_contact(text: str) -> str:
    """Drop who was spoken to and when, before the reason: "Spoke to Anna Brandt on xxdate, no budget".

    Only names, pronouns, titles and dates may stand between the verb and the separator: a word
    of the concept lexicon there is part of the reason ("Telefonat mit Azubi, ..." stays).

    >>> strip_contact("Spoke to Anna Brandt on xxdate , we use another vendor")
    'we use another vendor'
    >>> strip_contact("xxperson meinte am xxdate , kein Bedarf")
    'kein Bedarf'
    >>> [strip_contact(t) for t in ["Called Mr Ng, no answer", "Call back in xxquarter", "Telefonat mit Azubi, Chef entscheidet"]]
    ['no answer', 'Call back in xxquarter', 'Telefonat mit Azubi, Chef entscheidet']
    """
    return _strip_contact(text, _first_words(text))


def _strip_contact(text: str, first: list[str]) -> str:
    if _CONTACT_FIRST.isdisjoint(first):
        return text
    match = _CONTACT.match(text)
    if match is None or _NO_ANSWER.fullmatch(text[match.end():]):
        return text
    who = (match["who"] or match["who2"] or match["who3"] or "").split()
    if any(word_concepts(fold(word.strip(_PUNCT).lower())) for word in who if word != "xxperson"):
        return text
    return match["stamp"] + text[match.end():]


# E-mail and CRM boilerplate around the reason. Greetings open a note; sign-offs, signatures and a
# stamp of initials and date close it. A sign-off after "no" or "nein" stays: "no thanks" is an answer.
_GREETING = re.compile(
    r"(?:hi|hello|hey|dear|hallo|liebe[rs]?|guten\s+(?:tag|morgen|abend)|moin|servus|sehr\s+geehrte[rs]?)\b"
    r"(?:\s+[\w.-]+){0,4}?\s*[,:!]\s*(?=\S)",
    re.I,
)
_SIGN_OFF = re.compile(
    r"(?:(?<=[,.;!?])|\s*(?:[,.;!?]|\s[-–—]+)|(?<![Nn]o)(?<![Nn]ein)\s)\s*(?:--\s*)?"
    r"(?:with\s+)?(?:(?:many\s+)?thanks?(?:\s+you)?(?:\s+again)?|thx|cheers|best(?:\s+regards)?|kind\s+regards|(?:warm\s+)?regards|br|"
    r"danke(?:\s+sch(?:ö|oe)n)?|vielen\s+dank|(?:viele|beste|liebe|freundliche)\s+gr(?:ü|ue)(?:ß|ss)e|mit\s+freundlichen\s+gr(?:ü|ue)(?:ß|ss)en|gru(?:ß|ss)|gr(?:ü|ue)(?:ß|ss)e|vg|lg|mfg)"
    r"(?:\s*(?:&|\+|and|und)\s*(?:gru(?:ß|ss)|gr(?:ü|ue)(?:ß|ss)e|regards|best))?[\s,.!]*(?:[A-ZÄÖÜ][\wäöüß.-]*(?:\s+[A-ZÄÖÜ][\wäöüß.-]*)?\s*)?$",
    re.I,
)
# The words the two patterns above can end (sign-off) or start (greeting) with: a cheap look-up decides
# whether a pattern runs at all, so a word added to a pattern must be added here too (tests/test_asides.py).
_GREETING_WORDS = {"hi", "hello", "hey", "dear", "hallo", "liebe", "lieber", "liebes", "guten", "moin", "servus", "sehr"}
_SIGN_OFF_WORDS = {"thanks", "thank", "you", "again", "thx", "cheers", "best", "regards", "br", "danke", "schön", "schoen", "dank",
                   "grüße", "gruesse", "grüsse", "gruß", "gruss", "grüßen", "gruessen", "vg", "lg", "mfg"}
_SIGNATURE = re.compile(r"\s*(?:--\s+)?(?:sent\s+from\s+my|gesendet\s+von\s+meinem|von\s+meinem\s+\w+\s+gesendet)\b.*$", re.I)
# A date, with or without initials, or a titled name (:func:`classifier.normalize.mask`), with or without a date.
_STAMP_BODY = r"(?:(?:(?-i:[A-Z]{2,3})\s*[,/]?\s*)?xxdate(?:\s*[,/]?\s*(?-i:[A-Z]{2,3}))?|xxperson(?:\s*[,/]?\s*xxdate)?)"
# A contact or "as of" may name the date: "(call xxdate)", ", Stand xxdate".
_STAMP_WORDS = rf"(?:(?:{_either(_CONTACTED)}|as\s+of|stand(?:\s+vom)?|updated|aktualisiert)\s*:?\s*)?"
_BRACKET_STAMP = re.compile(rf"\(\s*{_STAMP_WORDS}{_STAMP_BODY}\s*\)\s*$", re.I)  # not "(FD)" alone: initials may be a role
_DASH_STAMP = re.compile(rf"[-–—/,]+\s*{_STAMP_WORDS}{_STAMP_BODY}\s*$", re.I)


def strip_boilerplate(text: str) -> str:
    """Drop a greeting, a sign-off, a mail signature and a closing stamp of initials and date.

    They name no reason, yet a note weakly worded otherwise ("Business is down. (JK 14.03.)")
    was read as a non-reason because of them. A note that is nothing else stays as it is.

    >>> strip_boilerplate("Hi team, no budget this year. Thanks, Anna")
    'no budget this year'
    >>> strip_boilerplate("Business is down. (JK xxdate )")
    'Business is down.'
    >>> [strip_boilerplate(t) for t in ["Thanks but no thanks", "Nein danke", "Danke", "nicht DM", "Decision with HQ (FD)"]]
    ['Thanks but no thanks', 'Nein danke', 'Danke', 'nicht DM', 'Decision with HQ (FD)']
    """
    if not text:
        return text
    rest = text
    if text[0] in "hHdDlLgGmMsS" and text[:12].split(None, 1)[0].strip(_PUNCT).lower() in _GREETING_WORDS:
        if greeting := _GREETING.match(rest):
            rest = rest[greeting.end():]
    if "sent from" in (tail := rest[-60:].lower()) or "gesendet" in tail:
        rest = _SIGNATURE.sub("", rest)
    for _ in range(2):  # "Danke, Anna (JK xxdate)": a stamp after a sign-off, or the other way round
        before = rest
        if rest[-1:] == ")":  # a stamp in brackets names a date or a person
            opening = max(0, rest.rfind("("))
            stamp = _BRACKET_STAMP.match(rest, opening) if "xxdate" in rest[opening:] or "xxperson" in rest[opening:] else None
        elif rest[-1:].isupper() or rest.endswith(("xxdate", "xxperson")):
            stamp = _DASH_STAMP.search(rest, max(0, len(rest) - 30))
        else:
            stamp = None
        if stamp:
            rest = rest[: stamp.start()].rstrip()
        if not _SIGN_OFF_WORDS.isdisjoint([word.strip(_PUNCT) for word in rest.lower().rsplit(None, 3)[-3:]]):
            if sign_off := _SIGN_OFF.search(rest, max(0, len(rest) - 80)):
                rest = rest[: sign_off.start()]
        if rest == before:
            break
    return rest if any(ch.isalnum() for ch in rest) else text


# Emoji and pictographs (with their joiners, variation selectors and skin tones): a mood, not a reason.
_PICTOGRAPHS = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u200D\uFE0F]+")


def drop_pictographs(text: str) -> str:
    """Drop emoji and pictographs, unless the note is nothing else.

    "no budget 🤦‍♂️" and "no budget" are the same note; the corpus has a few emoji under every
    reason, and one after every real phrase changed 3-11% of the answers.

    >>> [drop_pictographs(t) for t in ["kein Bedarf 🙄", "❌ no budget ✅", "👎", "Müller, kein Bedarf"]]
    ['kein Bedarf', 'no budget', '👎', 'Müller, kein Bedarf']
    """
    if text.isascii() or not _PICTOGRAPHS.search(text):
        return text
    rest = " ".join(_PICTOGRAPHS.sub(" ", text).split())
    return rest if any(ch.isalnum() for ch in rest) else text


_CAPS_CONTRACTION = re.compile(r"\b[A-Z]+'[A-Z]{1,2}\b")


# Who was spoken to and when, as a clause of its own around the reason, worded as the rules above do not
# know it: "Notes from call w/ Liam O'Connor 4/8:", "Recap of 11/7 meeting with Dr. Patel:", "(source: call
# 3/3)". Such a clause names a person, a date or a number (placeholders, once masked); whether it carries a
# reason is for the model to say (``classifier.model._rests_past_asides``), as no word list can: "Hr. X ist
# im Meeting -" is a reason.
_ASIDE_END = re.compile(r"(?::|\s[-–—>|]+|,)\s+")
# A name, a date or a reference number; not a year or quarter (a timing reason), not a count ("3x", "5 calls": attempts).
_NAMES_OR_NUMBERS = re.compile(r"xx(?:person|date|week|num)\b")
_LONG_WORD = re.compile(r"(?<!\w)(?!xx)[^\W\d_]{3,}")  # a stamp of date and initials ("xxdate KE -") is no aside; a name is
ASIDE_WORDS = 10  # an aside is at most this many words
# A heading before a colon or a spaced dash ("Disposition:", "What we heard:", "Fazit nach Erstgespräch -")
# names nobody and may still be an aside: such a short one is offered to the model too.
HEADING_WORDS = 5


def _may_be_aside(text: str) -> bool:
    return (len(text.split()) <= ASIDE_WORDS and bool(_NAMES_OR_NUMBERS.search(text))
            and ("xxperson" in text or bool(_LONG_WORD.search(text))))


def _may_be_heading(text: str, separator: re.Match, rest: list[str]) -> bool:
    """A short heading before a colon or dash, followed by two words of its own (``rest``: the words after it;
    "Abbruch | contact: xxperson" has no body)."""
    return (separator[0][0] != "," and len(text.split()) <= HEADING_WORDS and bool(_LONG_WORD.search(text))
            and sum(not word.startswith("xx") for word in rest) >= 2)


def names_nobody(aside: str) -> bool:
    """Whether an aside of :func:`aside_candidates` is a heading: it names no person, date or number."""
    return not _NAMES_OR_NUMBERS.search(aside)


def _balanced(text: str) -> bool:
    return text.count("(") <= text.count(")") and text.count("[") <= text.count("]")


def aside_candidates(note: str) -> list[tuple[str, int, int]]:
    """Short clauses opening or closing ``note`` (masked, as :func:`classifier.lemmas.reading_text`
    gives it) that name a person or hold a number, each with the span of the note without it (start, end).
    A heading of at most :data:`HEADING_WORDS` words before a colon or spaced dash needs neither.

    The opening clause ends at the first colon, comma or spaced dash outside brackets; the closing one is in
    brackets, or follows the last spaced dash, else the first colon or comma that leaves at most
    :data:`ASIDE_WORDS` words. The rest must keep two words.

    >>> aside_candidates("Notes from call w/ Liam xxdate : no budget this year")
    [('Notes from call w/ Liam xxdate', 33, 52)]
    >>> aside_candidates("kein Budget dieses Jahr (Quelle: Telefonat xxdate )")
    [('Quelle: Telefonat xxdate', 0, 24)]
    >>> aside_candidates("What we heard: no budget this year")
    [('What we heard', 15, 34)]
    >>> aside_candidates("xxdate KE - kein Budget"), aside_candidates("no budget, call back later")
    ([], [])
    """
    found = []
    separators = [m for m in _ASIDE_END.finditer(note) if _balanced(note[: m.start()])]  # not inside brackets
    first = separators[0] if separators else None
    rest = note[first.end():].split() if first else []
    if len(rest) >= 2 and (_may_be_aside(note[: first.start()]) or _may_be_heading(note[: first.start()], first, rest)):
        found.append((note[: first.start()].strip(), first.end(), len(note)))
    end = len(note.rstrip())
    if note[end - 1 : end] in (")", "]"):
        opening = note.rfind("(" if note[end - 1] == ")" else "[", 0, end)
        if opening > 0 and _may_be_aside(note[opening + 1 : end - 1]) and len(note[:opening].split()) >= 2:
            found.append((note[opening + 1 : end - 1].strip(), 0, opening))
    else:  # after the last spaced dash, else after the first separator that leaves few enough words
        closing = [m for m in separators if len(note[m.end():].split()) <= ASIDE_WORDS]
        dashes = [m for m in closing if m[0][0].isspace()]
        if separator := (dashes[-1] if dashes else closing[0] if closing else None):
            if _may_be_aside(note[separator.end():]) and len(note[: separator.start()].split()) >= 2:
                found.append((note[separator.end():].strip(), 0, separator.start()))
    return found


def lower_contractions(text: str) -> str:
    """Lower-case contractions written in capitals, which spaCy's tokenizer does not split.

    "WE DON'T NEED IT" then keeps its negation ("do not") as "We don't need it" does.

    >>> lower_contractions("WE DON'T NEED IT, I'M SURE")
    "WE don't NEED IT, i'm SURE"
    """
    return _CAPS_CONTRACTION.sub(lambda m: m[0].lower(), text) if "'" in text else text


def strip_asides(text: str) -> str:
    """``text`` as the model reads it: pictographs, boilerplate, frames and contacts dropped, contractions in capitals lower-cased.

    >>> strip_asides("Hi team, Lead rejected, reason: WE DON'T NEED IT. Thanks, Anna")
    "WE don't NEED IT"
    """
    text = _strip_verdict(strip_boilerplate(drop_pictographs(text)))
    first = _first_words(text)  # once for both gates, unless the frame rule changed the start
    framed = _strip_leading_frame(text, first)
    return lower_contractions(_strip_contact(framed, first if framed == text else _first_words(framed)))
