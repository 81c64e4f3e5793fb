"""Plain-text clean-up of notes before spaCy sees them: HTML, Unicode, placeholders, folding.

Everything here is a pure ``str -> str`` (or ``str -> bool``) function built from compiled
regular expressions, so it is cheap enough to run on millions of notes.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Attribute values may hold '>' (title="a > b"): a quoted value is skipped whole.
_ATTRS = r"""(?:[^<>"']|"[^"]{0,300}"|'[^']{0,300}')"""
_BLOCK_TAG = re.compile(rf"<\s*(?:br|/?p|/?div|/?li|/?ul|/?ol|/?tr|/?h[1-6])\b{_ATTRS}{{0,300}}>", re.I)
_ANY_TAG = re.compile(rf"<\s*/?\s*[a-zA-Z]{_ATTRS}{{0,300}}>")
# Never text: comments (also one left open), and what <style>/<script>/<head>-like elements hold.
_HIDDEN = re.compile(
    r"<!--.*?(?:-->|$)|<\s*(style|script|template|noscript)\b[^>]*>.*?(?:<\s*/\s*\1\s*>|$)", re.I | re.S
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u3000]| {2}")  # what _SPACES would change
_NEWLINES = re.compile(r"\s*\n\s*")

# Placeholders: alphanumeric tokens the spaCy tokenizer keeps whole.
_PLACEHOLDERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), " xxemail "),
    (re.compile(r"\b(?:https?://|www\.)\S+", re.I), " xxurl "),
    (
        re.compile(
            r"(?:[€$£]\s?\d[\d.,']*\s?(?:k|m|mio|tsd|t)?\b"
            r"|\b\d[\d.,']*\s?(?:k|m|mio\.?|tsd\.?|t)?\s?(?:€|eur|euro|usd|\$|chf|gbp|£|dollars?)(?![a-z]))",
            re.I,
        ),
        " xxmoney ",
    ),
    (re.compile(r"\b\d{1,3}(?:[.,]\d{3})*\s?k\b", re.I), " xxmoney "),
    (re.compile(r"(?<![\w.])(?:\+|00)\d[\d /().-]{6,}\d"), " xxphone "),
    (re.compile(r"\b0\d{2,5}[ /-]?\d{3,}[\d -]*\d\b"), " xxphone "),
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?Z?)?\b"), " xxdate "),
    (re.compile(r"\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b"), " xxdate "),
    (re.compile(r"(?<![\w.])\d{1,2}\.\d{1,2}\.(?!\d)"), " xxdate "),
    (re.compile(r"\b(?:0?[1-9]|1[0-2])[./-](?:19|20)\d{2}\b"), " xxdate "),
    # Day and month with a slash, either order ("12/03", "3/14"); not "24/7" (round the clock).
    (re.compile(r"(?<![\d/.])(?!24/7\b)(?:(?:[12]?\d|3[01])/(?:0?[1-9]|1[0-2])|(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]))(?![\d/]|\.\d)"), " xxdate "),
    (re.compile(r"\b(?:q[1-4]|[1-4]\.?\s?quartal|h[12])(?:[/ ']?(?:20)?\d{2})?\b", re.I), " xxquarter "),
    (re.compile(r"\b(?:kw|cw|wk)\s?\d{1,2}\b", re.I), " xxweek "),
    (re.compile(r"\b(?:fy|gj)\s?'?(?:20)?\d{2}\b", re.I), " xxfyear "),
    (re.compile(r"\b(?:19|20)\d{2}\b"), " xxyear "),
    (re.compile(r"\b\d+(?:[.,]\d+)?\b"), " xxnum "),
]

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})

# Notes that carry no reason at all; matched after clean-up, case-insensitively.
_EMPTY_WORDS = {"", "na", "n/a", "n.a.", "n.a", "none", "null", "nil", "nan", "#n/a", "-/-", "k.a.", "keine angabe"}
_ONLY_PUNCT = re.compile(r"^[\W_]*$")


def html_to_text(text: str) -> str:
    """Turn CRM editor HTML into plain text: block tags to newlines, entities unescaped.

    Entities are unescaped at most twice, so ``&amp;lt;p&amp;gt;`` (escaped twice by an export)
    still loses its tag.

    >>> html_to_text("<p>kein Budget</p><br>&nbsp;Q3 &amp; Q4")
    'kein Budget\\nQ3 & Q4'
    >>> html_to_text('<style>p {color: red}</style><!-- intern --><a title="a > b">zu teuer</a>')
    'zu teuer'
    """
    if "<" not in text and "&" not in text:
        return text
    for _ in range(2):
        if "&" in text:
            text = html.unescape(text)
        if "<" in text:
            text = _HIDDEN.sub(" ", text)
            text = _BLOCK_TAG.sub("\n", text)
            text = _ANY_TAG.sub(" ", text)
    text = _SPACES.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()


