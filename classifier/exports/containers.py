"""Tables inside spreadsheets and archives: XLSX, HTML ``.xls``, SpreadsheetML, MHTML, JSON, Parquet, ZIP.

Each reader turns its container into a :class:`~classifier.exports.tables.Table` of text cells,
so the rest of the pipeline does not care where the table came from. Sheet-like
containers (XLSX, HTML, XML) are read whole and sliced into chunks; Parquet and JSON
Lines stream.
"""

from __future__ import annotations

import datetime as dt
import email
import json
import math
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd

from classifier.exports.roles import header_hits
from classifier.errors import InputError
from classifier.exports.tables import Chunk, Table, find_header
from classifier.exports.sniff import HEAD, brief, detect_encoding, not_a_table, text_kind

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


def _trim(row: Sequence[object]) -> list[str]:
    cells = [cell_text(v) for v in row]
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


def _hidden_columns(ws) -> list[int]:
    """0-based positions of hidden columns, read from the sheet XML (read-only mode lacks them)."""
    hidden: list[int] = []
    try:
        with ws._get_source() as src:
            for _, elem in ET.iterparse(src, events=("start",)):
                tag = elem.tag.rsplit("}", 1)[-1]
                if tag == "col" and elem.get("hidden") in ("1", "true"):
                    hidden += range(int(elem.get("min")) - 1, int(elem.get("max")))
                elif tag == "sheetData":
                    break
    except Exception:  # a private API of openpyxl: hidden columns are a nicety only
        return []
    offset = (ws.min_column or 1) - 1
    return [h - offset for h in hidden if h >= offset and h < 16384]


def read_xlsx(path: Path, name: str, chunksize: int | None, sheet: str | None) -> Table:
    """Read the sheet whose header fits the roles best (or ``sheet``); say which one."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"{name} looks like an Excel workbook but cannot be opened ({brief(exc)}); re-save it as XLSX or CSV")
    big = 0
    try:
        sheets = [ws for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible" or sheet]
        if not sheets:
            raise InputError(f"no data rows found in {name} (the workbook has no visible sheet)")
        heads = []
        for ws in sheets:
            ws.reset_dimensions()
            heads.append((ws.title, [_trim(r) for _, r in zip(range(30), ws.iter_rows(values_only=True))]))
        ws = sheets[_pick(heads, name, "sheet", sheet)]
        rows, lines = [], []
        for number, row in enumerate(ws.iter_rows(values_only=True), start=ws.min_row or 1):
            big += sum(isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) >= 1e15 for v in row)
            rows.append(_trim(row))
            lines.append(number)
        hidden = _hidden_columns(ws)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{name} looks like an Excel workbook but cannot be read ({brief(exc)}); re-save it as XLSX or CSV")
    finally:
        book.close()
    notices = []
    if len(sheets) > 1 or sheet:
        others = ", ".join(f"'{t}'" for t, _ in heads)
        notices.append(f"{name}: read sheet '{ws.title}' (sheets: {others})")
    if big:
        notices.append(f"{name}: {big} numbers have more than 15 digits; Excel keeps only 15, so their last digits "
                       "are lost (format ID columns as text before exporting)")
    return grid_table(rows, lines, name, chunksize, where=f" in sheet '{ws.title}'", hidden=hidden, notices=notices)


class _TableParser(HTMLParser):
    """Collect the cells of every ``<table>`` (entities unescaped, ``<br>`` kept as newlines)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._open: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._open.append([])
        elif tag == "tr" and self._open:
            self._open[-1].append([])
        elif tag in ("td", "th") and self._open:
            if not self._open[-1]:
                self._open[-1].append([])
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._open:
            text = "".join(self._cell)
            text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
            self._open[-1][-1] += [text] + [""] * (min(self._span, 100) - 1)
            self._cell = None
        elif tag in ("p", "div", "li") and self._cell is not None:
            self._cell.append("\n")
        elif tag == "table" and self._open:
            self.tables.append(self._open.pop())

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
        sheets = _spreadsheetml_sheets(ET.fromstring(data))
    except (ET.ParseError, ValueError) as exc:
        raise InputError(f"{name} is an Excel XML file that cannot be parsed ({brief(exc)}); export as CSV or XLSX instead")
    if not sheets:
        raise not_a_table(name, "an XML file without worksheets")
    choice = _pick([(n, r) for n, r, _ in sheets], name, "sheet", sheet)
    title, rows, lines = sheets[choice]
    notices = [f"{name}: read sheet '{title}' (sheets: {', '.join(repr(n) for n, _, _ in sheets)})"] if len(sheets) > 1 else []
    return grid_table(rows, lines, name, chunksize, where=f" in sheet '{title}'", notices=notices)


def _spreadsheetml_sheets(root: ET.Element) -> list[tuple[str, list[list[str]], list[int]]]:
    sheets = []
    for ws in root.iter(f"{_SS}Worksheet"):
        rows, lines, number = [], [], 0
        for row in ws.iter(f"{_SS}Row"):
            number = int(row.get(f"{_SS}Index", number + 1))
            cells: list[str] = []
            for cell in row.findall(f"{_SS}Cell"):
                index = int(cell.get(f"{_SS}Index", len(cells) + 1))
                cells += [""] * (index - 1 - len(cells))
                node = cell.find(f"{_SS}Data")
                text = "".join(node.itertext()) if node is not None else ""
                if node is not None and node.get(f"{_SS}Type") == "DateTime":
                    text = re.sub(r"T00:00:00(?:\.000)?$", "", text).replace("T", " ").removesuffix(".000")
                cells.append(text)
            rows.append(_trim(cells))
            lines.append(number)
        sheets.append((ws.get(f"{_SS}Name", f"Sheet{len(sheets) + 1}"), rows, lines))
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


def require_pyarrow() -> None:
    """Parquet support is an extra: say how to install it instead of raising ImportError."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InputError("Parquet needs pyarrow: pip install 'rejection-radar[parquet]', or use CSV or XLSX") from None


def read_parquet(path: Path, name: str, chunksize: int | None) -> Table:
    """Parquet: column names are the header; every value rendered as text."""
    require_pyarrow()
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
                except json.JSONDecodeError:
                    record = None
                (items.append((number, record)) if isinstance(record, dict) else bad.append(number))
    else:
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name} is not valid JSON (line {exc.lineno}: {exc.msg}); export as CSV or XLSX instead")
        records = records if isinstance(records, list) else []
        items = [(i + 1, r) for i, r in enumerate(records) if isinstance(r, dict)]
    keys: dict[str, None] = {}
    for _, record in items:
        keys.update(dict.fromkeys(map(str, record)))
    header = list(keys)
    rows = [[cell_text(record.get(k)) for k in header] for _, record in items]
    notices = [f"{name}: skipped lines {', '.join(map(str, bad[:10]))} that are not JSON objects"] if bad else []
    return grid_table(rows, [n for n, _ in items], name, chunksize, header=header, notices=notices)


def zip_members(path: Path, name: str) -> list[zipfile.ZipInfo] | str:
    """Members of a ZIP that may hold tables, or ``"xlsx"`` for an Excel workbook."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{name} looks like a ZIP archive but cannot be opened ({brief(exc)})")
    with archive:
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
