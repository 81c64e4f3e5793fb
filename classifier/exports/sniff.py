"""Recognise what a file is from its first bytes, and how its text is encoded.

Extensions lie (a Salesforce "Details Only" ``.xls`` is an HTML table), so the container is
read from magic bytes and the text from a BOM, strict UTF-8, or Windows-1252; never
Latin-1 by accident. Whole-file checks (a few bad bytes far down) live in ``csvread``.

>>> detect_encoding("Grund;Müller".encode("cp1252")).label
'Windows-1252'
>>> text_kind('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">')
'spreadsheetml'
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from classifier.errors import InputError

HEAD = 64 * 1024

_MAGIC = [
    (b"%PDF", "PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
]
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


@dataclass(frozen=True)
class Encoding:
    """How the text of a file is encoded: codec of the body, BOM length, label for notices."""

    codec: str
    bom: int = 0
    label: str = "UTF-8"

    def decode(self, data: bytes, final: bool = True) -> str:
        """Decode bytes after the BOM with replacement; an incomplete tail is dropped unless final."""
        decoder = codecs.getincrementaldecoder(self.codec)(errors="replace")
        return decoder.decode(data[self.bom :], final=final)


UTF8 = Encoding("utf-8", 0, "UTF-8")
CP1252 = Encoding("cp1252", 0, "Windows-1252")


def brief(exc: BaseException) -> str:
    """First line of an exception message, for one-line errors."""
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def not_a_table(name: str, what: str) -> InputError:
    """The one-line error for files that are not tables."""
    if what.startswith("an Excel 97") or "OpenDocument" in what or "XML" in what or "legacy" in what:
        return InputError(f"{name} is {what}, which cannot be read: export as CSV or XLSX instead")
    return InputError(f"{name} is not a CSV or Excel file (looks like {what})")


def sniff_container(head: bytes, name: str) -> str:
    """``"zip"``, ``"parquet"`` or ``"text"``; raises InputError for PDFs, images, Word and binaries."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"PAR1"):
        return "parquet"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise not_a_table(name, what)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise not_a_table(name, "a WebP image")
    if head.startswith(_OLE):
        if "Workbook".encode("utf-16-le") in head or b"Workbook" in head:
            raise not_a_table(name, "an Excel 97-2003 workbook (.xls)")
        if "WordDocument".encode("utf-16-le") in head:
            raise not_a_table(name, "a Word document")
        raise not_a_table(name, "an Office 97-2003 file (Word or Excel)")
    return "text"


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 3 * max(even, 1):
        return "utf-16-le"
    if even > 3 * max(odd, 1):
        return "utf-16-be"
    return None


def utf8_stats(data: bytes, final: bool = True) -> tuple[int, int]:
    """(undecodable bytes, valid non-ASCII characters) when ``data`` is read as UTF-8."""
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(data, final=final)
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return bad, non_ascii - bad


def choose_utf8(bad: int, good: int) -> bool:
    """A few bad bytes in otherwise valid UTF-8 stay UTF-8 (replaced and reported); else cp1252."""
    return bad == 0 or (good > 0 and bad <= good)


def detect_encoding(head: bytes, final: bool = True) -> Encoding:
    """BOM first, then UTF-16 by its NUL pattern, then strict UTF-8, then Windows-1252.

    A UTF-16 BOM whose body has no NUL byte at all is a stray BOM (UTF-16 text always holds
    NULs in its line ends and delimiters): the body is read as UTF-8 or a single-byte code page.
    When the Windows-1252 reading looks wrong, Windows-1250 and Mac Roman are tried.
    """
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            if codec.startswith("utf-16") and len(head) >= len(bom) + 8 and b"\x00" not in head[len(bom) : 4096]:
                body = head[len(bom) :]
                enc = UTF8 if choose_utf8(*utf8_stats(body, final)) else _single_byte(body)
                return Encoding(enc.codec, len(bom), f"{enc.label} (after a stray UTF-16 byte-order mark)")
            return Encoding(codec, len(bom), label)
    codec = _utf16_without_bom(head)
    if codec:
        return Encoding(codec, 0, "UTF-16 (no BOM)")
    bad, good = utf8_stats(head, final)
    return UTF8 if choose_utf8(bad, good) else _single_byte(head)