def clean(text: str) -> str:
    """Unicode (NFKC) and HTML clean-up; whitespace collapsed. Keeps case and umlauts.

    >>> clean("  <p>Kein&nbsp;Budget</p>  ")
    'Kein Budget'
    """
    text = unicodedata.normalize("NFKC", html_to_text(str(text)))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\r", "\n")
    if "  " in text or "\t" in text or (not text.isascii() and _ODD_SPACES.search(text)):
        text = _SPACES.sub(" ", text)
    return text.strip()


# Two passes at most: addresses (only when the text has '@', 'www.' or 'http'), then everything
# with digits (only when it has one), each as one regex whose alternatives keep the order above.
def _alternation(indices: range, starts: str = "") -> re.Pattern[str]:
    """The patterns as one regex; ``starts`` (a lookahead class) skips positions none can start at."""
    return re.compile(
        (f"(?={starts})(?:" if starts else "(?:")
        + "|".join(
            f"(?P<p{i}>{'(?i:' if _PLACEHOLDERS[i][0].flags & re.I else '(?:'}{_PLACEHOLDERS[i][0].pattern}))"
            for i in indices
        )
        + ")"
    )


_ADDRESSES = _alternation(range(2))
_NUMBERS = _alternation(range(2, len(_PLACEHOLDERS)), starts=r"[\d€$£+qQhHkKcCwWfFgG]")
# The same alternatives tried only where a digit, currency sign or '+' stands: enough when no
# letter-led one (q1, h2, kw 12, fy'26) can match, i.e. no q, h, w, k, y or j before a digit.
_NUMBERS_AT_DIGITS = _alternation(range(2, len(_PLACEHOLDERS)), starts=r"[\d€$£+]")
_LETTER_DIGIT = re.compile(r"[qhwkyjQHWKYJ\u212a]\s?'?\d")
_MAYBE_NUMBER = re.compile(r"[\d€$£]")


def _placeholder(match: re.Match) -> str:
    return _PLACEHOLDERS[int(match.lastgroup[1:])][1]


# A person named with a title: "Hr. Maier", "Frau Dr. Kessler", "Mr J. Smith". Case matters: "HR" is a department.
_PERSON = re.compile(
    r"(?<![\w.-])(?P<title>Herrn?|Hrn?\.?|Frau|Fr\.|Mrs?\.?|Ms\.?|Dr\.|Prof\.)(?:\s+(?:Dr|Prof)\.)*(?:\s+[A-ZÄÖÜ]\.)?"
    r"\s+(?P<name>[A-ZÄÖÜ][^\W\d_]*(?:[-'][A-ZÄÖÜ]?[^\W\d_]+)*)\b"
)
_TITLE_GATE = re.compile(r"H(?:err|r)|Frau|Fr\.|M[rs]|Dr\.|Prof\.")  # cheap: one of these is in every match of _PERSON
# "meine Frau Bescheid geben", "die Frau Geschäftsführerin": after these words "Frau" is no title.
_NOT_TITLE_AFTER = frozenset("meine meiner meinem seine seiner seinem ihre ihrer ihrem unsere unserer die der eine einer "
                             "jede jeder junge alte".split())


def _person(match: re.Match[str]) -> str:
    if match["title"] not in ("Frau", "Herr", "Herrn"):  # an abbreviated title is always one
        return " xxperson "
    if match["title"] == "Frau":  # "meine Frau" is no title; "der Herr Maier" is one
        before = match.string[max(0, match.start() - 12): match.start()].split()
        if before and before[-1] in _NOT_TITLE_AFTER:
            return match[0]
    from classifier.lexicon import word_concepts  # here: reading an export needs no lexicon

    return match[0] if word_concepts(fold(match["name"].lower())) else " xxperson "  # "Frau Geschäftsführerin": a role


def mask(text: str) -> str:
    """Replace e-mails, URLs, money, phone numbers, dates, quarters, years, numbers and titled names with placeholders.

    >>> mask("call back Q3 2027, budget 5k EUR, jk@acme.de")
    'call back xxquarter , budget xxmoney , xxemail'
    >>> mask("Hr. Dr. Maier meinte am 12/03, muss meine Frau Fragen")
    'xxperson meinte am xxdate , muss meine Frau Fragen'
    """
    if "@" in text or "www." in (low := text.lower()) or "http" in low:
        text = _ADDRESSES.sub(_placeholder, text)
    if _MAYBE_NUMBER.search(text):
        text = (_NUMBERS if _LETTER_DIGIT.search(text) else _NUMBERS_AT_DIGITS).sub(_placeholder, text)
    if _TITLE_GATE.search(text):
        text = _PERSON.sub(_person, text)
    return " ".join(text.split())


