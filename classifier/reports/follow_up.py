"""Turn the time a rejection note names ("Q3", "ab März", "in 6 Monaten") into a follow-up date.

``follow_up_date`` finds the first time expression in a German, English or mixed note (case,
umlauts and common typos do not matter) and resolves it against the rejection date; the result is
the day the rep should call again and never lies before the rejection:

- a named period gives its first day, at its first occurrence that is not over yet ("Q1" noted in
  November is next January; "Q2" noted in May is the rejection date itself; after "nächsten"/
  "next" it must not have begun): "Q3", "Q1 2027", "Q3/27", "3. Quartal", "H2", "2. Halbjahr",
  "KW 12"/"CW12" (Monday), "ab März"/"from March", "März 2027", "03/2027", "03.2027", "06/27",
  "Frühjahr"/"spring" (1 March), "Sommer" (1 June), "Herbst"/"autumn"/"fall" (1 September),
  "Winter" (1 December), "Weihnachten" (December), "Ostern"/"Easter" (the Tuesday after);
- a year gives 1 January: "2027", "FY27", "GJ 2027", "nächstes Jahr"/"next year", "nächstes GJ"/
  "next FY" (fiscal years are assumed to be calendar years); "dieses Jahr"/"this year"/"heuer" in
  a rejection means "not this year" and gives the next one; "nächstes Jahr im Herbst" and "Q2 next
  year" combine; likewise "nächstes Quartal", "nächsten Monat", "nächste Woche";
- words before a period move the date inside it: "Mitte"/"mid" takes the middle (1 July of a
  year, the 15th of a month), "Ende"/"end of"/"late" the last month (1 December for "Ende des
  Jahres"/"Jahresende", 1 September for "Ende Q3") or a month's last week, "nach"/"after"/"bis
  Ende"/"bis Jahresende" the day after it ("nach dem Sommer" is 1 September);
- durations are added to the rejection date: "in 6 Monaten", "in two weeks", "in drei Wochen",
  "in ein paar Wochen", "in einem halben Jahr", "9-month", "in 1-2 Monaten" (the lower bound);
- dates are taken as written: "15.03.2027", "2027-03-15", "31.12." and "30/06" (next occurrence),
  "15. März", "March 15";
- a period that ends a contract ("Vertrag läuft bis 06/2027", "contract runs until June 2027",
  "Laufzeit bis 31.12.", "renewal in March", "locked in until Dec") is the contract end: the
  follow-up is ``contract_lead_days`` (90) before its start, so the rep calls while the customer
  can still give notice.

Skipped, so that a later expression counts: the note's own time stamp ("14.01. JK - ...",
"[TH 03.04.]", "KW12 Call:"), anything in the past ("seit 2019", "vor 3 Wochen", "Q1 2024"),
"Strategie 2030", and words that are only sometimes months ("Jan", "may", "August") or seasons
("Fall") unless a preposition or year says so. Events ("nach der Messe", "after go-live"),
weekdays, a bare day ("the 10th") and non-calendar fiscal years are not resolved: such notes give
``None``, or the rejection date plus ``default_days`` when given.

>>> from datetime import date
>>> follow_up_date("bitte in Q3 nochmal anrufen", date(2026, 5, 12))
datetime.date(2026, 7, 1)
>>> follow_up_date("Vertrag läuft bis 06/2027", date(2026, 5, 12))
datetime.date(2027, 3, 3)
>>> follow_up_date("nach der Messe", date(2026, 5, 12), default_days=30)
datetime.date(2026, 6, 11)
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

_DAY = timedelta(days=1)
_FOLD = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'",
     "\u2013": "-", "\u2014": "-", "\u00a0": " "}
)
_MONTHS = {
    "januar": 1, "jaenner": 1, "janner": 1, "january": 1, "jan": 1,
    "februar": 2, "feber": 2, "febuar": 2, "february": 2, "febuary": 2, "feburary": 2, "feb": 2, "febr": 2,
    "maerz": 3, "marz": 3, "merz": 3, "mrz": 3, "maer": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "mai": 5, "may": 5, "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "septmber": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11,
    "dezember": 12, "december": 12, "dez": 12, "dec": 12,
}
_AMBIGUOUS_MONTHS = {"jan", "may", "mar", "august"}  # also a first name or an English verb
_SEASONS = {"fruehjahr": 3, "fruhjahr": 3, "fruejahr": 3, "fruehling": 3, "fruhling": 3, "spring": 3,
            "sommer": 6, "summer": 6, "herbst": 9, "autumn": 9, "fall": 9, "winter": 12}
_NUMBERS = {
    "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "eins": 1, "a": 1, "an": 1, "one": 1,
    "zwei": 2, "zwo": 2, "two": 2, "drei": 3, "three": 3, "vier": 4, "four": 4, "fuenf": 5, "funf": 5,
    "five": 5, "sechs": 6, "six": 6, "sieben": 7, "seven": 7, "acht": 8, "eight": 8, "neun": 9, "nine": 9,
    "zehn": 10, "ten": 10, "elf": 11, "eleven": 11, "zwoelf": 12, "zwolf": 12, "twelve": 12,
    "anderthalb": 1.5, "eineinhalb": 1.5, "one and a half": 1.5, "a couple of": 2, "a couple": 2,
    "couple of": 2, "ein paar": 3, "paar": 3, "a few": 3, "few": 3, "einige": 3, "einigen": 3,
    "several": 3, "mehrere": 3, "mehreren": 3, "wenige": 3, "wenigen": 3,
}
_ORDINALS = {"er": "1", "fi": "1", "1s": "1", "zw": "2", "se": "2", "2n": "2", "dr": "3", "th": "3", "3r": "3",
             "vi": "4", "fo": "4", "4t": "4"}
_NEEDS_PREP = {"ein", "eine", "einen", "einem", "einer", "eins", "a", "an", "one"}  # "once a year"


def _alt(words: Iterable[str]) -> str:
    """One regex alternation, longest first, spaces as ``\\s+``."""
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


_NEXT = (
    r"uebernae?chste[nmrs]?|ueber\s+nae?chste[nmrs]?|nae?chste[nmrs]?|next|kommende[nmrs]?|coming|upcoming"
    r"|folgende[nmrs]?|following|neue[nmrs]?|new"
)
_THIS = r"diese[nmrs]?|this|current|laufende[nmrs]?|aktuelle[nmrs]?"
_THIS_WORD = re.compile(_THIS)
_MON = rf"(?:{_alt(_MONTHS)})(?![a-z])"
_QWORD = r"q(?:ua|au|a|u)r?ta?l|quarter|qtr"
_ORD = r"erste[nmrs]?|zweite[nmrs]?|dritte[nmrs]?|vierte[nmrs]?|first|second|third|fourth|1st|2nd|3rd|4th"
_UNIT = (r"werktage?n?|tage?n?|days?|business\s+days|working\s+days|wochen?|wo\.|weeks?|wks?|monate?n?|mon\.|mo\."
         r"|months?|mths?|mos|quartale?n?|quarters?|jahre?n?|j\.|years?|yrs?")
_NUM = rf"(?<![\w.,])\d{{1,3}}(?:[.,]\d)?|\b(?:{_alt(_NUMBERS)})"
_RANGE = rf"(?:\s*(?:-|bis|to|or|oder|/)\s*(?:{_NUM}))?[\s-]*"  # "1-2 Monate": the lower bound counts


# A two-digit year after a space ("Q4 27", "Sommer 27") only when nothing numeric follows ("Q3 15.08.").
_SPACE_YY = r"\s(?=\d{2}(?![\d.,:/%]))"


def _ys(p: str, short: str = rf"(?:[/'-]|{_SPACE_YY})") -> str:
    """Optional year after a period: ' 2027', '/27', "'27", ' 27', ' nächsten Jahres'."""
    return (rf"(?:\s*(?:[/'-]\s*)?(?P<{p}_y>(?:19|20)\d{{2}})(?!\d)|\s*{short}\s*(?P<{p}_yy>\d{{2}})(?!\d)"
            rf"|\s+(?:des\s+|of\s+)?(?P<{p}_rel>{_NEXT}|{_THIS})\s+(?:jahres|jahr|years?)(?![a-z]))?")


# One alternative per kind of expression. Those starting with a digit are tried only at digits, the
# others only at word starts, which keeps the scan fast; at the same position the earlier one wins.
_DIGIT_KINDS: list[tuple[str, str]] = [
    ("iso", r"(?<!\d)(?P<i_y>(?:19|20)\d{2})-(?P<i_m>\d{1,2})-(?P<i_d>\d{1,2})(?!\d)"),
    ("dmy", r"(?<![\d.])(?P<a_a>\d{1,2})(?P<a_s>[./-])(?P<a_b>\d{1,2})(?P=a_s)(?P<a_y>(?:19|20)\d{2}|\d{2})(?!\d)"),
    ("my", r"(?<![\d.,/])(?P<b_m>0?[1-9]|1[0-2])\s?[./-]\s?(?P<b_y>(?:19|20)\d{2})(?!\d)"),
    ("dm", r"(?<![\d.])(?P<c_d>\d{1,2})\.\s?(?P<c_m>\d{1,2})\.(?!\d)"
           r"|(?<![\d./])(?P<c_d2>\d{1,2})/(?P<c_m2>0[1-9]|1[0-2])(?![\d/])"),
    ("my_short", r"(?<![\d./])(?P<b_m2>0?[1-9]|1[0-2])/(?P<b_yy>[1-9]\d)(?![\d/])"),
    ("dmon", rf"(?<![\d.])(?P<e_d>[0-3]?\d)(?:\.|st|nd|rd|th)?\s*(?:of\s+)?(?P<e_m>{_MON})\.?"
             r"(?:\s*,?\s*(?P<e_y>(?:19|20)\d{2})(?!\d))?"),
    ("qtr_d", rf"(?<![\d.])(?P<q_n2>[1-4])\s?\.?\s?(?:{_QWORD})(?:ish)?(?!\w){_ys('qd')}"),
    ("half_d", rf"(?<![\d.])(?:(?P<h_n2>[12])\s?\.?\s?(?:halbjahr|hj|jahreshaelfte|half)"
               r"|(?P<h_n4>[12])h(?=\s*[/'-]?\s*(?:19|20)?\d{2}(?!\d)))"  # "2H 2027", "1H/28": not "2h" (hours)
               rf"(?:ish)?(?!\w){_ys('hd')}"),
    ("week_d", rf"(?<![\d.])(?P<w_n2>\d{{1,2}})\.?\s?(?:kw|kalenderwoche)(?![a-z]){_ys('wd')}"),
    ("dur_d", rf"(?<![\w.,])(?P<d_n>\d{{1,3}}(?:[.,]\d)?){_RANGE}(?P<d_u>{_UNIT})(?![a-z])"),
    ("year", r"(?<![\d./])(?<!\d-)(?P<y_y>20\d{2})(?!\d|[.-]\d)"),
]
_WORD_KINDS: list[tuple[str, str]] = [
    ("mond", rf"(?P<f_m>{_MON})\.?\s+(?:the\s+)?(?P<f_d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d|[.,:]\d)"
             r"(?:\s*,?\s*(?P<f_y>(?:19|20)\d{2})(?!\d))?"),
    ("mon", rf"(?P<g_m>{_MON})\.?" + _ys("g", short="'")),
    ("qtr", rf"(?:q\s?(?P<q_n>[1-4])|(?P<q_w>{_ORD})\s+(?:{_QWORD})|(?:{_QWORD})\s+(?P<q_n3>[1-4]))"
            rf"(?:ish)?(?!\w){_ys('q')}"),
    ("half", r"(?:h\s?(?P<h_n>[12])|hj\s?(?P<h_n3>[12])|(?P<h_w>erste[nmrs]?|zweite[nmrs]?|first|second|1st|2nd)\s+"
             r"(?:halbjahr(?:es)?|jahreshaelfte|haelfte\s+des\s+jahres|hj|half(?:\s+of)?(?:\s+the)?(?:\s+year)?))"
             rf"(?:ish)?(?!\w){_ys('h')}"),
    ("week", rf"(?:kw|cw|wk|kalenderwoche|calendar\s+week|woche|week)\s?\.?\s?(?P<w_n>\d{{1,2}})(?!\d){_ys('w')}"),
    ("fy", r"(?:fy|gj|geschaeftsjahr|fiscal(?:\s+year)?|wirtschaftsjahr|budgetjahr)\s?'?\s?"
           r"(?P<y_fy>(?:19|20)\d{2}|\d{2})(?!\d)"),
    ("rel", rf"(?P<r_w>{_NEXT}|{_THIS}|des|der|dem|the|of)\s+(?P<r_u>jahr(?:es)?|years?|(?:{_QWORD})(?:e?s)?|quarters?"
            r"|monat(?:e?s)?|months?|woche|weeks?|fy|gj|geschaeftsjahr(?:es)?|fiscal(?:\s+year)?|budgetjahr(?:es)?"
            r"|budget\s+year|halbjahr(?:es)?|half(?:\s+year)?)(?![a-z]|[- ]end\b)|(?P<r_heuer>heuer)\b"),
    ("cmp", r"(?P<k_u>jahres|quartals|monats)(?P<k_k>ende|anfang|beginn|mitte|start|wechsel)(?![a-z])"
            r"(?:\s+(?P<k_y>20\d{2}))?"
            r"|(?P<k_u2>year|quarter|month)[- ]?(?P<k_k2>end)(?![a-z])|(?P<k_e>eo[yqm])(?![a-z])"
            r"|mid[- ]?(?P<k_u3>year|quarter|month)(?![a-z])"
            r"|(?P<k_n>neujahr|jahreswechsel|turn\s+of\s+the\s+year)(?![a-z])"),
    ("season", rf"(?P<s_w>{_alt(_SEASONS)})(?:s|es|pause|ferien|loch|urlaub|\s+(?:break|holidays?|vacation))?"
               rf"(?![a-z]){_ys('s')}"),
    ("xmas", r"(?:weihnacht(?:en|s\w*)?|christmas|x-?mas)(?![a-z])"),
    ("easter", r"(?:ostern|easter)(?![a-z])"),
    ("dur", r"(?P<d_half>(?:(?:einem?|ein|a)\s+)?halbe[nms]?\s+jahre?s?|half\s+a\s+year|half[- ]year)(?![a-z])"
            rf"|(?P<d_w>{_alt(_NUMBERS)})(?![a-z]){_RANGE}(?P<d_u2>{_UNIT})(?![a-z])"),
    ("bare", r"(?P<u_u>jahr(?:es)?|year|monat(?:s)?|month|quartal(?:s)?|quarter)(?![a-z])"),
]
_TOKEN = re.compile(
    "(?=\\d)(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _DIGIT_KINDS) + ")"
    "|\\b(?=[a-z])(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _WORD_KINDS) + ")"
)
# Periods without a year of their own, which "nächstes Jahr im Herbst" or "2027 Q2" narrows.
_OPEN_KINDS = {"dm", "dmon", "mond", "mon", "qtr", "qtr_d", "half", "half_d", "week", "week_d", "season", "xmas",
               "easter"}
# Position words just before an expression: "nach dem", "bis Ende", "Ende", "Mitte", "im Laufe des", "Anfang".
_ARTICLES = r"(?:\s+(?:des|der|dem|von|vom|im|in|of|the))*"
_MOD = re.compile(
    r"(?:(?P<after>\b(?:nach|after|post|beyond)(?:\s+(?:dem|der|den|des|the|ende|end|of))*"
    rf"|\b(?:bis|until|till|til|through|thru)\s+(?:zum\s+|zur\s+|the\s+)?(?:ende|end){_ARTICLES})"
    rf"|(?P<end>\b(?:ende|end|late|towards?\s+the\s+end){_ARTICLES})"
    rf"|(?P<mid>\b(?:mitte|mid|middle){_ARTICLES})"
    r"|(?P<later>\b(?:later|spaeter|noch|im\s+laufe|im\s+verlauf|in\s+the\s+course|over\s+the\s+course|during"
    rf"|waehrend){_ARTICLES})"
    rf"|(?P<start>\b(?:anfang|beginn|early|beginning|start|zu\s+beginn|am\s+anfang){_ARTICLES})"
    r")[\s-]*$"
)
_NEXT_BEFORE = re.compile(rf"\b(?:{_NEXT})\s+$")  # "nächsten Herbst": not the one in progress
_UNTIL = re.compile(r"\b(?:bis|until|till|til|through|thru)(?:\s+(?:zum|zur|the))?\s+$")  # "bis Jahresende"
_PAST = re.compile(
    r"\b(?:seit|since|last|letzte[nmrs]?|vergangene[nmrs]?|previous|vorige[nmrs]?|past)\s+(?:(?:dem|der|den|the)\s+)?$"
)
_AGO = re.compile(r"\bvor\s+$")
_AGO_AFTER = re.compile(r"\s*(?:ago\b|her\b|zurueck)")
_PREP = re.compile(  # what makes "ein Monat" / "a month" a duration ("in a month", not "once a month")
    r"(?:\b(?:in|within|innerhalb(?:\s+von)?|for|fuer|noch|nach|after|etwa|ca\.?|about|approx\.?|around|rund|circa"
    r"|ungefaehr|spaetestens|fruehestens|mindestens|least|again|wieder|nochmal|erst|back|by|um)|~)\s*$"
)
_LATER = re.compile(r"\s*(?:spaeter|later|from\s+now|ab\s+(?:jetzt|heute)|von\s+jetzt)\b")
_MONTH_CONTEXT = re.compile(
    r"(?:\b(?:in|im|ab|bis|until|till|til|from|after|nach|before|vor|by|anfang|mitte|ende|early|mid|late|end\s+of"
    r"|beginning\s+of|start\s+of|starting|zum|per|um|around|gegen|next|naechsten|this|diesen|kommenden|to|auf|on"
    r"|revisit|recheck)|-)\s*$"
)
_FALL_CONTEXT = re.compile(
    r"\b(?:the|this|next|coming|in|by|until|till|after|from|early|late|mid|over|during|before|around)[\s-]*$"
)
_STAMP_HEAD = re.compile(r"[\s\[(]*(?:(?!(?:am|ab|bis|vom|zum|in|im|on|by|to|ca|um|wv|rr|cb|fu)\b)[a-z]{1,3}\.?\s+)?")
_STAMP_TAIL = re.compile(r"\s*(?:[-:|,;)\]]|[a-z]{1,5}\.?\s*[-:|,;)\]])")
_LOG_BEFORE = re.compile(
    r"\b(?:telefonat|tel\.?|telefoniert|anruf|angerufen|calls?|called|spoke|gespraech|gesprochen|meeting|besuch|mail"
    r"|e-?mail|notiz|note|kontakt|kontaktiert|contacted|rueckruf)\s*(?:am|vom|on|from)?\s*$"
)
_LOG_AFTER = re.compile(r"\s*:")
_YEAR_NAME = re.compile(r"\b(?:strategie|strategy|vision|agenda|horizon|horizont)\s*$")
_FILLER = re.compile(
    r"[\s,:-]*(?:(?:im|in|ab|zum|zur|um|gegen|around|by|from|bis|until|anfang|mitte|ende|early|mid|late|end|beginning"
    r"|start|of|nach|after|dem|der|den|des|the|voraussichtlich|vermutlich|probably|likely|eher|maybe|evtl\.?|vllt\.?)"
    r"\b[\s,:-]*){0,4}"
)
_CONTRACT = re.compile(
    r"vertrag|vertraege|contract|laufzeit|lizenz|licen[cs]e|subscription|abonnement|\babo\b|agreement|gebunden|bindung"
    r"|renewal|verlaengerung|expir|auslauf|laeuft\s+(?:\S+\s+){0,4}aus\b|locked\s+in|tied\s+in|kuendigungsfrist"
    r"|notice\s+period"
)
_CONTRACT_AFTER = re.compile(
    r"\s*[(,]?\s*(?:gebunden|vertraglich|im\s+vertrag|unter\s+vertrag|under\s+contract|locked\s+in"
    r"|(?:laeuft|endet|ends|expires)\s+(?:\S+\s+){0,2}(?:vertrag|contract|aus\b))"
)


class _Hit(NamedTuple):
    """What one expression names, before it is placed relative to the rejection date."""

    span: Callable[[int], tuple[date, date]]  # the period in a given year; may raise ValueError
    year: int | None  # None: take the next occurrence that has not ended
    point: bool = False  # a single day: position words do not apply
    mod: str | None = None  # overrides the position word before the expression
    yearly: bool = False  # a whole year: "2027 im Herbst" narrows it


def _add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _months(month: int, length: int) -> Callable[[int], tuple[date, date]]:
    """The period of ``length`` months from 1 ``month`` of a given year."""
    def span(year: int) -> tuple[date, date]:
        start = date(year, month, 1)
        return start, _add_months(start, length)
    return span


def _fixed(start: date, end: date | None = None) -> Callable[[int], tuple[date, date]]:
    """A period whose year is already known (a day when ``end`` is None)."""
    return lambda year: (start, end or start + _DAY)


def _day(month: int, day: int) -> Callable[[int], tuple[date, date]]:
    """A day of a given year (ValueError for 29 February in other years)."""
    return lambda year: (date(year, month, day), date(year, month, day) + _DAY)


def _suffix_year(m: re.Match[str], r: date, *prefixes: str) -> int | None:
    """The year written after a period (groups of :func:`_ys`), or None."""
    for p in prefixes:
        if m[f"{p}_y"]:
            return int(m[f"{p}_y"])
        if m[f"{p}_yy"]:
            year = 2000 + int(m[f"{p}_yy"])
            return year if r.year - 1 <= year <= r.year + 10 else None  # "Q4 99" is no year
        if m[f"{p}_rel"]:
            return r.year + _offset(m[f"{p}_rel"])
    return None


def _offset(word: str) -> int:
    """0 for "dieses"/"this", 2 for "übernächstes", 1 for "nächstes"/"next"/"new"."""
    if word.startswith("ueber"):
        return 2
    return 0 if _THIS_WORD.fullmatch(word) else 1


def _stamp(m: re.Match[str], text: str) -> bool:
    """A date opening the note ("14.01. JK -", "[TH 03.04.]", "KW12 Call:") is when it was written."""
    return _STAMP_HEAD.fullmatch(text, 0, m.start()) is not None and _STAMP_TAIL.match(text, m.end()) is not None


# Handlers, one per kind: (match, folded note, rejection date, position word) -> _Hit, or None to skip it.
def _explicit_day(m: re.Match[str], text: str, r: date, year: int, month: int, day: int) -> _Hit | None:
    found = date(year, month, day)
    return None if _stamp(m, text) and found <= r else _Hit(_fixed(found), year, point=True)


def _iso(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    return _explicit_day(m, text, r, int(m["i_y"]), int(m["i_m"]), int(m["i_d"]))


def _dmy(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    a, b, year = int(m["a_a"]), int(m["a_b"]), int(m["a_y"])
    day, month = (b, a) if a <= 12 < b else (a, b)  # day first unless only month-first fits
    return _explicit_day(m, text, r, year + 2000 if year < 100 else year, month, day)


def _my(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    return _Hit(_months(int(m["b_m"]), 1), int(m["b_y"]))


def _my_short(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    """Month and two-digit year ("06/27" is June 2027) when the year is plausible; 13..99 is no month."""
    year = 2000 + int(m["b_yy"])
    if int(m["b_yy"]) <= 12 or not r.year - 1 <= year <= r.year + 10:
        return None
    return _Hit(_months(int(m["b_m2"]), 1), year)


def _logged(m: re.Match[str], text: str, r: date, month: int, day: int) -> bool:
    """A day already past in the rejection's year, after "Telefonat"/"call" or before a colon, logs a contact."""
    try:
        if date(r.year, month, day) > r:
            return False
    except ValueError:
        return False
    return (_LOG_BEFORE.search(text, max(0, m.start() - 24), m.start()) is not None
            or _LOG_AFTER.match(text, m.end()) is not None)


