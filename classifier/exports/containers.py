"""Tables inside spreadsheets and archives: XLSX, HTML ``.xls``, SpreadsheetML, MHTML, JSON, Parquet, ZIP.

Each reader turns its container into a :class:`~classifier.exports.tables.Table` of text cells,
so the rest of the pipeline does not care where the table came from. Sheet-like
containers (XLSX, HTML, XML) are read whole and sliced into chunks; Parquet and JSON
Lines stream.
"""

from __future__ import annotations

import datetime as dt
import email
import html
import json
import math
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd

from classifier.exports.roles import header_hits
from classifier.errors import InputError
from classifier.exports.tables import Chunk, Table, find_header
from classifier.exports.sniff import HEAD, brief, detect_encoding, not_a_table, text_kind
from classifier.exports.zip_reader import check_archive

_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def cell_text(value: object) -> str:
    """Render a typed cell as the text a user would see; integral floats lose their ``.0``."""
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _json_text(value: object) -> str:
    """A JSON value as cell text; a value nested too deeply to render becomes a short marker."""
    try:
        return cell_text(value)
    except RecursionError:
        return "[nested too deeply to show]"


def _trim(row: Sequence[object]) -> list[str]:
    cells = [v if v.__class__ is str else cell_text(v) for v in row]  # most cells are text: no call for them
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def grid_table(rows: list[list[str]], lines: list[int], name: str, chunksize: int | None, *,
               where: str = "", hidden: Sequence[int] = (), notices: list[str] | None = None,
               header: list[str] | None = None) -> Table:
    """A Table from rows of text cells; the header row is found below any title rows unless given."""
    notices = list(notices or [])
    found = find_header(rows) if header is None else -1
    if header is not None:
        start = 0
    elif found is None:
        width = max((len(r) for r in rows[:200]), default=1)
        header, start = [f"column {i + 1}" for i in range(width)], 0
        if rows:
            notices.append(f"{name}: no header row found{where}; treated row {lines[0]} as data")
    else:
        header, start = rows[found], found + 1  # type: ignore[index]
        titles = [" ".join(c for c in r if c.strip())[:40] for r in rows[:found] if any(c.strip() for c in r)]
        if titles:
            notices.append(f"{name}: skipped {found} rows above the header{where}: " + ", ".join(map(repr, titles[:3])))
    data, data_lines = rows[start:], lines[start:]
    width = max([len(header)] + [len(r) for r in data])
    if width > MAX_COLUMNS:
        raise InputError(f"{name} has {width:,} columns{where}; Rejection Radar reads at most {MAX_COLUMNS:,}: "
                         f"{_COLUMN_FIX}")
    header = header + [""] * (width - len(header))

    def chunks() -> Iterator[Chunk]:
        step = chunksize or max(1, len(data))
        for lo in range(0, max(1, len(data)), step):
            part = [r + [""] * (width - len(r)) for r in data[lo : lo + step]]
            frame = pd.DataFrame(part, columns=range(width), dtype=object) if part else pd.DataFrame(columns=range(width))
            frame = frame.fillna("").astype(str)
            frame.index = pd.RangeIndex(lo, lo + len(frame))
            yield Chunk(frame, np.asarray(data_lines[lo : lo + step], dtype=np.int64))

    return Table(header, chunks(), has_header=found is not None, notices=notices, hidden=set(hidden), total=len(data))


def _pick(candidates: list[tuple[str, list[list[str]]]], name: str, what: str, wanted: str | None) -> int:
    """Index of the sheet/table whose header fits best (or the one the user named)."""
    names = [n for n, _ in candidates]
    if wanted is not None:
        if wanted not in names:
            raise InputError(f"{name} has no {what} `{wanted}`; {what}s: " + ", ".join(f"`{n}`" for n in names))
        return names.index(wanted)
    nonempty = [i for i, (_, rows) in enumerate(candidates) if any(any(c.strip() for c in r) for r in rows)]
    if not nonempty:
        return 0

    def hits(i: int) -> int:
        return max((header_hits(r) for r in candidates[i][1][:30]), default=0)

    return max(nonempty, key=lambda i: (hits(i) >= 2, hits(i), -i))


