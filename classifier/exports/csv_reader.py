"""Read delimited text exports: dialect from the head, one structural scan, pandas for the data.

1. The head (64 KB) gives the delimiter (``, ; \\t |`` by constant field count, quotes
   respected, a ``sep=;`` line honoured, else a single column) and the header row.
2. One streaming pass with the C ``csv`` module checks the whole file: undecodable bytes
   (line numbers), mojibake, field counts of every record (ragged rows), multi-line
   records (to give each row its line number) and a quote that never closes.
3. pandas' C parser then reads the data from the byte after the header, as text only
   (``dtype=str, keep_default_na=False, na_filter=False``), in chunks. A file whose quote
   never closes is read by the ``csv`` module, quote-less from the line where it opened.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import signal
from array import array
from collections import Counter, deque
from collections.abc import Collection, Iterator
from itertools import chain
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from classifier.errors import InputError
from classifier.exports.roles import header_hits, header_score
from classifier.exports.tables import Chunk, Table, find_header
from classifier.exports.sniff import CP1252, UTF8, Encoding, check_text, choose_utf8

csv.field_size_limit(2**31 - 1)

CANDIDATES = (",", ";", "\t", "|")
SINGLE = "\x1f"  # placeholder delimiter for one-column files
NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
BLOCK = 1 << 20
MAX_HEAD = 16 << 20  # the header row (with any lines above it) must fit in this much
MAX_PADDED = 10_000_000  # rows x widest row: beyond this a row far wider than the header is refused
_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.I)
_LINE_END = re.compile(rb"\r\n|\r|\n")
MOJIBAKE = re.compile(
    "Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019"
    "\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|Â[\u00a0-\u00bf]|â€|â‚¬"
)


@dataclass(frozen=True)
class Dialect:
    """Delimiter of a text table; ``single`` means one column (no delimiter)."""

    delimiter: str
    single: bool = False
    sep_line: bool = False

    def describe(self) -> str:
        if self.single:
            return "a single column"
        text = f"delimiter '{self.delimiter}' ({NAMES.get(self.delimiter, 'custom')})".replace("'\t'", "'\\t'")
        return text + (", from its `sep=` line" if self.sep_line else "")


def head_records(text: str, delimiter: str, limit: int = 200) -> list[tuple[list[str], int, int]]:
    """Up to ``limit`` records of ``text``: (cells, first line, last line)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    out: list[tuple[list[str], int, int]] = []
    end = 0
    try:
        for row in reader:
            out.append((row, end + 1, reader.line_num))
            end = reader.line_num
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def _one_column(rows: list[list[str]], mode: int) -> bool:
    """Whether the rows without the delimiter say the file is a single column of notes.

    A report preamble puts one-cell lines above a header row and a footer below the last row;
    a one-column export whose notes hold the delimiter has a one-cell header (often a note
    header) above rows that do not look like a header, and one-cell rows all through the table.
    """
    if len(rows[0]) == 1 and header_score(rows[0][0], "note") >= 0.75:
        return True
    at_mode = [i for i, r in enumerate(rows) if len(r) == mode]
    if at_mode[0] > 0 and len(rows[at_mode[0] - 1]) == 1 and not header_hits(rows[at_mode[0]]):
        return True
    body = rows[at_mode[0]:at_mode[-1] + 1]
    singles = sum(len(r) == 1 for r in body)
    return singles >= 2 and singles / len(body) >= 0.15


def sniff_dialect(text: str, complete: bool = True) -> Dialect:
    """Pick the delimiter that gives the most constant field count over the head."""
    first = text.split("\n", 1)[0].rstrip("\r")
    match = _SEP_LINE.match(first)
    if match:
        return Dialect(match.group(1), sep_line=True)
    best, best_score = None, 0.3
    for delimiter in CANDIDATES:
        records = head_records(text, delimiter)
        if not complete and len(records) > 1:
            records = records[:-1]
        rows = [r for r, _, _ in records if any(c.strip() for c in r)]
        counts = Counter(len(r) for r in rows)
        if not counts:
            continue
        mode = max(counts, key=lambda k: (counts[k], k))
        if mode < 2 or _one_column(rows, mode):
            continue
        fields = [f for r in rows if len(r) == mode for f in r[1:] if f]
        spaced = sum(f[0] == " " for f in fields) / len(fields) if fields else 0.0
        score = counts[mode] / len(rows) - 0.5 * spaced
        if score > best_score:
            best, best_score = delimiter, score
    return Dialect(best) if best else Dialect(SINGLE, single=True)