# Letters that, between two letters, betray a wrong single-byte code page: Mac Roman German read as
# Windows-1252 gives Ÿ š Š § † (ü ö ä ß Ü); Windows-1250 Czech/Polish gives ø ³ ¹ ¿ (ř ł ą ż).
# Letters of French, Italian or Portuguese words (è û ì ù ò õ œ) are not on the list; "§3" does not count.
_ODD = "ŸŠšŽž§†‡‰ø³¹¿ŕĺ¤˘˙√∂∆◊ﬁﬂı"
_ODD_IN_WORD = re.compile(rf"(?<=[^\W\d_])[{_ODD}](?=[^\W\d_])")
_PUNCT = set("€–—„“”‘’‚«»‹›°·…•§")
_SINGLE_BYTE = {"cp1250": "Windows-1250 (Central European)", "mac_roman": "Mac Roman"}
_NATIVE = {"cp1250": set("ŠšŽžŕĺ"), "mac_roman": set()}  # tell-tales in cp1252, letters in the candidate


def _odd_letters(text: str, native: set[str] = frozenset()) -> int:
    return sum(ch not in native for ch in _ODD_IN_WORD.findall(text))


def _clean(text: str, codec: str) -> bool:
    """No tell-tale letters, and every non-ASCII character a letter or common punctuation."""
    return not _odd_letters(text, _NATIVE[codec]) and all(ch.isalpha() or ch in _PUNCT for ch in text if ord(ch) > 127)


def _single_byte(head: bytes) -> Encoding:
    """Windows-1252, unless its reading looks wrong and Windows-1250 or Mac Roman reads clean.

    charset-normalizer, restricted to these three code pages, ranks the candidates; a candidate
    is taken only where Windows-1252 shows several tell-tale letters, if its own reading is clean
    (:func:`_clean`) and reads as a language, so French ``déjà`` and arbitrary Windows-1252 text
    stay Windows-1252.

    >>> _single_byte("Kunde Müller möchte später, Größe passt nicht".encode("mac_roman")).label
    'Mac Roman'
    >>> _single_byte("Müller, déjà vu, Größe".encode("cp1252")).label
    'Windows-1252'
    """
    text = head.decode("cp1252", errors="replace")
    found = _ODD_IN_WORD.findall(text)
    if len(found) < 4 and (len(found) < 2 or len(set(found)) < 2):  # a name ("Søren") is no evidence
        return CP1252
    from charset_normalizer import from_bytes  # only for the rare file that needs it

    for match in from_bytes(head, cp_isolation=["cp1252", "cp1250", "mac_roman"]):
        codec = match.encoding
        other = head.decode(codec, errors="replace") if codec in _SINGLE_BYTE else text
        if other != text and match.coherence >= 0.2 and _clean(other, codec):  # coherence: reads as a language
            return Encoding(codec, 0, _SINGLE_BYTE[codec])
    return CP1252


def check_text(text: str, name: str) -> None:
    """Raise InputError if decoded text is really binary data (NUL bytes, control characters)."""
    sample = text[:HEAD]
    if not sample:
        return
    controls = len(_CONTROL.findall(sample))
    if "\x00" in sample or controls > max(3, len(sample) // 100):
        raise not_a_table(name, "binary data")
    if sample.count("\ufffd") > max(8, len(sample) // 20):
        raise not_a_table(name, "binary data")


def text_kind(text: str) -> str:
    """What a text file holds: csv, html, spreadsheetml, mhtml, jsonl, json or xml."""
    start = text.lstrip("\ufeff \t\r\n")[:4096]
    low = start.lower()
    if low.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in low:
            return "spreadsheetml"
        return "html" if "<html" in low or "<table" in low else "xml"
    if low.startswith(("<!doctype html", "<html", "<table", "<head", "<body", "<meta", "<style")):
        return "html"
    if low.startswith("mime-version:") or (low.startswith(("from:", "content-type:")) and "multipart/" in low):
        return "mhtml"
    if low.startswith("{"):
        # JSON Lines put a whole object on each line; a pretty-printed document ({"results": [...]}) does not.
        first = start.split("\n", 1)
        return "jsonl" if len(first) == 1 or first[0].rstrip().endswith("}") else "json"
    if low.startswith("[") and re.match(r"\[\s*(\{|\])", low):
        return "json"
    if low.startswith("<") and "<table" in text[:HEAD].lower():
        return "html"
    return "csv"