MAX_COLUMNS = 2000  # wider sheets are hostile or broken ("export all properties" from HubSpot gives ~1,000)
SPARSE_CELLS = 10_000_000  # a grid (rows x columns) this big must be at least half filled: about 400 MB once read
MAX_CELLS = 50_000_000  # any grid: about 2 GB once read; bigger sheets go by CSV, which streams
_COLUMN_FIX = "delete the columns right of the table (or the stray cell far to the right) and save again, or export as CSV"
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')
_ANY_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')  # only cells have a reference with letters
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)((?:\s[^>]*?)?)(/?)>")
_REF_ATTR = re.compile(rb'\br="([A-Z]{0,3})([0-9]{0,7})"')
_COL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?col\s[^>]*>")


def column_number(letters: bytes | str) -> int:
    """1-based column number of Excel column letters.

    >>> column_number("A"), column_number("XFD")
    (1, 16384)
    """
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    """Excel column letters of a 1-based column number.

    >>> column_letters(1000), column_letters(16384)
    ('ALL', 'XFD')
    """
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass
class SheetExtent:
    """What a sheet XML holds, found by a streaming scan before any reader builds a grid."""

    cells: int = 0  # cells with a value
    top: int = 0  # first and last row and column (1-based) holding a value; 0 when none
    bottom: int = 0
    left: int = 0
    right: int = 0
    hidden: list[int] = field(default_factory=list)  # 1-based hidden columns (at most MAX_COLUMNS)

    def add(self, row: int, col: int) -> None:
        self.cells += 1
        self.top = min(self.top, row) if self.top else row
        self.bottom = max(self.bottom, row)
        self.left = min(self.left, col) if self.left else col
        self.right = max(self.right, col)


def _xml_blocks(archive: zipfile.ZipFile, member: str, size: int = 1 << 22) -> Iterator[bytes]:
    """The member's bytes in blocks that end just before a ``<`` (no tag is cut in two)."""
    carry = b""
    with archive.open(member) as f:
        while True:
            data = f.read(size)
            if not data:
                if carry:
                    yield carry
                return
            data = carry + data
            cut = data.rfind(b"<")
            if cut <= 0:
                carry = data if len(data) < (1 << 24) else b""  # no tag in 16 MB: garbage, drop it
                continue
            carry = data[cut:]
            yield data[:cut]


def _hidden(tag: bytes, hidden: list[int]) -> None:
    attrs = dict(re.findall(rb'\b(min|max|hidden)="([^"]*)"', tag))
    if attrs.get(b"hidden") not in (b"1", b"true") or not attrs.get(b"min", b"").isdigit():
        return
    lo = int(attrs[b"min"])
    hi = int(attrs[b"max"]) if attrs.get(b"max", b"").isdigit() else lo
    hidden += range(lo, min(hi, MAX_COLUMNS) + 1)  # columns beyond the cap cannot hold data we read
    del hidden[MAX_COLUMNS:]