def _dm(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    if _stamp(m, text):
        return None
    day, month = (m["c_d"], m["c_m"]) if m["c_d"] else (m["c_d2"], m["c_m2"])
    if _logged(m, text, r, int(month), int(day)):
        return None  # "Telefonat 11.05.: erst Q4": when they spoke, not when to call
    return _Hit(_day(int(month), int(day)), None, point=True)


def _dmon(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    day, month, year = (m["e_d"], m["e_m"], m["e_y"]) if m["e_d"] else (m["f_d"], m["f_m"], m["f_y"])
    return _Hit(_day(_MONTHS[month], int(day)), int(year) if year else None, point=True)


def _mon(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    year = _suffix_year(m, r, "g")
    window = text[max(0, m.start() - 16): m.start()]
    if m["g_m"] in _AMBIGUOUS_MONTHS and year is None and not _MONTH_CONTEXT.search(window):
        return None  # "Jan aus dem Einkauf", "they may buy"
    return _Hit(_months(_MONTHS[m["g_m"]], 1), year)


def _qtr(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    n = m["q_n"] or m["q_n2"] or m["q_n3"] or _ORDINALS[m["q_w"][:2]]
    return _Hit(_months(3 * int(n) - 2, 3), _suffix_year(m, r, "q", "qd"))


def _half(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    n = m["h_n"] or m["h_n2"] or m["h_n3"] or m["h_n4"] or ("1" if m["h_w"][0] in "ef1" else "2")
    return _Hit(_months(6 * int(n) - 5, 6), _suffix_year(m, r, "h", "hd"))


def _week(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    n = int(m["w_n"] or m["w_n2"])
    if not 1 <= n <= 53 or _stamp(m, text):
        return None
    return _Hit(lambda y: (date.fromisocalendar(y, n, 1), date.fromisocalendar(y, n, 1) + timedelta(days=7)),
                _suffix_year(m, r, "w", "wd"))


def _year(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    year = int(m["y_y"] or m["y_fy"])
    year = year + 2000 if year < 100 else year
    if year > r.year + 20 or (m["y_y"] and _YEAR_NAME.search(text, 0, m.start())):
        return None  # "Strategie 2030" names a programme, not a time
    if year == r.year and mod is None:  # "kein Budget 2026" in 2026 is "kein Budget dieses Jahr": the next one
        return _Hit(_months(1, 12), year, mod="after", yearly=True)
    return _Hit(_months(1, 12), year, yearly=True)


def _current(unit: str, r: date, offset: int) -> tuple[date, date]:
    """The year, quarter, half, month or week around ``r`` (offset 0), or one ``offset`` periods later."""
    if unit[0] in "jyfgb":  # jahr, year, fy, gj, geschaeftsjahr, fiscal, budget year
        start, length = date(r.year, 1, 1), 12
    elif unit[0] == "q":
        start, length = date(r.year, r.month - (r.month - 1) % 3, 1), 3
    elif unit[0] == "h":
        start, length = date(r.year, 1 if r.month <= 6 else 7, 1), 6
    elif unit[0] == "m":
        start, length = r.replace(day=1), 1
    else:
        monday = r - timedelta(days=r.weekday()) + timedelta(days=7 * offset)
        return monday, monday + timedelta(days=7)
    start = _add_months(start, length * offset)
    return start, _add_months(start, length)


def _current_or_next(unit: str, r: date, mod: str | None) -> tuple[date, date]:
    """This period, or the next one when its start or middle ("Anfang/Mitte des Jahres") has passed."""
    start, end = _current(unit, r, 0)
    if mod in ("start", "mid") and _shift(mod, start, end) < r:
        return _current(unit, r, 1)
    return start, end


def _rel(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    """ "nächstes Jahr", "this quarter", "heuer", and "(Ende) des Jahres" / "(end of) the year"."""
    if m["r_w"]:
        word, unit = m["r_w"], m["r_u"]
    else:
        word, unit = ("this", "jahr") if m["r_heuer"] else ("the", m["u_u"])
    weak = word in ("des", "der", "dem", "the", "of")
    if weak and mod is None:
        return None  # "des Jahres" alone is no time; "Ende des Jahres" is
    offset = 0 if weak else _offset(word)
    if offset == 0 and mod is None:
        mod = "after"  # "kein Budget dieses Jahr": the next one
    start, end = _current_or_next(unit, r, mod) if offset == 0 else _current(unit, r, offset)
    return _Hit(_fixed(start, end), start.year, mod=mod, yearly=unit[0] in "jyfgb")


def _cmp(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    """Compounds that carry their own position: "Jahresende", "Quartalsanfang", "year-end", "mid-year"."""
    if m["k_n"]:
        unit, kind = "jahr", "wechsel"
    elif m["k_e"]:
        unit, kind = {"y": "jahr", "q": "quartal", "m": "monat"}[m["k_e"][2]], "ende"
    elif m["k_u3"]:
        unit, kind = m["k_u3"], "mitte"
    else:
        unit, kind = (m["k_u"], m["k_k"]) if m["k_u"] else (m["k_u2"], "ende")
    new_mod = {"ende": "end", "mitte": "mid", "wechsel": "after"}.get(kind, "start")
    if new_mod == "end" and _UNTIL.search(text, max(0, m.start() - 16), m.start()):
        new_mod = "after"  # busy until the year ends: call when it has
    if m["k_y"] and unit[0] == "j":
        start, end = date(int(m["k_y"]), 1, 1), date(int(m["k_y"]) + 1, 1, 1)
    else:
        start, end = _current_or_next(unit, r, new_mod)
    return _Hit(_fixed(start, end), start.year, mod=new_mod)


def _season(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    year = _suffix_year(m, r, "s")
    if m["s_w"] == "fall" and year is None and not _FALL_CONTEXT.search(text[max(0, m.start() - 12): m.start()]):
        return None  # German "Fall" (case), English "fall" (verb)
    return _Hit(_months(_SEASONS[m["s_w"]], 3), year)


def _xmas(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    return _Hit(_months(12, 1), None)


def _easter(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    def tuesday_after(y: int) -> tuple[date, date]:  # anonymous Gregorian computus
        a, (b, c) = y % 19, divmod(y, 100)
        h = (19 * a + b - b // 4 - (b - (b + 8) // 25 + 1) // 3 + 15) % 30
        wd = (32 + 2 * (b % 4) + 2 * (c // 4) - h - c % 4) % 7
        month, day = divmod(h + wd - 7 * ((a + 11 * h + 22 * wd) // 451) + 114, 31)
        tuesday = date(y, month, day + 1) + timedelta(days=2)
        return tuesday, tuesday + _DAY
    return _Hit(tuesday_after, None, point=True)


def _dur(m: re.Match[str], text: str, r: date, mod: str | None) -> _Hit | None:
    """ "in 6 Monaten", "two weeks", "ein halbes Jahr": a day counted from the rejection date."""
    before = text[max(0, m.start() - 24): m.start()]
    if _AGO.search(before) or _AGO_AFTER.match(text, m.end()):
        return None  # "vor 3 Wochen", "2 weeks ago"
    if m["d_half"]:
        months, days = 6.0, 0.0
    else:
        word = " ".join((m["d_n"] or m["d_w"]).split())
        if word in _NEEDS_PREP and not (_PREP.search(before) or _LATER.match(text, m.end())):
            return None
        n = float(word.replace(",", ".")) if word[0].isdigit() else float(_NUMBERS[word])
        unit = m["d_u"] or m["d_u2"]
        if unit.startswith(("werk", "t", "day", "bus", "work")):
            months, days = 0.0, n
        elif unit.startswith(("wo", "we", "wk")):
            months, days = 0.0, 7 * n
        else:
            months, days = n * (12 if unit[0] in "jy" else 3 if unit[0] == "q" else 1), 0.0
    if months > 120 or days > 3660:
        return None
    found = _add_months(r, int(months)) + timedelta(days=round(days + (months % 1) * 30))
    return _Hit(_fixed(found), found.year, point=True)


_HANDLERS: dict[str, Callable[[re.Match[str], str, date, str | None], _Hit | None]] = {
    "iso": _iso, "dmy": _dmy, "my": _my, "dm": _dm, "dmon": _dmon, "mond": _dmon, "mon": _mon, "qtr": _qtr,
    "half": _half, "week": _week, "fy": _year, "year": _year, "rel": _rel, "cmp": _cmp, "season": _season,
    "xmas": _xmas, "easter": _easter, "dur": _dur, "bare": _rel,
    "my_short": _my_short, "qtr_d": _qtr, "half_d": _half, "week_d": _week, "dur_d": _dur,
}


def _shift(mod: str | None, start: date, end: date) -> date:
    """The day inside [start, end) that a position word ("Mitte", "Ende", "nach") points to."""
    if mod == "after":
        return end
    if mod == "later":
        mod = "mid"
    if mod not in ("mid", "end"):
        return start
    months = (end.year - start.year) * 12 + end.month - start.month if start.day == end.day == 1 else 0
    if months > 1:
        return _add_months(start, months // 2 if mod == "mid" else months - 1)
    if months == 1:
        return start.replace(day=15) if mod == "mid" else end - timedelta(days=7)
    return start + (end - start) // 2 if mod == "mid" else end - timedelta(days=3)


def _is_contract(text: str, m: re.Match[str]) -> bool:
    """Does the expression end a contract ("Vertrag läuft bis ...", "... gebunden")? Looks within its sentence."""
    clause = text[max(0, m.start() - 80): m.start()]
    clause = clause[max(clause.rfind(sep) for sep in (". ", ";", "!", "?", "\n")) + 1:]
    return _CONTRACT.search(clause) is not None or _CONTRACT_AFTER.match(text, m.end()) is not None


def _resolve(text: str, m: re.Match[str], r: date, lead: int, year: int | None = None) -> date | None:
    """The follow-up date one matched expression gives, or None to look further."""
    before = text[max(0, m.start() - 32): m.start()]
    if _PAST.search(before):
        return None
    found = _MOD.search(before)
    hit = _HANDLERS[m.lastgroup or ""](m, text, r, found.lastgroup if found else None)
    if hit is None:
        return None
    given = hit.year if hit.year is not None else year
    if given is None:  # the first occurrence not yet over (not yet begun after "next")
        strict = _NEXT_BEFORE.search(before) is not None
        for given in range(r.year - 1, r.year + 8):
            try:
                start, end = hit.span(given)
            except ValueError:  # 29 February, week 53
                continue
            if (start if strict else end - _DAY) >= r:
                break
        else:
            return None
    else:
        start, end = hit.span(given)
    if hit.yearly:  # "nächstes Jahr im Herbst", "2027 Q2"
        filler = _FILLER.match(text, m.end())
        inner = _TOKEN.match(text, filler.end() if filler else m.end())
        if inner is not None and inner.lastgroup in _OPEN_KINDS:
            try:
                narrowed = _resolve(text, inner, r, lead, year=start.year)
            except ValueError:
                narrowed = None
            if narrowed is not None:
                return narrowed
    anchor = start if hit.point else _shift(hit.mod or (found.lastgroup if found else None), start, end)
    if _is_contract(text, m):
        return anchor - timedelta(days=min(lead, (anchor - date.min).days))
    return None if end <= r else anchor


def _prepare(note: object) -> str:
    """Lower-case, NFKC and folded umlauts ("März" -> "maerz"); missing notes become ""."""
    if not isinstance(note, str):
        return "" if note is None or note != note else str(note)
    if not note.isascii():
        note = unicodedata.normalize("NFKC", note)
    return note.lower().translate(_FOLD)


def follow_up_date(
    note: str,
    rejected_on: date | None = None,
    *,
    default_days: int | None = None,
    contract_lead_days: int = 90,
) -> date | None:
    """The day to call again for the first time expression in ``note``; never before ``rejected_on``.

    ``rejected_on`` defaults to today. Without a resolvable expression the result is ``None``, or
    ``rejected_on + default_days`` when given. A contract end is moved ``contract_lead_days``
    earlier.

    >>> from datetime import date
    >>> follow_up_date("Q1 wieder melden", date(2026, 11, 3))
    datetime.date(2027, 1, 1)
    >>> follow_up_date("call back in two weeks", date(2026, 5, 12))
    datetime.date(2026, 5, 26)
    """
    for name, value in (("default_days", default_days), ("contract_lead_days", contract_lead_days)):
        if value is not None and value < 0:
            raise ValueError(f"Got {name}={value} but expected a number of days >= 0.")
    r = _as_date(rejected_on, "rejected_on") or date.today()
    text = _prepare(note)
    for m in _TOKEN.finditer(text):
        try:
            found = _resolve(text, m, r, contract_lead_days)
        except (ValueError, OverflowError):  # a date outside the calendar
            continue
        if found is not None:
            return max(found, r)
    if default_days is None:
        return None
    try:
        return r + timedelta(days=default_days)
    except OverflowError:
        return date.max


def _as_date(value: object, name: str) -> date | None:
    """A ``date`` from a date, datetime or pandas Timestamp; ``None`` for missing values (None, NaT, NaN)."""
    if value is None or type(value).__name__ in ("NaTType", "NAType"):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value != value:
        return None
    raise TypeError(f"Got {name}={value!r} but expected a datetime.date or None.")


def follow_up_dates(
    notes: Sequence[str],
    dates: Sequence[date | None],
    *,
    default_days: int | None = None,
    contract_lead_days: int = 90,
) -> list[date | None]:
    """:func:`follow_up_date` for each note and its rejection date (missing dates mean today).

    >>> from datetime import date
    >>> follow_up_dates(["ab März", "kein Bedarf"], [date(2026, 4, 2), date(2026, 4, 2)])
    [datetime.date(2027, 3, 1), None]
    """
    if len(notes) != len(dates):
        raise ValueError(f"Got {len(notes)} notes but {len(dates)} dates; expected one date per note.")
    today = date.today()
    return [
        follow_up_date(note, _as_date(day, f"dates[{i}]") or today, default_days=default_days,
                       contract_lead_days=contract_lead_days)
        for i, (note, day) in enumerate(zip(notes, dates))
    ]
