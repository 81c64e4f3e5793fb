"""Write tables atomically: a temporary file beside the target, renamed into place when complete.

A run that is interrupted or killed leaves no partial output under the target name, and
the input file is never overwritten. CSV and TSV output neutralise cells and header names that
Excel would run as formulas (leading ``= + - @``, tab, CR) with an apostrophe, as OWASP
recommends, and quote every cell that holds a line break (CR, LF or any Unicode one), so no cell
can start a row of its own; XLSX output writes text, header names included, as text, never as
formulas; JSONL escapes the Unicode line breaks that ``str.splitlines`` would split on.

>>> neutralise(pd.DataFrame({"note": ["=1+1", "kein Budget", "-5"]}))["note"].tolist()
["'=1+1", 'kein Budget', "'-5"]
>>> csv_text(pd.DataFrame({"=cmd": ["a\\rb", "=1"]}), header=True).splitlines(keepends=True)
["'=cmd\\n", '"a\\r', 'b"\\n', "'=1\\n"]
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import numpy as np
import pandas as pd

from classifier.errors import InputError
from classifier.exports.text_safety import LINE_BREAKS, neutralise_formula

_FORMULA = r"^[=+\-@\t\r]"  # text_safety.FORMULA_START as a pattern (tests/mutants.py mutates this line)
# Line breaks the csv module does not quote by itself (it quotes LF, our line terminator).
_UNQUOTED_BREAK = re.compile(f"[{re.escape(LINE_BREAKS.replace(chr(10), ''))}]")
# Raw in JSON strings but line ends for str.splitlines(): NEL, LS, PS (pandas escapes C0 itself).
_JSON_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
XLSX_CELL = 32767
XLSX_ROWS = 1_048_576
FORMATS = {".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet",
           ".tsv": "tsv", ".tab": "tsv"}


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that start like a spreadsheet formula with an apostrophe (OWASP CSV injection)."""
    out = frame.copy()
    for i in range(out.shape[1]):
        s = out.iloc[:, i]
        if pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype):
            mask = s.str.match(_FORMULA, na=False).astype(bool)
            if mask.any():
                out.isetitem(i, s.where(~mask, "'" + s[mask].astype(str)))
    return out


def _csv_field(value: str, sep: str) -> str:
    if sep in value or '"' in value or any(c in value for c in LINE_BREAKS):
        return '"' + value.replace('"', '""') + '"'
    return value