def _scan_sheet(archive: zipfile.ZipFile, member: str, precise: bool = False) -> SheetExtent:
    """Rows, columns and cells of one sheet XML, streamed (never a grid).

    The quick pass counts every referenced cell, empty or not (an upper bound: readers skip
    empty cells); the precise pass, run only when the quick one finds a grid too big, counts
    cells with a value, as readers do.
    """
    extent = SheetExtent()
    missing, in_cols = False, True
    for block in _xml_blocks(archive, member):
        if in_cols:
            head = block.split(b"sheetData", 1)[0]
            for tag in _COL_TAG.findall(head):
                _hidden(tag, extent.hidden)
            in_cols = len(head) == len(block)
        if precise:
            refs = _CELL_REF.findall(block)
            for letters, row, empty in refs:
                if not empty:
                    extent.add(int(row), column_number(letters))
        else:
            refs = _ANY_REF.findall(block)  # (column letters, row digits) of every referenced cell, one pass
            if refs:
                columns = [column_number(c) for c in {letters for letters, _ in refs}]
                bottom = max(map(int, {row for _, row in refs}))  # cells of a row share its number: few ints
                extent.add(1, min(columns))  # top row 1: an upper bound of the grid is enough here
                extent.add(bottom, max(columns))
                extent.cells += len(refs) - 2
        if not missing:
            tags = block.count(b"<c ") + block.count(b"<c>") + block.count(b"<c/")
            if b":c " in block or b":c>" in block or b":c/" in block:
                tags = len(_CELL_TAG.findall(block))
            missing = tags > len(refs)
    if missing:  # some cells carry no reference: count positions the way readers do (slower, and rare)
        extent = SheetExtent(hidden=extent.hidden)
        row = col = 0
        for block in _xml_blocks(archive, member):
            for tag, attrs, empty in _ROW_OR_CELL.findall(block):
                ref = _REF_ATTR.search(attrs)
                if tag == b"row":
                    row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                    col = 0
                    continue
                col = column_number(ref.group(1)) if ref and ref.group(1) else col + 1
                if not empty:
                    extent.add(max(row, 1), col)
    return extent


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> XML member of an XLSX workbook (empty when the workbook XML is unusual)."""
    try:
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        ident, target = re.search(r'\bId="([^"]*)"', tag), re.search(r'\bTarget="([^"]*)"', tag)
        if ident and target:
            path = target.group(1)
            targets[ident.group(1)] = path.lstrip("/") if path.startswith("/") else "xl/" + path
    out = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        name, ident = re.search(r'\bname="([^"]*)"', tag), re.search(r'\b(?:\w+:)?id="([^"]*)"', tag)
        if name and ident and ident.group(1) in targets:
            out[html.unescape(name.group(1))] = targets[ident.group(1)]
    return out


def _too_big(extent: SheetExtent) -> bool:
    width = extent.right - extent.left + 1 if extent.cells else 0
    grid = width * (extent.bottom - extent.top + 1) if extent.cells else 0
    return width > MAX_COLUMNS or grid > MAX_CELLS or (grid > SPARSE_CELLS and grid > 2 * extent.cells)


def check_xlsx(path: Path, name: str) -> dict[str, SheetExtent]:
    """Scan every worksheet of an XLSX before reading it; raise InputError for grids that would not fit.

    The archive is checked first (:func:`check_archive`: ratio, size, members), then sheets
    wider than ``MAX_COLUMNS`` or whose grid would exceed ``MAX_CELLS`` are refused. Readers
    build a dense grid from the first to the last cell, so one stray cell at ``XFD1048576``
    would otherwise cost 17 billion cells. Returns the extent of each sheet by name.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{name} looks like an Excel workbook but cannot be opened ({brief(exc)}); "
                         "re-save it as XLSX or CSV")
    extents = {}
    with archive:
        check_archive(archive, name)
        members = _sheet_members(archive)
        if not members:
            members = {n: n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}
        for sheet, member in members.items():
            try:
                extent = _scan_sheet(archive, member)
                if _too_big(extent):
                    extent = _scan_sheet(archive, member, precise=True)
            except KeyError:
                continue
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, zlib.error) as exc:
                raise InputError(f"{name} looks like an Excel workbook but cannot be read ({brief(exc)}); "
                                 "re-save it as XLSX or CSV")
            width = extent.right - extent.left + 1 if extent.cells else 0
            if width > MAX_COLUMNS:
                raise InputError(
                    f"{name}: sheet '{sheet}' has cells across {width:,} columns (up to cell "
                    f"{column_letters(extent.right)}{extent.bottom}); Rejection Radar reads at most "
                    f"{MAX_COLUMNS:,} columns: {_COLUMN_FIX}")
            grid = width * (extent.bottom - extent.top + 1) if extent.cells else 0
            if grid > MAX_CELLS or (grid > SPARSE_CELLS and grid > 2 * extent.cells):
                what = f" but only {extent.cells:,} hold a value" if grid > 2 * extent.cells else ""
                raise InputError(
                    f"{name}: sheet '{sheet}' spans {grid:,} cells (rows {extent.top:,} to {extent.bottom:,} across "
                    f"{width:,} columns){what}, too many to read from an Excel file: delete stray cells far below "
                    "the table and save again, or export as CSV (CSV files are streamed)")
            extents[sheet] = extent
    return extents


