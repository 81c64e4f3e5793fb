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
import signal
import sys
import tempfile
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from classifier.exports.input_checks import Checks, fix_mojibake
from classifier.exports.roles import ROLES, RoleMap, detect_roles
from classifier.exports.containers import read_parquet, read_text_container, read_xlsx, zip_members
from classifier.exports.csv_reader import AHEAD, IN_HELPER, file_signature, open_csv
from classifier.errors import InputError
from classifier.exports.tables import Table, unique_names
from classifier.exports.types import Export, Schema
from classifier.exports.sniff import HEAD, detect_encoding, sniff_container
from classifier.exports.statuses import StatusRule, find_converted
from classifier.exports.writer import TableWriter, write_table
from classifier.exports.zip_reader import zip_table

__all__ = ["ROLES", "Export", "ExportReader", "Schema", "TableWriter", "fix_mojibake", "open_export", "read_export",
           "write_table"]

Source = str | Path | BinaryIO
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


def _blank(path: Path, head: bytes) -> bool:
    """True if a text file holds nothing but whitespace (and BOMs or NULs), read in blocks."""
    junk = b" \t\r\n\x0b\x0c\x00\xef\xbb\xbf\xff\xfe"
    if head.strip(junk):
        return False
    with open(path, "rb") as f:
        f.seek(len(head))
        for block in iter(lambda: f.read(1 << 20), b""):
            if block.strip(b" \t\r\n\x0b\x0c\x00"):
                return False
    return True


def open_table(path: Path, name: str, chunksize: int | None, sheet: str | None, in_zip: bool = False,
               names: Collection[str] = ()) -> Table:
    """Open any supported container as a Table (dispatch on content, never on the extension)."""
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if not head:
        raise InputError(f"no data rows found in {name} (the file is empty)")
    kind = sniff_container(head, name)
    if kind == "text" and _blank(path, head):
        raise InputError(f"no data rows found in {name} (the file holds only blank lines or spaces); "
                         "check that this is the right export")
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
    return open_csv(path, name, head, detect_encoding(head, final=final), chunksize, names)


SCAN_AHEAD_FROM = 32 << 20  # bytes: smaller files are scanned in no time, a helper process would not pay


def scan_ahead(source, names: Collection[str] = ()) -> None:
    """Start the structural scan of a large delimited export in a forked helper process.

    The scan is the part of opening a CSV that reads the whole file once (2 s per million
    rows); the caller meanwhile loads its model. The helper opens the file as
    :func:`~classifier.exports.reader.open_export` will (``names``: the columns the user named),
    sends the first scan's arguments and result through a pipe and exits;
    :func:`~classifier.exports.csv_reader.scan_file` takes it when it is asked for exactly that scan of the same, unchanged file, and scans
    itself otherwise (also when the helper failed or found another format). Best effort:
    nothing happens for small files, stdin, or where ``fork`` is missing.
    """
    import multiprocessing

    try:
        path = Path(source)
        if str(source) == "-" or not path.is_file() or path.stat().st_size < SCAN_AHEAD_FROM:
            return
        with open(path, "rb") as f:
            if sniff_container(f.read(1 << 16), str(source)) != "text":
                return
    except (OSError, TypeError, ValueError, InputError):
        return
    if "fork" not in multiprocessing.get_all_start_methods():
        return
    key = str(path.resolve())
    if key in AHEAD:
        return
    signature = file_signature(path)
    read, write = multiprocessing.get_context("fork").Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the helper: never returns
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            read.close()
            IN_HELPER.append(write)
            open_table(path, str(source), None, None, names=list(names))
        except BaseException:
            pass
        finally:
            os._exit(1)  # reached only when no scan was handed over
    write.close()
    AHEAD[key] = (pid, read, signature)


def open_export(source: Source, *, roles: dict[str, str | None] | None = None, require_note: bool = True,
                chunksize: int | None = 10_000, sheet: str | None = None, repair: bool = False,
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
        table = open_table(path, name, chunksize, sheet, names=[n for n in (roles or {}).values() if n])
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