def _arrow_rows(chunk: pd.DataFrame, sep: str) -> str | None:
    """The rows of ``chunk`` as :func:`csv_text` writes them, formatted by Arrow's string kernels
    (about 2 us a row instead of 5), or None when a column is not text, bool or float.

    The same rules: formulas get an apostrophe; a cell is quoted (quotes doubled) when it holds
    the separator, a quote or any line break; missing values are empty; floats and bools are
    written as pandas writes them (``0.25``, ``True``).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if chunk.shape[1] < 2 or len(chunk) == 0:
        return None  # a lone empty field is written '""': the csv module's rule, left to it
    quote = "[" + re.escape(sep + '"' + LINE_BREAKS) + "]"
    columns = []
    for i in range(chunk.shape[1]):
        series = chunk.iloc[:, i]
        if series.dtype == bool:
            column = pa.array(np.where(series.to_numpy(), "True", "False"))
        elif series.dtype == np.float64:
            values = series.to_numpy()
            text = values.astype(str)
            text[np.isnan(values)] = ""
            column = pa.array(text)
        elif isinstance(series.dtype, pd.StringDtype):
            column = pc.fill_null(pa.array(series.array).cast(pa.string()), "")
            formula = pc.match_substring_regex(column, _FORMULA)
            if pc.any(formula).as_py():
                column = pc.if_else(formula, pc.binary_join_element_wise("'", column, ""), column)
        else:
            return None
        quoted = pc.match_substring_regex(column, quote)
        if pc.any(quoted).as_py():
            column = pc.if_else(quoted, pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', ""), column)
        columns.append(column)
    rows = pc.binary_join_element_wise(*columns, sep)
    return "\n".join(rows.to_pylist()) + "\n"


def csv_text(chunk: pd.DataFrame, *, header: bool, sep: str = ",") -> str:
    """``chunk`` as CSV (or TSV) text: formulas neutralised in cells and header names, line breaks quoted.

    Python's csv module quotes only LF here, so a cell holding a bare CR, VT, FF, NEL or LS/PS
    would end the row in Excel or in a reader that splits lines; such chunks are written again
    with those cells quoted. A single empty field is written ``""`` as the csv module does.
    Chunks of text, bool and float columns are formatted by :func:`_arrow_rows`, to the same text.
    """
    rows = _arrow_rows(chunk, sep)
    if rows is None:
        return _csv_module_text(chunk, header=header, sep=sep)
    return (_csv_module_text(chunk.iloc[:0], header=True, sep=sep) if header else "") + rows


def _csv_module_text(chunk: pd.DataFrame, *, header: bool, sep: str) -> str:
    """:func:`csv_text` by pandas and the csv module, for any column types."""
    names = [neutralise_formula(str(c)) for c in chunk.columns] if header else False
    frame = neutralise(chunk)
    text = frame.to_csv(index=False, header=names, sep=sep, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    if not _UNQUOTED_BREAK.search(text):
        return text
    every = frame.to_csv(index=False, header=names, sep=sep, lineterminator="\n", quoting=csv.QUOTE_ALL)
    out = []
    for row in csv.reader(io.StringIO(every, newline=""), delimiter=sep):
        out.append('""' if row == [""] else sep.join(_csv_field(value, sep) for value in row))
    return "\n".join(out) + "\n"


def format_of(path: str | Path | None) -> str:
    """Output format from the file extension: csv (default), tsv, xlsx, jsonl or parquet."""
    if path is None or str(path) == "-":
        return "csv"
    return FORMATS.get(Path(path).suffix.lower(), "csv")


def _same_file(a: Path, b: str | Path) -> bool:
    if str(b) == "-":
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def temp_beside(target: Path, forbid: Sequence[str | Path] = ()) -> Path:
    """An empty temporary file next to ``target`` (normal permissions), after checking the target."""
    for other in forbid:
        if _same_file(target, other):
            raise InputError(f"refusing to write over the input file {other}: choose another output path")
    if target.is_dir():
        raise InputError(f"cannot write {target}: it is a folder; give a file name")
    if not target.parent.exists():
        raise InputError(f"cannot write {target}: folder {target.parent} does not exist")
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(name, 0o666 & ~mask)
    return Path(name)


def check_output(path: str | None) -> str | None:
    """Check an output path before any work: its folder exists and can be written (InputError if not)."""
    if path and str(path) != "-":
        try:
            temp_beside(Path(path)).unlink()
        except OSError as e:
            raise InputError(f"cannot write {path}: {e.strerror or e}; choose a folder you can write to") from e
    return path


def write_text(text: str, path: str | Path | None, *, forbid: Sequence[str | Path] = ()) -> None:
    """Write a text file (a report) atomically: a temporary file beside it, renamed when complete.

    ``path`` ``None`` writes to standard output, as :class:`TableWriter` does.
    """
    if path is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    tmp = temp_beside(Path(path), forbid)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class TableWriter:
    """Streaming writer: ``open`` -> ``write(chunk)`` repeatedly -> ``close`` renames into place.

    Use it as a context manager; an exception inside the block removes the temporary file
    and leaves any existing target untouched.
    """

    def __init__(self, path: str | Path | None, *, forbid: Sequence[str | Path] = (), bom: bool = False):
        self.path = None if path is None or str(path) == "-" else Path(path)
        self.forbid = forbid
        self.bom = bom
        self.format = format_of(path)
        self.notices: list[str] = []
        self._tmp: Path | None = None
        self._handle = None
        self._rows = 0
        self._columns: list[str] | None = None
        self._book = self._sheet = self._parquet = None

    @classmethod
    def open(cls, path: str | Path | None, forbid: Sequence[str | Path] = (), *, bom: bool = False) -> TableWriter:
        """Check the target and open a temporary file beside it."""
        writer = cls(path, forbid=forbid, bom=bom)
        writer._start()
        return writer

    def _start(self) -> None:
        if self.path is None:
            return
        self._tmp = temp_beside(self.path, self.forbid)
        if self.format in ("csv", "tsv", "jsonl"):
            self._handle = open(self._tmp, "w", encoding="utf-8-sig" if self.bom else "utf-8", newline="")
        elif self.format == "xlsx":
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet("export")

    @property
    def text_rows(self) -> bool:
        """Whether rows can come as CSV/TSV text made by :func:`csv_text` (see :meth:`write_text`)."""
        return self.format in ("csv", "tsv")

    @property
    def separator(self) -> str:
        return "\t" if self.format == "tsv" else ","

    def _check_columns(self, columns: list[str], rows: int) -> bool:
        """Record the columns (the first chunk fixes them) and the row count; whether this is the first chunk."""
        first = self._columns is None
        if first:
            self._columns = columns
        elif columns != self._columns:
            raise ValueError(f"chunk columns {columns} differ from the first chunk's {self._columns}")
        self._rows += rows
        return first

    def write_text(self, text: str, columns: list[str], rows: int) -> None:
        """Append ``rows`` rows already written as text by ``csv_text(chunk, header=False, sep=self.separator)``
        (e.g. in a worker process); the header comes from ``columns`` on the first call."""
        if not self.text_rows:
            raise ValueError(f"{self.format} output takes data frames, not CSV text")
        if self._check_columns([str(c) for c in columns], rows):
            self._emit(csv_text(pd.DataFrame(columns=columns), header=True, sep=self.separator))
        self._emit(text)

    def write(self, chunk: pd.DataFrame) -> None:
        """Append rows; the first chunk fixes the columns."""
        first = self._check_columns([str(c) for c in chunk.columns], len(chunk))
        if self.format in ("csv", "tsv"):
            self._emit(csv_text(chunk, header=first, sep="\t" if self.format == "tsv" else ","))
        elif self.format == "jsonl":
            if len(chunk):
                text = chunk.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
                if any(c in text for c in _JSON_BREAKS):
                    text = text.translate(str.maketrans(_JSON_BREAKS))
                self._emit(text if text.endswith("\n") else text + "\n")
        elif self.format == "xlsx":
            self._write_xlsx(chunk, first)
        else:
            self._write_parquet(chunk)

    def _emit(self, text: str) -> None:
        if self._handle is not None:
            self._handle.write(text)
        else:
            out = getattr(sys.stdout, "buffer", None)
            if out is not None:
                sys.stdout.flush()
                out.write(text.encode("utf-8"))
                out.flush()
            else:
                sys.stdout.write(text)

    def _write_xlsx(self, chunk: pd.DataFrame, first: bool) -> None:
        from itertools import chain

        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if self._rows > XLSX_ROWS - 1:
            raise InputError(f"{self._rows} rows do not fit in an XLSX sheet (max {XLSX_ROWS - 1}); write CSV or Parquet")
        sheet = self._sheet
        cut = 0
        rows = chunk.itertuples(index=False, name=None)
        for row in chain([self._columns], rows) if first else rows:  # the header row is text like any other
            cells = []
            for value in row:
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
                    if len(value) > XLSX_CELL:
                        value, cut = value[:XLSX_CELL], cut + 1
                    if value[:1] == "=":  # openpyxl would write it as a formula
                        cell = WriteOnlyCell(sheet, value=value)
                        cell.data_type = "s"
                        value = cell
                elif value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
                    value = None
                cells.append(value)
            sheet.append(cells)
        if cut:
            self.notices.append(f"{cut} cells were longer than Excel's limit of {XLSX_CELL} characters and were cut")

    def _write_parquet(self, chunk: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._parquet is None:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            self._parquet = pq.ParquetWriter(self._tmp, table.schema)
        else:
            table = pa.Table.from_pandas(chunk, schema=self._parquet.schema, preserve_index=False)
        self._parquet.write_table(table)

    def close(self) -> None:
        """Finish the file and rename it into place."""
        try:
            if self._handle is not None:
                self._handle.flush()
                os.fsync(self._handle.fileno())
                self._handle.close()
            elif self._book is not None:
                if self._columns is None:
                    self._sheet.append([])
                self._book.save(self._tmp)
            elif self._parquet is not None:
                self._parquet.close()
            elif self.format == "parquet" and self._tmp is not None:
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.table({}), self._tmp)
        except BaseException:
            self.abort()
            raise
        if self._tmp is not None and self.path is not None:
            os.replace(self._tmp, self.path)
            self._tmp = None

    def abort(self) -> None:
        """Drop the temporary file; the target is left as it was."""
        for closer in (self._handle, self._parquet):
            try:
                if closer is not None:
                    closer.close()
            except Exception:
                pass
        self._handle = self._parquet = None
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None

    def __enter__(self) -> TableWriter:
        if self._tmp is None and self.path is not None:
            self._start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def write_table(frame: pd.DataFrame, path: str | Path | None, *, forbid: Sequence[str | Path] = (),
                bom: bool = False) -> None:
    """Write ``frame`` atomically to ``path`` (format from the extension; None or "-" -> CSV on stdout)."""
    with TableWriter.open(path, forbid, bom=bom) as writer:
        writer.write(frame)