def read_xlsx(path: Path, name: str, chunksize: int | None, sheet: str | None) -> Table:
    """Read the sheet whose header fits the roles best (or ``sheet``); say which one.

    The workbook is scanned first (:func:`check_xlsx`), then python-calamine reads the cells
    (about 25 times faster than openpyxl).
    """
    from python_calamine import CalamineWorkbook

    extents = check_xlsx(path, name)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise InputError(f"{name} looks like an Excel workbook but cannot be opened ({brief(exc)}); "
                         "re-save it as XLSX or CSV")
    big = 0
    try:
        meta = [m for m in book.sheets_metadata if str(m.typ).endswith("WorkSheet")]
        titles = [m.name for m in meta if sheet or str(m.visible).endswith(".Visible")]
        if not titles:
            raise InputError(f"no data rows found in {name} (the workbook has no visible sheet)")
        if extents and set(titles) - set(extents):
            missing = ", ".join(f"'{t}'" for t in titles if t not in extents)
            raise InputError(f"{name} looks like an Excel workbook but sheets {missing} cannot be found in it; "
                             "re-save it as XLSX or CSV")
        grids = {}
        for title in titles:
            ws = book.get_sheet_by_name(title)
            grids[title] = (ws.start, ws.to_python(skip_empty_area=True))
        heads = [(t, [_trim(r) for r in grid[:30]]) for t, (_, grid) in grids.items()]
        title = heads[_pick(heads, name, "sheet", sheet)][0]
        (top, left), grid = grids.pop(title)
        grids.clear()
        rows, lines = [], []
        for number, row in enumerate(grid, start=(top or 0) + 1):
            big += sum(1 for v in row if v.__class__ in (int, float) and abs(v) >= 1e15)
            rows.append(_trim(row))
            lines.append(number)
        del grid
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{name} looks like an Excel workbook but cannot be read ({brief(exc)}); "
                         "re-save it as XLSX or CSV")
    finally:
        book.close()
    left = left or 0
    hidden = [h - 1 - left for h in extents.get(title, SheetExtent()).hidden if h - 1 >= left]
    notices = []
    if len(heads) > 1 or sheet:
        others = ", ".join(f"'{t}'" for t, _ in heads)
        notices.append(f"{name}: read sheet '{title}' (sheets: {others})")
    if big:
        notices.append(f"{name}: {big} numbers have more than 15 digits; Excel keeps only 15, so their last digits "
                       "are lost (format ID columns as text before exporting)")
    return grid_table(rows, lines, name, chunksize, where=f" in sheet '{title}'", hidden=hidden, notices=notices)