_EMAIL = _PLACEHOLDERS[0][0]
_PHONES = [p for p, name in _PLACEHOLDERS if name == " xxphone "]
# Addresses written to dodge scrapers: jane[at]example.com, jane (at) example (dot) com.
_OPEN, _CLOSE = r"\s?[\[({<]\s?", r"\s?[\])}>]\s?"
_EMAIL_OBFUSCATED = re.compile(
    rf"[\w.+-]+{_OPEN}(?:at|ät|@){_CLOSE}[\w-]+(?:(?:{_OPEN}(?:dot|punkt){_CLOSE}|\s(?:dot|punkt)\s|\.)[\w-]+)+",
    re.I,
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
# A phone-like run: digits with spaces, dots, dashes, slashes and brackets; checked by _is_phone.
_PHONE_RUN = re.compile(r"(?<![\w#€$£.,])(?:\+\s?|\(\s?)?\d(?:\d|[ ./-]{1,3}(?=[\d(])|\s?\(\d+\)\s?|\)\s?){5,30}(?<=\d)(?![\w€$£]|[.,]\d)")
_US_SHAPE = re.compile(r"\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}")
_NOT_PHONE = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})"  # a date
    r"|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
    r"|\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d{1,2})?"  # an amount
)
_CURRENCY_AFTER = re.compile(r"\s?(?:€|eur|euro|usd|\$|chf|gbp|£|dollars?|mio|tsd|k)\b", re.I)


def _iban_valid(text: str) -> bool:
    code = text.replace(" ", "")
    digits = "".join(str(int(ch, 36)) for ch in code[4:] + code[:4])
    return 15 <= len(code) <= 34 and int(digits) % 97 == 1


def _is_phone(match: re.Match[str]) -> bool:
    text = match.group()
    digits = sum(ch.isdigit() for ch in text)
    if not 7 <= digits <= 15 or _NOT_PHONE.fullmatch(text):
        return False
    if _CURRENCY_AFTER.match(match.string, match.end()):
        return False
    return text[0] in "+(0" or bool(_US_SHAPE.fullmatch(text))


def redact(text: str) -> str:
    """Mask e-mail addresses, IBANs and phone numbers in a note that a report quotes.

    Phone numbers in national and international formats (``(089) 123 45 67``, ``555.123.4567``,
    ``06 12 34 56 78``); dates, amounts and ticket numbers stay readable.

    >>> redact("mail jk@acme.de or call +49 171 2345678, no budget")
    'mail [e-mail] or call [phone], no budget'
    >>> redact("Tel.: 089 / 12 34 56-7 oder jane[at]example.com, Angebot 12.500 € vom 15.03.2024")
    'Tel.: [phone] oder [e-mail], Angebot 12.500 € vom 15.03.2024'
    """
    text = _IBAN.sub(lambda m: "[IBAN]" if _iban_valid(m.group()) else m.group(), text)
    text = _EMAIL.sub("[e-mail]", text)
    text = _EMAIL_OBFUSCATED.sub("[e-mail]", text)
    text = _PHONE_RUN.sub(lambda m: "[phone]" if _is_phone(m) else m.group(), text)
    for pattern in _PHONES:
        text = pattern.sub("[phone]", text)
    return text


def fold(text: str) -> str:
    """Fold German umlauts and ß so that 'Entscheidungsträger' meets 'Entscheidungstraeger'.

    >>> fold("Entscheidungsträger größer")
    'Entscheidungstraeger groesser'
    """
    return text.translate(_FOLD)


def is_empty_note(text: object) -> bool:
    """True for notes that carry no reason at all: empty, '-', 'n/a', 'NA', 'None', 'null', '?', '.'.

    Content-free but real words ("siehe Telefonat", "rejected") are *not* empty: the model
    handles them.

    >>> [is_empty_note(t) for t in ["", "--", "N/A", " None ", "?", "kein Budget", "rejected"]]
    [True, True, True, True, True, False, False]
    """
    if text is None:
        return True
    if isinstance(text, float) and text != text:
        return True
    text = str(text).strip()
    if len(text) > 32 and "<" not in text and "&" not in text:  # long plain text: empty only if no letter or digit
        return not any(ch.isalnum() for ch in text)
    stripped = clean(text).strip().lower()
    return stripped in _EMPTY_WORDS or bool(_ONLY_PUNCT.match(stripped))