@dataclass
class Scan:
    """What one pass over the whole file found."""

    records: int = 0
    max_fields: int = 0
    ragged: dict[int, int] = field(default_factory=dict)  # record index -> field count
    shift_at: array = field(default_factory=lambda: array("q"))  # record indices where extra lines start...
    shift_by: array = field(default_factory=lambda: array("q"))  # ...and the extra lines before each of them
    bad_bytes: int = 0
    bad_lines: list[int] = field(default_factory=list)
    good_chars: int = 0  # valid non-ASCII characters (tells UTF-8 from Windows-1252)
    mojibake_lines: int = 0
    mojibake_examples: list[tuple[int, str]] = field(default_factory=list)
    unclosed: int | None = None  # line where a never-closed quote opened
    tail: deque = field(default_factory=lambda: deque(maxlen=3))  # last decoded blocks (first line, text)


def _decoded_blocks(path: Path, enc: Encoding, scan: Scan) -> Iterator[str]:
    """Decoded text in blocks that end at a line end; records decoding problems in ``scan``."""
    decoder = codecs.getincrementaldecoder(enc.codec)(errors="replace")
    line, carry = 1, ""
    with open(path, "rb") as f:
        f.seek(enc.bom)
        while True:
            data = f.read(BLOCK)
            text = carry + decoder.decode(data, final=not data)
            cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1 if data else len(text)
            text, carry = text[:cut], text[cut:]
            if text:
                _inspect(text, data, line, enc, scan)
                scan.tail.append((line, text))
                line += text.count("\n")
                yield text
            if not data:
                return


def _inspect(text: str, data: bytes, line: int, enc: Encoding, scan: Scan) -> None:
    if enc.codec == "utf-8":
        scan.good_chars += len(text) - len(text.encode("ascii", "ignore"))
    if "\ufffd" in text:
        genuine = data.count(b"\xef\xbf\xbd") if enc.codec == "utf-8" else 0
        positions = [m.start() for m in re.finditer("\ufffd", text)]
        bad = max(0, len(positions) - genuine)
        scan.bad_bytes += bad
        scan.good_chars -= bad
        for pos in positions[: max(0, 20 - len(scan.bad_lines))]:
            number = line + text.count("\n", 0, pos)
            if number not in scan.bad_lines:
                scan.bad_lines.append(number)
    if "Ã" in text or "Â" in text or "â" in text:
        last = -1
        for m in MOJIBAKE.finditer(text):
            number = line + text.count("\n", 0, m.start())
            if number != last:
                scan.mojibake_lines += 1
                last = number
                if len(scan.mojibake_examples) < 3:
                    scan.mojibake_examples.append((number, word_at(text, m.start())))


def word_at(text: str, pos: int) -> str:
    """The word of ``text`` around position ``pos`` (for short examples in notices)."""
    before = re.search(r"[^\s;,|\"]{0,30}$", text[max(0, pos - 30) : pos])
    after = re.match(r"[^\s;,|\"]{0,30}", text[pos : pos + 30])
    return (before.group() if before else "") + (after.group() if after else "")


def iter_records(path: Path, enc: Encoding, dialect: Dialect, scan: Scan, quote_off: int | None = None):
    """Yield (cells, first line) for every record; quotes are ignored from line ``quote_off`` on."""
    lines = chain.from_iterable(io.StringIO(block, newline="") for block in _decoded_blocks(path, enc, scan))
    end = 0
    if quote_off is None or quote_off > 1:
        reader = csv.reader(lines, delimiter=dialect.delimiter, quotechar='"')
        for row in reader:
            start, end = end + 1, reader.line_num
            yield row, start
            if quote_off is not None and end + 1 >= quote_off:
                break
        else:
            return
    base = end
    reader = csv.reader(lines, delimiter=dialect.delimiter, quoting=csv.QUOTE_NONE)
    for row in reader:
        start, end = end + 1, base + reader.line_num
        yield row, start


AHEAD: dict[str, tuple[int, object, tuple]] = {}  # path -> (helper pid, read end of its pipe, file signature); reader.scan_ahead
IN_HELPER: list = []  # in the helper: the write end of its pipe