class _TableParser(HTMLParser):
    """Collect the cells of every ``<table>`` (entities unescaped, ``<br>`` kept as newlines)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._open: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._span = 1
        self._rowspan = 1
        self._down: list[dict[int, list]] = []  # per open table: column -> [rows left, text] of a rowspan

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._open.append([])
            self._down.append({})
        elif tag == "tr" and self._open:
            self._pad()
            self._open[-1].append([])
        elif tag in ("td", "th") and self._open:
            if not self._open[-1]:
                self._open[-1].append([])
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
            down = dict(attrs).get("rowspan") or "1"
            self._rowspan = min(int(down), 10_000) if down.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._open:
            text = "".join(self._cell)
            text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
            self._pad()
            row, cells = self._open[-1][-1], [text] + [""] * (min(self._span, 100) - 1)
            if self._rowspan > 1 and self._down:
                for i, cell in enumerate(cells):
                    self._down[-1][len(row) + i] = [self._rowspan - 1, cell]
            row += cells
            self._cell = None
        elif tag == "tr" and self._open:
            self._pad()
        elif tag in ("p", "div", "li") and self._cell is not None:
            self._cell.append("\n")
        elif tag == "table" and self._open:
            self._pad()
            self.tables.append(self._open.pop())
            if self._down:
                self._down.pop()

    def _pad(self) -> None:
        """Repeat cells of an earlier row's ``rowspan`` at their columns, so later cells do not shift."""
        if not self._open or not self._open[-1] or not self._down or not self._down[-1]:
            return
        row, down = self._open[-1][-1], self._down[-1]
        while len(row) in down:
            entry = down[len(row)]
            row.append(entry[1])
            entry[0] -= 1
            if entry[0] <= 0:
                del down[len(row) - 1]

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_html(text: str, name: str, chunksize: int | None) -> Table:
    """The best-fitting ``<table>`` of an HTML page (Salesforce "Details Only" ``.xls``)."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    tables = [t for t in parser.tables + parser._open if any(any(c.strip() for c in r) for r in t)]
    if not tables:
        raise not_a_table(name, "an HTML page without a table")
    choice = max(range(len(tables)), key=lambda i: (max(header_hits(r) for r in tables[i][:30]) >= 2, len(tables[i])))
    rows = [_trim(r) for r in tables[choice]]
    notices = [f"{name}: read HTML table {choice + 1} of {len(tables)}"] if len(tables) > 1 else []
    return grid_table(rows, list(range(1, len(rows) + 1)), name, chunksize, where=" (HTML table)", notices=notices)


def read_mhtml(data: bytes, name: str, chunksize: int | None) -> Table:
    """Excel "single file web page" (.mht): the HTML parts hold the tables."""
    message = email.message_from_bytes(data)
    parts = []
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            try:
                parts.append(payload.decode(charset) if charset else detect_encoding(payload).decode(payload))
            except (LookupError, UnicodeDecodeError):
                parts.append(detect_encoding(payload).decode(payload))
    if not parts:
        raise not_a_table(name, "an MHTML file without HTML")
    return read_html("\n".join(parts), name, chunksize)


def read_spreadsheetml(data: bytes, name: str, chunksize: int | None, sheet: str | None) -> Table:
    """Excel 2003 XML (SpreadsheetML): ``Worksheet/Table/Row/Cell/Data``."""
    try:
        sheets = _spreadsheetml_sheets(ET.fromstring(data), name)
    except (ET.ParseError, ValueError) as exc:
        raise InputError(f"{name} is an Excel XML file that cannot be parsed ({brief(exc)}); export as CSV or XLSX instead")
    if not sheets:
        raise not_a_table(name, "an XML file without worksheets")
    choice = _pick([(n, r) for n, r, _ in sheets], name, "sheet", sheet)
    title, rows, lines = sheets[choice]
    notices = [f"{name}: read sheet '{title}' (sheets: {', '.join(repr(n) for n, _, _ in sheets)})"] if len(sheets) > 1 else []
    return grid_table(rows, lines, name, chunksize, where=f" in sheet '{title}'", notices=notices)


def _spreadsheetml_sheets(root: ET.Element, name: str) -> list[tuple[str, list[list[str]], list[int]]]:
    sheets = []
    for ws in root.iter(f"{_SS}Worksheet"):
        rows, lines, number, padded, filled = [], [], 0, 0, 0
        title = ws.get(f"{_SS}Name", f"Sheet{len(sheets) + 1}")
        for row in ws.iter(f"{_SS}Row"):
            number = int(row.get(f"{_SS}Index", number + 1))
            cells: list[str] = []
            for cell in row.findall(f"{_SS}Cell"):
                index = int(cell.get(f"{_SS}Index", len(cells) + 1))
                if index > MAX_COLUMNS:  # a cell far to the right would pad the row with millions of blanks
                    raise InputError(
                        f"{name}: sheet '{title}' has a cell in column {index:,} (row {number:,}); Rejection Radar "
                        f"reads at most {MAX_COLUMNS:,} columns: {_COLUMN_FIX}")
                padded += max(0, index - 1 - len(cells))
                filled += 1
                if padded > SPARSE_CELLS and padded > filled:
                    raise InputError(
                        f"{name}: sheet '{title}' spreads {filled:,} cells among {padded:,} blank ones (cells "
                        "with far-apart ss:Index), too many to read: delete stray cells and save again, or export "
                        "as CSV")
                cells += [""] * (index - 1 - len(cells))
                node = cell.find(f"{_SS}Data")
                text = "".join(node.itertext()) if node is not None else ""
                if node is not None and node.get(f"{_SS}Type") == "DateTime":
                    text = re.sub(r"T00:00:00(?:\.000)?$", "", text).replace("T", " ").removesuffix(".000")
                cells.append(text)
            rows.append(_trim(cells))
            lines.append(number)
        sheets.append((title, rows, lines))
    return sheets


def _frame_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for i, column in enumerate(frame.columns):
        s = frame[column]
        if pd.api.types.is_string_dtype(s.dtype) and not pd.api.types.is_object_dtype(s.dtype):
            out[i] = s.fillna("").astype(str)
        else:
            out[i] = s.astype(object).map(cell_text).astype(str)
    return pd.DataFrame(out, index=frame.index)


def read_parquet(path: Path, name: str, chunksize: int | None) -> Table:
    """Parquet: column names are the header; every value rendered as text."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:
        raise InputError(f"{name} looks like Parquet but cannot be read ({brief(exc)})")
    header = [str(c) for c in parquet.schema_arrow.names]

    def batches() -> Iterator:
        try:
            yield from parquet.iter_batches(batch_size=chunksize or 65536)
        except Exception as exc:
            raise InputError(f"{name} is a damaged Parquet file ({brief(exc)})") from exc

    def chunks() -> Iterator[Chunk]:
        done = 0
        for batch in batches():
            frame = _frame_text(batch.to_pandas())
            frame.index = pd.RangeIndex(done, done + len(frame))
            yield Chunk(frame, np.arange(done + 1, done + 1 + len(frame)))
            done += len(frame)
        if not done:
            yield Chunk(pd.DataFrame(columns=range(len(header)), dtype=str), np.zeros(0, dtype=np.int64))

    return Table(header, _merge(chunks(), chunksize), total=parquet.metadata.num_rows)


