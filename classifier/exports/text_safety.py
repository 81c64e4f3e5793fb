"""Make untrusted text safe for where it goes: spreadsheet cells, Markdown and the terminal.

Pure functions over strings, used by the writers and renderers. Data (notes, owner, source and
column names, label titles from a taxonomy) is never trusted:

- :func:`neutralise_formula`: a cell that starts like a formula gets an apostrophe (OWASP).
- :func:`has_line_break`: CR, LF and every other Unicode line break, so CSV quotes the cell.
- :func:`for_terminal`: no escape sequences (CSI, OSC ...), C0/C1 controls or bidi overrides.
- :func:`markdown_text`: no raw HTML, links, images or table breaks in a Markdown report.

>>> neutralise_formula('=HYPERLINK("http://x")')
'\\'=HYPERLINK("http://x")'
>>> for_terminal("Tom\\x1b[2J\\x1b]0;pwned\\x07 Becker")
'Tom Becker'
>>> markdown_text("<script>x</script> | [a](javascript:b)")
'&lt;script&gt;x&lt;/script&gt; \\\\| \\\\[a\\\\](javascript:b)'
"""

from __future__ import annotations

import re

# Characters that start a formula in Excel, LibreOffice or Google Sheets (OWASP CSV injection).
FORMULA_START = "=+-@\t\r"
# Every line break a CSV reader or str.splitlines() may honour: CR, LF, VT, FF, FS, GS, RS, NEL, LS, PS.
LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK = re.compile(f"[{re.escape(LINE_BREAKS)}]")

# Whole escape sequences: CSI (ESC [ or C1 CSI) with parameters; OSC, DCS, SOS, PM and APC strings up
# to their terminator (BEL or ST); any other ESC sequence (intermediates plus one final byte).
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)
# C0 controls except TAB and LF, DEL, C1 controls, and the bidirectional formatting characters
# (ALM, LRM, RLM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI) that reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_LIKE = re.compile("[\n\t\u2028\u2029]")

# Markdown: characters with inline meaning are backslash-escaped; < > & become entities so no raw
# HTML, autolink or entity survives; a block marker at the start of a list item is escaped too.
_MARKDOWN_PUNCT = re.compile(r"([\\`*_\[\]|~])")
_MARKDOWN_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN_BLOCK_START = re.compile(r"^(\s*)(#{1,6}|[-+]|\d{1,9}[.)])(?=\s|$)")


def neutralise_formula(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would run it as a formula.

    >>> [neutralise_formula(t) for t in ["=1+1", "+49 89", "-", "@SUM(A1)", "\\t=1", "kein Budget"]]
    ["'=1+1", "'+49 89", "'-", "'@SUM(A1)", "'\\t=1", 'kein Budget']
    >>> neutralise_formula("")
    ''
    """
    return "'" + text if text[:1] and text[0] in FORMULA_START else text


def has_line_break(text: str) -> bool:
    """Whether ``text`` holds CR, LF or any other Unicode line break (then a CSV cell must be quoted).

    >>> [has_line_break(t) for t in ["a\\rb", "a\\u2028b", "a\\x85b", "a\\x0bb", "a\\tb", "ab"]]
    [True, True, True, True, False, False]
    """
    return _LINE_BREAK.search(text) is not None


def for_terminal(text: str, *, one_line: bool = False) -> str:
    """``text`` without escape sequences, control characters (but TAB and LF) or bidi overrides.

    A name such as ``"Tom\\x1b[2J"`` cannot clear the screen, set the window title, hide text with
    a carriage return or reorder a line. ``one_line`` also turns TAB, LF and LS/PS into spaces,
    for a table cell.

    >>> for_terminal("\\x1b[31mred\\x1b[0m \\x1b]8;;http://x\\x1b\\\\link\\x1b]8;;\\x1b\\\\ ok")
    'red link ok'
    >>> for_terminal("abc\\rxyz\\x00\\x08\\x7f\\x9b2J\\u202eevil\\u202c")
    'abcxyzevil'
    >>> for_terminal("two\\nlines\\tand tab")
    'two\\nlines\\tand tab'
    >>> for_terminal("two\\nlines\\tand tab\\u2028", one_line=True)
    'two lines and tab '
    >>> for_terminal("unterminated \\x1b]0;title")
    'unterminated 0;title'
    >>> for_terminal("Müller – Straße")
    'Müller – Straße'
    """
    text = _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
    return _LINE_LIKE.sub(" ", text) if one_line else text


def markdown_text(text: object) -> str:
    """``text`` as literal Markdown inline text, safe in a table cell, a list item or a heading.

    No raw HTML (``<`` ``>`` ``&`` become entities), no links or images (``[`` ``]`` escaped),
    no emphasis or code spans, ``|`` cannot split a table cell, line breaks become spaces and
    control characters are dropped (:func:`for_terminal`), as Markdown is often read in one.

    >>> markdown_text("![](http://t.example/p.png) <img src=x onerror=alert(1)>")
    '!\\\\[\\\\](http://t.example/p.png) &lt;img src=x onerror=alert(1)&gt;'
    >>> markdown_text("a|b\\nc *d* _e_ `f` \\\\ &amp;")
    'a\\\\|b c \\\\*d\\\\* \\\\_e\\\\_ \\\\`f\\\\` \\\\\\\\ &amp;amp;'
    >>> markdown_text("# not a heading"), markdown_text("1. not a list"), markdown_text("- x")
    ('\\\\# not a heading', '1\\\\. not a list', '\\\\- x')
    >>> markdown_text("Q3 2026 - 0.93"), markdown_text(None), markdown_text(42)
    ('Q3 2026 - 0.93', '', '42')
    """
    if text is None:
        return ""
    text = for_terminal(str(text), one_line=True)
    text = _LINE_BREAK.sub(" ", text)
    text = _MARKDOWN_PUNCT.sub(r"\\\1", text)
    text = "".join(_MARKDOWN_HTML.get(c, c) for c in text) if any(c in text for c in "&<>") else text
    return _MARKDOWN_BLOCK_START.sub(_escape_block_marker, text)


def _escape_block_marker(match: re.Match) -> str:
    marker = match.group(2)
    if marker[0].isdigit():
        return match.group(1) + marker[:-1] + "\\" + marker[-1]
    return match.group(1) + "\\" + marker
