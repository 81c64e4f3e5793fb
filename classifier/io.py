"""Read whatever CRM export a user brings, and write results: the one reader every command uses.

The container is recognised by content (CSV/TSV, XLSX, HTML ``.xls``, SpreadsheetML, MHTML,
ZIP, Parquet, JSON Lines), the text encoding and delimiter are sniffed, the header row is
found below report titles, footer and total rows are dropped, every value stays text, and
the columns get roles (note, id, date, owner, source, status, picklist). Nothing here prints:
what a user should know goes into ``notices``, one line each.

>>> export = read_export(io.BytesIO(b"ID;Notiz;Datum\\n1;kein Budget;01.02.2024\\n2;NA;15.03.2024\\n"))
>>> export.roles["note"], export.frame["Notiz"].tolist(), str(export.dates()[0].date())
('Notiz', ['kein Budget', 'NA'], '2024-02-01')
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from classifier.checks import Checks, fix_mojibake
from classifier.columns import ROLES, RoleMap, detect_roles
from classifier.containers import read_parquet, read_text_container, read_xlsx, zip_members
from classifier.csvread import open_csv
from classifier.dates import DateFormat, parse_dates
from classifier.errors import InputError
from classifier.layout import Table, unique_names
from classifier.normalize import html_to_text, is_empty_note
from classifier.sniff import HEAD, detect_encoding, sniff_container
from classifier.status import StatusRule, find_converted
from classifier.writers import TableWriter, write_table
from classifier.ziptables import zip_table

__all__ = ["ROLES", "Export", "ExportReader", "Schema", "TableWriter", "fix_mojibake", "open_export", "read_export",
           "write_table"]

Source = str | Path | BinaryIO
EXCEL_ERROR = r"^\s*(?:#(?:NAME\?|WERT!|VALUE!|REF!|BEZUG!|DIV/0!|NUM!|ZAHL!|NULL!|NV|N/A|SPILL!|ÜBERLAUF!)|=.*)\s*$"


@dataclass
class Schema:
    """What every chunk of one export shares: date format and the rejection rule."""

    date_format: DateFormat | None = None
    status: StatusRule = field(default_factory=StatusRule)


@dataclass
class Export:
    """Data rows of an export (all text), the detected column roles and notices for the user."""

    frame: pd.DataFrame
    roles: dict[str, str]
    notices: list[str]
    source: str
    lines: pd.Series | None = None  # source line (CSV) or sheet row of each data row
    schema: Schema = field(default_factory=Schema, repr=False)
    _dates: pd.Series | None = field(default=None, repr=False)

    def _note(self) -> pd.Series:
        if "note" not in self.roles:
            raise InputError(f"{self.source}: no note column; name it with --text-column")
        return self.frame[self.roles["note"]]

    def note_text(self) -> pd.Series:
        """The note as plain text for the model: HTML converted, one leading apostrophe removed."""
        notes = self._note().astype(object)
        html = notes.str.contains("[<&]", regex=True, na=False).astype(bool)
        if html.any():
            notes = notes.copy()
            notes[html] = notes[html].map(html_to_text)
        return notes.str.replace(r"^'", "", n=1, regex=True).astype(str)

    def is_empty_note(self) -> pd.Series:
        """True for notes with no usable reason ("", "-", "n/a", "NA", "None"): label ``other``."""
        text = self.note_text()
        short = text.str.len() <= 40
        out = text.str.fullmatch(r"[\W_]*", na=True).astype(bool)
        out[short] = text[short].map(is_empty_note).astype(bool)
        return out

    def excel_damaged(self) -> pd.Series:
        """True for notes that Excel destroyed (``#NAME?``, ``#WERT!``, formulas): the text is lost."""
        notes = self._note()
        out = pd.Series(False, index=notes.index)
        maybe = notes.str.lstrip().str.startswith(("#", "=")).fillna(False).astype(bool)
        if maybe.any():
            out[maybe] = notes[maybe].str.match(EXCEL_ERROR, na=False).astype(bool)
        return out

    def dates(self) -> pd.Series:
        """Parsed datetimes of the date role (NaT where unparseable), or all-NaT without one."""
        if self._dates is None:
            column = self.roles.get("date")
            values = self.frame[column] if column else pd.Series("", index=self.frame.index)
            self._dates = parse_dates(values, self.schema.date_format if column else None)
        return self._dates

    def is_rejection(self) -> pd.Series:
        """True for rows to analyse: every row unless a status says converted, won, open, qualified."""
        return self.schema.status.mask(self.frame)


class ExportReader:
    """Stream an export in chunks with bounded memory; see :func:`open_export`.

    ``roles``, ``columns``, ``source``, ``total_rows`` (an estimate for progress bars) and the
    first ``notices`` are known before iterating; summary notices (footer rows, ragged
    lines, unparseable dates, status distribution...) are appended when iteration ends.
    """

    def __init__(self, table: Table, name: str, mapping: RoleMap, schema: Schema, names: list[str],
                 checks: Checks, pending: list[tuple[pd.DataFrame, pd.Series]], cleanup: Callable[[], None]):
        self.source = name
        self.roles = dict(mapping.roles)
        self.columns = names
        self.notices = checks.notices
        self.total_rows = table.total
        self.schema = schema
        self._table, self._checks, self._pending, self._cleanup = table, checks, pending, cleanup
        self._done = False

    def __iter__(self) -> Iterator[Export]:
        try:
            while self._pending:
                export = self._export(*self._pending.pop(0))
                if len(export.frame):
                    yield export
            for chunk in self._table.chunks:
                export = self._export(*self._checks.shape(chunk))
                if len(export.frame):
                    yield export
            if not self._done:
                self._done = True
                self._checks.finish()
        finally:
            self.close()

    def _export(self, frame: pd.DataFrame, lines: pd.Series) -> Export:
        export = Export(frame, self.roles, self.notices, self.source, lines, self.schema)
        self._checks.observe(export)
        return export

    def close(self) -> None:
        """Release open files and temporary files (stdin copies, unpacked archives)."""
        getattr(self._table.chunks, "close", lambda: None)()
        self._table.close()
        self._cleanup()

    def __enter__(self) -> ExportReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _materialize(source: Source) -> tuple[Path, str, Callable[[], None]]:
    if isinstance(source, (str, Path)) and str(source) != "-":
        path = Path(source)
        if not path.exists():
            raise InputError(f"{source} does not exist; check the path")
        if path.is_dir():
            raise InputError(f"{source} is a folder, not a file; give one export file")
        return path, str(source), lambda: None
    stream = sys.stdin.buffer if str(source) == "-" else source
    name = "<stdin>" if str(source) == "-" else str(getattr(source, "name", "<stream>"))
    with tempfile.NamedTemporaryFile(prefix="radar-", suffix=".input", delete=False) as tmp:
        if isinstance(stream, io.TextIOBase):
            for text in iter(lambda: stream.read(1 << 20), ""):
                tmp.write(text.encode("utf-8"))
        else:
            shutil.copyfileobj(stream, tmp)
    return Path(tmp.name), name, lambda: Path(tmp.name).unlink(missing_ok=True)


def open_table(path: Path, name: str, chunksize: int | None, sheet: str | None, in_zip: bool = False) -> Table:
    """Open any supported container as a Table (dispatch on content, never on the extension)."""
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if not head:
        raise InputError(f"no data rows found in {name} (the file is empty)")
    kind = sniff_container(head, name)
    if kind == "zip":
        members = zip_members(path, name)
        if members == "xlsx":
            return read_xlsx(path, name, chunksize, sheet)
        if in_zip:
            raise InputError(f"{name} is an archive inside an archive; unpack it first")
        return zip_table(path, name, members, chunksize, sheet, open_table)
    if kind == "parquet":
        return read_parquet(path, name, chunksize)
    table = read_text_container(path, name, head, chunksize, sheet)
    if table is not None:
        return table
    final = os.path.getsize(path) <= len(head)
    return open_csv(path, name, head, detect_encoding(head, final=final), chunksize)


def open_export(source: Source, *, roles: dict[str, str | None] | None = None, require_note: bool = True,
                chunksize: int | None = 50_000, sheet: str | None = None, repair: bool = False,
                rejection_statuses: Collection[str] | None = None) -> ExportReader:
    """Open an export for streaming: sniff, find the header, detect roles on the first chunk.

    ``roles`` overrides detection per role (a column name, or None to switch a role off);
    ``repair`` joins overflow fields of ragged rows into the last column and fixes mojibake;
    ``rejection_statuses`` replaces the built-in list of status values that mean rejection.
    Raises InputError (one line, naming file, line or column and the fix) for unusable input.
    """
    path, name, cleanup = _materialize(source)
    table = None
    try:
        table = open_table(path, name, chunksize, sheet)
        names, renamed = unique_names(table.header)
        checks = Checks(name, names, table, repair=repair, streaming=chunksize is not None)
        if renamed:
            checks.notices.append(f"{name}: renamed duplicate or empty headers: " + "; ".join(renamed))
        pending = []
        for chunk in table.chunks:
            pending.append(checks.shape(chunk))
            if len(pending[-1][0]):
                break
        else:
            what = " (only a header row)" if table.has_header else ""
            raise InputError(f"no data rows found in {name}{what}; check that this is the right export")
        first = pending[-1][0]
        labels = dict(zip(names, map(str, table.header)))
        fallback = [names[i] for i in table.hidden if i < len(names)]
        fallback += [n for n, label in labels.items() if label.strip().casefold().startswith("(do not modify)")]
        mapping = detect_roles(first, overrides=roles, require_note=require_note, source=name, labels=labels,
                               fallback_only=fallback, has_header=table.has_header, dayfirst_hint=table.dayfirst)
        converted = find_converted({n: labels[n] for n in names})
        status = mapping.roles.get("status")
        rule = StatusRule.build(first[status] if status else None, status, converted, rejection_statuses)
        schema = Schema(mapping.date_format, rule)
        checks.start(mapping, schema, first)
        return ExportReader(table, name, mapping, schema, names, checks, pending, cleanup)
    except BaseException:
        if table is not None:
            table.close()
        cleanup()
        raise


def read_export(source: Source, *, roles: dict[str, str | None] | None = None, require_note: bool = True,
                sheet: str | None = None, repair: bool = False,
                rejection_statuses: Collection[str] | None = None) -> Export:
    """Read a whole export into memory; see :func:`open_export` for the options."""
    with open_export(source, roles=roles, require_note=require_note, chunksize=None, sheet=sheet, repair=repair,
                     rejection_statuses=rejection_statuses) as reader:
        parts = list(reader)
    if len(parts) == 1:
        return parts[0]
    frame, lines = pd.concat([p.frame for p in parts]), pd.concat([p.lines for p in parts])
    return Export(frame, reader.roles, reader.notices, reader.source, lines, reader.schema)