def _merge(chunks: Iterator[Chunk], chunksize: int | None) -> Iterator[Chunk]:
    """Concatenate chunks into one when the caller wants the whole table at once."""
    if chunksize:
        yield from chunks
        return
    parts = list(chunks)
    yield Chunk(pd.concat([p.frame for p in parts]), np.concatenate([p.lines for p in parts]))


def read_json(path: Path, name: str, chunksize: int | None, lines: bool) -> Table:
    """JSON Lines (one object per line) or a JSON array of objects; keys in first-seen order."""
    data = path.read_bytes()
    enc = detect_encoding(data[:HEAD])
    text = enc.decode(data)
    bad: list[int] = []
    if lines:
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, RecursionError):  # nested 100k deep: skipped and reported
                    record = None
                (items.append((number, record)) if isinstance(record, dict) else bad.append(number))
    else:
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name} is not valid JSON (line {exc.lineno}: {exc.msg}); export as CSV or XLSX instead")
        except RecursionError:
            raise InputError(f"{name} nests JSON arrays or objects too deeply to read; export as CSV or XLSX "
                             "instead") from None
        if isinstance(records, dict):  # an envelope such as {"results": [...]}: its list of objects
            records = next((v for v in records.values() if isinstance(v, list) and any(isinstance(r, dict) for r in v)),
                           [records])
        records = records if isinstance(records, list) else []
        items = [(i + 1, r) for i, r in enumerate(records) if isinstance(r, dict)]
    keys: dict[str, None] = {}
    filled = 0
    for number, record in items:
        keys.update(dict.fromkeys(map(str, record)))
        filled += len(record)
        if len(keys) > MAX_COLUMNS:
            raise InputError(f"{name}: the records up to line {number:,} have more than {MAX_COLUMNS:,} different "
                             "keys, more columns than Rejection Radar reads: export only the fields you need")
        if len(keys) * len(items) > SPARSE_CELLS and len(keys) * len(items) > 2 * filled + 2 * len(items):
            raise InputError(f"{name}: its {len(items):,} records have {len(keys):,} different keys but few in "
                             "common, a table too sparse to read: export only the fields you need")
    header = list(keys)
    rows = [[_json_text(record.get(k)) for k in header] for _, record in items]
    notices = [f"{name}: skipped lines {', '.join(map(str, bad[:10]))} that are not JSON objects"] if bad else []
    return grid_table(rows, [n for n, _ in items], name, chunksize, header=header, notices=notices)


def zip_members(path: Path, name: str) -> list[zipfile.ZipInfo] | str:
    """Members of a ZIP that may hold tables, or ``"xlsx"`` for an Excel workbook."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{name} looks like a ZIP archive but cannot be opened ({brief(exc)})")
    with archive:
        check_archive(archive, name)
        names = archive.namelist()
        if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("word/") for n in names):
                raise not_a_table(name, "a Word document")
            if any(n.startswith("ppt/") for n in names):
                raise not_a_table(name, "a PowerPoint presentation")
        if "mimetype" in names:
            kind = archive.read("mimetype")[:100].decode("ascii", "replace")
            if "spreadsheet" in kind:
                raise not_a_table(name, "an OpenDocument spreadsheet (.ods)")
            raise not_a_table(name, "an OpenDocument file")
        members = [
            info for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")
            and not Path(info.filename).name.startswith(".")
        ]
    return sorted(members, key=lambda i: i.filename)


def read_text_container(path: Path, name: str, head: bytes, chunksize: int | None, sheet: str | None) -> Table | None:
    """Tables in non-CSV text (HTML, SpreadsheetML, MHTML, JSON); None for plain CSV/TSV."""
    enc = detect_encoding(head, final=path.stat().st_size <= len(head))
    kind = text_kind(enc.decode(head, final=False))
    if kind == "csv":
        return None
    if kind == "html":
        return read_html(enc.decode(path.read_bytes()), name, chunksize)
    if kind == "spreadsheetml":
        return read_spreadsheetml(path.read_bytes(), name, chunksize, sheet)
    if kind == "mhtml":
        return read_mhtml(path.read_bytes(), name, chunksize)
    if kind in ("jsonl", "json"):
        return read_json(path, name, chunksize, lines=kind == "jsonl")
    raise not_a_table(name, "an XML file that is not an Excel 2003 XML spreadsheet")
