"""Plain-text clean-up of notes before spaCy sees them: HTML, Unicode, placeholders, folding.

Everything here is a pure ``str -> str`` (or ``str -> bool``) function built from compiled
regular expressions, so it is cheap enough to run on millions of notes.
"""

from __future__ import annotations

import html
import re
import unicodedata

_BLOCK_TAG = re.compile(r"<\s*(?:br|/?p|/?div|/?li|/?ul|/?ol|/?tr|/?h[1-6])\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,300}>")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
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
    """
    if "<" not in text and "&" not in text:
        return text
    for _ in range(2):
        if "&" in text:
            text = html.unescape(text)
        if "<" in text:
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
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return _SPACES.sub(" ", text.replace("\r", "\n")).strip()


# Two passes at most: addresses (only when the text has '@' or a URL), then everything with
# digits (only when it has one), each as one regex whose alternatives keep the order above.
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
_MAYBE_ADDRESS = re.compile(r"@|www\.|https?:", re.I)
_MAYBE_NUMBER = re.compile(r"[\d€$£]")


def _placeholder(match: re.Match) -> str:
    return _PLACEHOLDERS[int(match.lastgroup[1:])][1]


def mask(text: str) -> str:
    """Replace e-mails, URLs, money, phone numbers, dates, quarters, years and numbers with placeholders.

    >>> mask("call back Q3 2027, budget 5k EUR, jk@acme.de")
    'call back xxquarter , budget xxmoney , xxemail'
    """
    if _MAYBE_ADDRESS.search(text):
        text = _ADDRESSES.sub(_placeholder, text)
    if _MAYBE_NUMBER.search(text):
        text = _NUMBERS.sub(_placeholder, text)
    return " ".join(text.split())


_EMAIL = _PLACEHOLDERS[0][0]
_PHONES = [p for p, name in _PLACEHOLDERS if name == " xxphone "]


def redact(text: str) -> str:
    """Mask e-mail addresses and phone numbers in a note that a report quotes.

    >>> redact("mail jk@acme.de or call +49 171 2345678, no budget")
    'mail [e-mail] or call [phone], no budget'
    """
    text = _EMAIL.sub("[e-mail]", text)
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