def file_signature(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns, info.st_ino


def _scanned_ahead(path: Path, args: tuple) -> Scan | None:
    """The helper's scan of ``path`` with these arguments if one was started, the file has not
    changed since and the arguments match; the helper is reaped (stopped first if the file changed)."""
    try:
        key = str(path.resolve())
        pid, read, signature = AHEAD.pop(key)
        changed = file_signature(path) != signature
    except (KeyError, OSError):
        return None
    got_args, scan = None, None
    try:
        if changed:
            os.kill(pid, signal.SIGKILL)
        else:
            got_args, scan = read.recv()
    except (EOFError, OSError, ValueError, TypeError, AttributeError, ImportError, IndexError):
        pass
    finally:
        read.close()
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    try:
        if changed or got_args != args or not isinstance(scan, Scan) or file_signature(path) != signature:
            return None
    except OSError:
        return None
    return scan


def scan_file(path: Path, enc: Encoding, dialect: Dialect, data_start: int, width: int, quote_off: int | None = None) -> Scan:
    """One pass over the file with the C csv module (see module docstring); the loop is inlined for speed.

    Taken from the helper of :func:`classifier.exports.reader.scan_ahead` when it scanned the same file the same way.
    """
    args = (enc, dialect, data_start, width, quote_off)
    if AHEAD:
        ahead = _scanned_ahead(path, args)
        if ahead is not None:
            return ahead
    scan = _scan(path, enc, dialect, data_start, width, quote_off)
    if IN_HELPER:  # in scan_ahead's helper: hand the first scan over and stop
        IN_HELPER[0].send((args, scan))
        IN_HELPER[0].close()
        os._exit(0)
    return scan


def _scan(path: Path, enc: Encoding, dialect: Dialect, data_start: int, width: int, quote_off: int | None = None) -> Scan:
    scan = Scan()
    lines = chain.from_iterable(io.StringIO(block, newline="") for block in _decoded_blocks(path, enc, scan))
    idx, start, end, offset, max_fields = -1, 1, 0, 0, width
    ragged, shift_at, shift_by = scan.ragged, scan.shift_at, scan.shift_by
    modes = [csv.QUOTE_MINIMAL] if quote_off is None else [csv.QUOTE_MINIMAL, csv.QUOTE_NONE][quote_off <= 1 :]
    for quoting in modes:
        reader = csv.reader(lines, delimiter=dialect.delimiter, quotechar='"', quoting=quoting)
        base = end
        stop = quote_off if quoting == csv.QUOTE_MINIMAL and quote_off is not None else 0
        for row in reader:
            idx += 1
            start, end = end + 1, base + reader.line_num
            if start != idx + 1 + offset:
                offset = start - idx - 1
                shift_at.append(idx)
                shift_by.append(offset)
            n = len(row)
            if n != width and n and idx >= data_start:
                if len(ragged) < 100_000:
                    ragged[idx] = n
                max_fields = max(max_fields, n)
            if stop and end + 1 >= stop:
                break
    scan.records = idx + 1
    scan.max_fields = max_fields
    if quote_off is None and scan.records:
        scan.unclosed = _unclosed_quote(scan, start, dialect.delimiter)
    return scan


def _unclosed_quote(scan: Scan, start: int, delimiter: str) -> int | None:
    """Line where the last record opened a quote that never closes, if it did."""
    if not scan.tail:
        return None
    first_line = scan.tail[0][0]
    if start < first_line:
        return start
    text = "".join(t for _, t in scan.tail)
    pos = 0
    for _ in range(start - first_line):
        pos = text.find("\n", pos) + 1
    tail = text[pos:]
    if '"' not in tail:
        return None
    quoted, field_start, closed = False, True, False
    for ch in tail:
        if quoted:
            if ch == '"':
                quoted, closed = False, True
                continue
        elif ch == '"' and (field_start or closed):
            quoted = True
        closed = False
        field_start = ch in (delimiter, "\n", "\r")
    return start if quoted else None


def _data_offset(head: bytes, enc: Encoding, text: str, lines: int) -> int:
    """Byte offset just after physical line ``lines`` (0 = start of the body)."""
    if lines <= 0:
        return enc.bom
    if enc.codec in ("utf-8", "cp1252"):
        ends = list(_LINE_END.finditer(head, enc.bom))
        return ends[lines - 1].end() if len(ends) >= lines else len(head)
    prefix = "".join(ln for _, ln in zip(range(lines), io.StringIO(text, newline="")))
    return enc.bom + len(prefix.encode(enc.codec))


def _chunks(path: Path, enc: Encoding, dialect: Dialect, offset: int, data_start: int, n: int, scan: Scan,
            chunksize: int | None) -> Iterator[Chunk]:
    width = max(n, scan.max_fields)
    shift_at = np.frombuffer(scan.shift_at, dtype=np.int64) if scan.shift_at else np.zeros(0, np.int64)
    shift_by = np.frombuffer(scan.shift_by, dtype=np.int64) if scan.shift_by else np.zeros(0, np.int64)
    ragged_at = np.array(sorted(scan.ragged), dtype=np.int64)
    ragged_n = np.array([scan.ragged[i] for i in ragged_at], dtype=np.int64)

    def chunk(frame: pd.DataFrame, first: int) -> Chunk:
        records = np.arange(first, first + len(frame), dtype=np.int64)
        pos = np.searchsorted(shift_at, records, side="right") - 1
        lines = records + 1 + (shift_by[np.maximum(pos, 0)] * (pos >= 0) if len(shift_by) else 0)
        fields = np.full(len(frame), n, dtype=np.int64)
        lo, hi = np.searchsorted(ragged_at, [first, first + len(frame)])
        fields[ragged_at[lo:hi] - first] = ragged_n[lo:hi]  # the scan and pandas count the same records
        frame.index = pd.RangeIndex(first - data_start, first - data_start + len(frame))
        return Chunk(frame, lines, fields)

    done = 0
    if scan.unclosed is None:
        try:
            with open(path, "rb") as f:
                f.seek(offset)
                options = dict(
                    sep=dialect.delimiter, header=None, names=list(range(width)), dtype=str, keep_default_na=False,
                    na_filter=False, index_col=False, skip_blank_lines=False, quotechar='"', doublequote=True,
                    encoding=enc.codec, encoding_errors="replace", engine="c",
                )
                if chunksize is None:
                    yield chunk(pd.read_csv(f, **options), data_start)
                    return
                with pd.read_csv(f, chunksize=chunksize, **options) as reader:
                    for frame in reader:
                        yield chunk(frame, data_start + done)
                        done += len(frame)
            return
        except (pd.errors.ParserError, ValueError, OverflowError):
            pass  # fall back to the csv module from the first row not yet delivered
    rows: list[list[str]] = []
    first = data_start + done
    for idx, (row, _) in enumerate(iter_records(path, enc, dialect, Scan(), scan.unclosed)):
        if idx < first:
            continue
        rows.append(row)
        if chunksize and len(rows) >= chunksize:
            yield chunk(_frame(rows, width, scan.unclosed is not None), first)
            first, rows = first + len(rows), []
    if rows or first == data_start:
        yield chunk(_frame(rows, width, scan.unclosed is not None), first)


def _frame(rows: list[list[str]], width: int, unquote: bool) -> pd.DataFrame:
    frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(index=range(0))
    frame = frame.reindex(columns=range(max(width, frame.shape[1])), fill_value="").fillna("").astype(str)
    if unquote:
        for column in frame.columns:
            quoted = frame[column].str.match(r'^".*"$', na=False) & (frame[column].str.len() >= 2)
            frame.loc[quoted, column] = frame.loc[quoted, column].str[1:-1].str.replace('""', '"')
    return frame


def open_csv(path: Path, name: str, head: bytes, enc: Encoding, chunksize: int | None,
             names: Collection[str] = ()) -> Table:
    """Open a delimited text file as a :class:`Table` (see module docstring)."""
    size = os.path.getsize(path)
    while True:  # the head must hold the whole header row: grow it (up to MAX_HEAD) when a line is longer
        complete = size <= len(head)
        text = enc.decode(head, final=complete)
        check_text(text, name)
        dialect = sniff_dialect(text, complete)
        records = head_records(text, dialect.delimiter, limit=60)
        skip = 1 if dialect.sep_line else 0
        found = find_header([r for r, _, _ in records[skip:]], single=dialect.single, names=names)
        if complete:
            break
        whole = len(re.findall(r"\r\n|\r|\n", text))  # complete lines in the head
        if whole >= (records[skip + found][2] if found is not None else 0) and whole >= 2 + skip:
            break
        if len(head) >= MAX_HEAD:
            raise InputError(f"{name}: its first lines (the header row) are longer than {MAX_HEAD >> 20} MiB; "
                             "no export has column names this long: check that this is the right file")
        with open(path, "rb") as f:
            head = f.read(min(MAX_HEAD, len(head) * 4))
    notices = []
    if found is not None:
        header_rec = skip + found
        header = records[header_rec][0]
        data_start, header_end = header_rec + 1, records[header_rec][2]
        skipped = [r for r in records[skip:header_rec] if any(c.strip() for c in r[0])]
        if skipped:
            preview = ", ".join(repr(" ".join(c for c in r[0] if c.strip())[:40]) for r in skipped[:3])
            notices.append(
                f"{name}: skipped {records[header_rec][1] - records[skip][1]} lines above the header "
                f"(line {records[header_rec][1]}): {preview}"
            )
    else:
        data_start = skip
        header_end = records[skip - 1][2] if skip and records else 0
        widths = Counter(len(r) for r, _, _ in records[skip:] if r)
        n = max(widths, key=lambda k: (widths[k], k)) if widths else 1
        header = ["note"] if dialect.single else [f"column {i + 1}" for i in range(n)]
    n = max(1, len(header))
    scan = scan_file(path, enc, dialect, data_start, n)
    if enc == UTF8 and not choose_utf8(scan.bad_bytes, scan.good_chars):
        enc = CP1252
        scan = scan_file(path, enc, dialect, data_start, n)
    if scan.unclosed is not None:
        line = scan.unclosed
        scan = scan_file(path, enc, dialect, data_start, n, quote_off=line)
        scan.unclosed = line
    _check_width(scan, n, name)
    notices.insert(0, f"{name}: read as {enc.label}, {dialect.describe()}")
    if found is None and records[skip:]:
        first_line = records[skip][1]
        what = "the column `note`" if dialect.single else f"the columns `column 1`…`column {n}`"
        notices.append(f"{name}: no header row found; treated line {first_line} as data and named {what}")
    notices += _scan_notices(scan, name, enc)
    offset = _data_offset(head, enc, text, header_end)
    return Table(
        header=list(header),
        chunks=_chunks(path, enc, dialect, offset, data_start, n, scan, chunksize),
        has_header=found is not None,
        notices=notices,
        dayfirst=True if dialect.delimiter == ";" else None,
        delimiter=None if dialect.single else dialect.delimiter,
        total=max(0, scan.records - data_start),
        mojibake=(scan.mojibake_lines, *scan.mojibake_examples[0]) if scan.mojibake_examples else (0, 0, ""),
    )


def _check_width(scan: Scan, n: int, name: str) -> None:
    """Refuse a row so much wider than the header that padding every row to it would not fit in memory."""
    if scan.max_fields <= 2 * n or scan.max_fields * scan.records <= MAX_PADDED:
        return
    idx = max(scan.ragged, key=scan.ragged.__getitem__, default=0)
    at = np.searchsorted(np.frombuffer(scan.shift_at, dtype=np.int64), idx, side="right") - 1 if scan.shift_at else -1
    line = idx + 1 + (scan.shift_by[at] if at >= 0 else 0)
    where = f"line {line:,}" if scan.ragged.get(idx) == scan.max_fields else "a line"
    raise InputError(f"{name}: {where} has {scan.max_fields:,} fields but the header has {n:,}; every row "
                     f"would be padded to {scan.max_fields:,} columns: fix or delete that line, or quote its text")


def _scan_notices(scan: Scan, name: str, enc: Encoding) -> list[str]:
    out = []
    if scan.bad_bytes:
        lines = ", ".join(map(str, scan.bad_lines[:10])) + (", ..." if len(scan.bad_lines) > 10 else "")
        out.append(
            f"{name}: {scan.bad_bytes} bytes are not valid {enc.label} (lines {lines}); "
            "they were replaced with '\ufffd'; check those lines in the original export"
        )
    if scan.unclosed is not None:
        out.append(
            f"{name}: a quote opened on line {scan.unclosed} is never closed; read the file without quote "
            "handling from there on: check that line"
        )
    return out
